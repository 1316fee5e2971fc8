package dev.gatehouse.cache.disk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Policy;

/** How often the bytes being written resize the disk index, and that they never take it past its bound. */
class BytesInFlightTest {
    private static final long BOUND_KIB = 64 * 1024; // a 64 MiB disk tier: 64 KiB steps, 256 KiB grains

    private final Policy.Eviction<?, ?> eviction =
            Caffeine.newBuilder().maximumWeight(BOUND_KIB).weigher((Object k, Object v) -> 1).build().policy().eviction().orElseThrow();
    private final AtomicInteger resizes = new AtomicInteger();
    private final BytesInFlight inFlight = new BytesInFlight(counting(eviction), BOUND_KIB);

    /** {@code index}, counting its resizes. */
    private Policy.Eviction<?, ?> counting(Policy.Eviction<?, ?> index) {
        return (Policy.Eviction<?, ?>) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Policy.Eviction.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("setMaximum")) {
                        resizes.incrementAndGet();
                    }
                    try {
                        return method.invoke(index, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void storingManySmallBodiesResizesTheIndexAFewTimesNotTwicePerBody() throws IOException {
        Deque<BytesInFlight.Reservation> writing = new ArrayDeque<>();
        long writtenKib = 0; // what the open reservations cover, as the writers see it
        for (int body = 0; body < 2000; body++) {
            BytesInFlight.Reservation reservation = inFlight.reservation();
            reservation.cover(20_000);
            writing.addLast(reservation);
            writtenKib += 20;
            assertWithinBound(writtenKib);
            while (writing.size() > 8 + body % 9) { // 8 to 16 bodies being written at once
                writing.removeFirst().release();
                writtenKib -= 20;
            }
        }
        assertTrue(resizes.get() <= 5, "the index was resized " + resizes.get() + " times for 2000 bodies");
        writing.forEach(BytesInFlight.Reservation::release);
        assertGivenBack();
    }

    @Test
    void aLargeBodyIsLentGrainByGrainAndGivenBackWhenDone() throws IOException {
        BytesInFlight.Reservation large = inFlight.reservation();
        for (long size = 64 * 1024; size <= 20L << 20; size += 64 * 1024) { // grows to 20 MiB in 64 KiB writes
            large.cover(size);
            assertWithinBound(size / 1024);
        }
        assertTrue(resizes.get() <= 80, "resized " + resizes.get() + " times for 20 MiB in 256 KiB grains");
        large.release();
        assertGivenBack();
    }

    @Test
    void noMoreThanHalfTheBoundIsLent() throws IOException {
        BytesInFlight.Reservation huge = inFlight.reservation();
        huge.cover(BOUND_KIB * 1024 / 2);
        assertEquals(BOUND_KIB / 2, eviction.getMaximum());
        assertThrows(IOException.class, () -> inFlight.reservation().cover(1));
        huge.release();
        assertGivenBack();
    }

    /** All but less than the slack is the index's again once nothing is being written. */
    private void assertGivenBack() {
        assertTrue(eviction.getMaximum() > BOUND_KIB - BytesInFlight.SLACK_GRAINS * 256, "index bound " + eviction.getMaximum() + " KiB");
    }

    /** The index's bound leaves room for what the writers have been told they may write. */
    private void assertWithinBound(long writtenKib) {
        assertTrue(eviction.getMaximum() + writtenKib <= BOUND_KIB,
                "index bound " + eviction.getMaximum() + " KiB + " + writtenKib + " KiB being written > " + BOUND_KIB + " KiB");
    }
}
