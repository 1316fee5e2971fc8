package dev.gatehouse.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.undertow.connector.ByteBufferPool;
import io.undertow.connector.PooledByteBuffer;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SlotBufferPoolTest {

    @Test
    void aReturnedBufferIsHandedOutAgainCleared() {
        SlotBufferPool pool = new SlotBufferPool(true, 1024, 8);
        PooledByteBuffer first = pool.allocate();
        ByteBuffer bytes = first.getBuffer();
        assertTrue(bytes.isDirect());
        assertEquals(1024, bytes.capacity());
        bytes.put(new byte[100]).flip();
        first.close();

        PooledByteBuffer second = pool.allocate();
        assertSame(bytes, second.getBuffer());
        assertEquals(0, second.getBuffer().position());
        assertEquals(1024, second.getBuffer().limit());
    }

    @Test
    void closingTwiceReturnsTheBufferOnce() {
        SlotBufferPool pool = new SlotBufferPool(true, 1024, 8);
        PooledByteBuffer loan = pool.allocate();
        loan.close();
        loan.close();
        assertFalse(loan.isOpen());
        assertThrows(IllegalStateException.class, loan::getBuffer);
        assertEquals(1, pool.freeCount());

        // Were it returned twice, two loans would share one buffer.
        assertNotSame(pool.allocate().getBuffer(), pool.allocate().getBuffer());
    }

    @Test
    void keepsNoMoreThanItsBoundAndFreesTheRest() {
        SlotBufferPool pool = new SlotBufferPool(true, 512, 4);
        List<PooledByteBuffer> loans = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            loans.add(pool.allocate());
        }
        loans.forEach(PooledByteBuffer::close);
        assertEquals(4, pool.freeCount());
    }

    @Test
    void closeFreesWhatItHoldsAndRefusesNewLoans() {
        SlotBufferPool pool = new SlotBufferPool(true, 512, 4);
        PooledByteBuffer out = pool.allocate();
        pool.allocate().close();
        pool.close();
        assertEquals(0, pool.freeCount());
        out.close(); // comes back after close: freed, not kept
        assertEquals(0, pool.freeCount());
        assertThrows(IllegalStateException.class, pool::allocate);
    }

    @Test
    void theArrayBackedPoolHandsOutHeapBuffersOfTheSameSize() {
        SlotBufferPool pool = new SlotBufferPool(true, 2048, 4);
        ByteBufferPool heap = pool.getArrayBackedPool();
        assertSame(heap, pool.getArrayBackedPool());
        assertFalse(heap.isDirect());
        ByteBuffer bytes = heap.allocate().getBuffer();
        assertTrue(bytes.hasArray());
        assertEquals(2048, bytes.capacity());
        assertSame(heap, heap.getArrayBackedPool());
    }

    @Test
    void neverLendsOneBufferTwiceAtOnceUnderContention() throws Exception {
        SlotBufferPool pool = new SlotBufferPool(true, 64, 8);
        Set<ByteBuffer> lent = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
        AtomicReference<String> problem = new AtomicReference<>();
        int threads = 6;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(Thread.ofPlatform().start(() -> {
                List<PooledByteBuffer> held = new ArrayList<>();
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 20_000 && problem.get() == null; i++) {
                    if (held.size() < 4 && ThreadLocalRandom.current().nextBoolean()) {
                        PooledByteBuffer loan = pool.allocate();
                        if (!lent.add(loan.getBuffer())) {
                            problem.set("a buffer lent twice at once");
                        }
                        held.add(loan);
                    } else if (!held.isEmpty()) {
                        PooledByteBuffer loan = held.remove(held.size() - 1);
                        lent.remove(loan.getBuffer());
                        loan.close();
                        loan.close(); // a double close must not put it back twice
                    }
                }
                held.forEach(loan -> {
                    lent.remove(loan.getBuffer());
                    loan.close();
                });
            }));
        }
        start.countDown();
        for (Thread worker : workers) {
            worker.join();
        }
        assertEquals(null, problem.get());
        assertTrue(pool.freeCount() <= 8);
    }
}
