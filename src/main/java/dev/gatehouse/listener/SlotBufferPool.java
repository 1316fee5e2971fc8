package dev.gatehouse.listener;

import io.undertow.connector.ByteBufferPool;
import io.undertow.connector.PooledByteBuffer;
import io.undertow.server.DirectByteBufferDeallocator;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A bounded pool of equally sized buffers for Undertow's listeners and the tunnel relay, in place of
 * Undertow's {@code DefaultByteBufferPool}.
 *
 * <p>Why our own: every buffer Undertow's pool takes back goes through a synchronized map (its per-thread
 * cache lookup, made even with a cache size of 0, which we need because forwarding runs on thousands of
 * virtual threads) and into a {@code ConcurrentLinkedQueue} (a node allocated per release). Together
 * ~7% of the CPU samples of a 1 KiB cache hit. Here a free buffer sits in one of a fixed array of slots:
 * taking or returning one is a read and one compare-and-set, with no allocation, and each thread starts
 * looking at a slot of its own, so the IO threads, which do nearly all the taking and returning, seldom
 * meet on a slot.
 *
 * <p>When every slot is taken, a returned buffer is freed at once (direct memory is not left to the GC);
 * when every slot is empty, a new buffer is allocated.
 */
final class SlotBufferPool implements ByteBufferPool {
    private static final VarHandle BUFFER;

    static {
        try {
            BUFFER = MethodHandles.lookup().findVarHandle(Pooled.class, "buffer", ByteBuffer.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final boolean direct;
    private final int bufferSize;
    private final AtomicReferenceArray<ByteBuffer> slots;
    private final int mask;
    private volatile boolean closed;
    /** Undertow asks for it for the rare work on heap arrays; made on first use. */
    private volatile SlotBufferPool arrayBacked;

    /**
     * @param direct direct (off-heap) buffers, for socket I/O without a copy
     * @param bufferSize bytes per buffer
     * @param maxFree free buffers kept for reuse, rounded up to a power of two
     */
    SlotBufferPool(boolean direct, int bufferSize, int maxFree) {
        if (bufferSize < 1 || maxFree < 1) {
            throw new IllegalArgumentException("bufferSize and maxFree must be positive: " + bufferSize + ", " + maxFree);
        }
        this.direct = direct;
        this.bufferSize = bufferSize;
        int size = Integer.highestOneBit(maxFree - 1) << 1;
        this.slots = new AtomicReferenceArray<>(Math.max(size, 1));
        this.mask = slots.length() - 1;
    }

    @Override
    public PooledByteBuffer allocate() {
        if (closed) {
            throw new IllegalStateException("buffer pool is closed");
        }
        int start = home();
        for (int i = 0; i <= mask; i++) {
            int slot = (start + i) & mask;
            ByteBuffer free = slots.get(slot);
            if (free != null && slots.compareAndSet(slot, free, null)) {
                return new Pooled(free.clear());
            }
        }
        return new Pooled(direct ? ByteBuffer.allocateDirect(bufferSize) : ByteBuffer.allocate(bufferSize));
    }

    private void release(ByteBuffer buffer) {
        if (!closed) {
            int start = home();
            for (int i = 0; i <= mask; i++) {
                int slot = (start + i) & mask;
                if (slots.get(slot) == null && slots.compareAndSet(slot, null, buffer)) {
                    // A close() that ran meanwhile has passed this slot, perhaps: take the buffer back out.
                    if (closed && slots.compareAndSet(slot, buffer, null)) {
                        discard(buffer);
                    }
                    return;
                }
            }
        }
        discard(buffer);
    }

    /** Where this thread starts looking: spread by a multiplicative hash, so neighbouring ids land apart. */
    private int home() {
        return (int) (Thread.currentThread().threadId() * 0x9E3779B97F4A7C15L >>> 40);
    }

    private void discard(ByteBuffer buffer) {
        if (direct) {
            DirectByteBufferDeallocator.free(buffer);
        }
    }

    /** Free buffers held now (for tests and diagnostics). */
    int freeCount() {
        int n = 0;
        for (int i = 0; i <= mask; i++) {
            if (slots.get(i) != null) {
                n++;
            }
        }
        return n;
    }

    @Override
    public ByteBufferPool getArrayBackedPool() {
        if (!direct) {
            return this;
        }
        SlotBufferPool heap = arrayBacked;
        if (heap == null) {
            synchronized (this) {
                heap = arrayBacked;
                if (heap == null) {
                    arrayBacked = heap = new SlotBufferPool(false, bufferSize, slots.length());
                }
            }
        }
        return heap;
    }

    /** Frees the buffers held; buffers still out are freed when they come back. */
    @Override
    public void close() {
        closed = true;
        for (int i = 0; i <= mask; i++) {
            ByteBuffer free = slots.getAndSet(i, null);
            if (free != null) {
                discard(free);
            }
        }
        SlotBufferPool heap = arrayBacked;
        if (heap != null) {
            heap.close();
        }
    }

    @Override
    public int getBufferSize() {
        return bufferSize;
    }

    @Override
    public boolean isDirect() {
        return direct;
    }

    /** One buffer on loan; closing it more than once returns it once. */
    private final class Pooled implements PooledByteBuffer {
        @SuppressWarnings("unused") // through BUFFER
        private volatile ByteBuffer buffer;

        Pooled(ByteBuffer buffer) {
            this.buffer = buffer;
        }

        @Override
        public ByteBuffer getBuffer() {
            ByteBuffer b = buffer;
            if (b == null) {
                throw new IllegalStateException("buffer already returned to the pool");
            }
            return b;
        }

        @Override
        public void close() {
            ByteBuffer b = (ByteBuffer) BUFFER.getAndSet(this, null);
            if (b != null) {
                release(b);
            }
        }

        @Override
        public boolean isOpen() {
            return buffer != null;
        }

        @Override
        public String toString() {
            return "PooledBuffer[" + (buffer == null ? "returned" : bufferSize + " bytes") + "]";
        }
    }
}
