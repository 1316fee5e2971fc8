package dev.gatehouse.bandwidth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.benmanes.caffeine.cache.Ticker;
import java.net.InetAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The class 2 delay pool on a stepped clock: no test sleeps. */
class BandwidthLimiterTest {
    private static final InetAddress ALICE = address(10, 0, 0, 1);
    private static final InetAddress BOB = address(10, 0, 0, 2);

    /** Nanosecond time the test steps by hand. */
    private static final class FakeTicker implements Ticker {
        long nanos = 1_000_000_000L;

        @Override
        public long read() { return nanos; }

        void advanceMillis(long millis) { nanos += TimeUnit.MILLISECONDS.toNanos(millis); }
    }

    private final FakeTicker clock = new FakeTicker();

    private BandwidthLimiter limiter(long total, long perClient, long burst) {
        return new BandwidthLimiter(total, perClient, burst, clock, Runnable::run);
    }

    @Test
    void theAggregateIsSharedByAllClients() {
        BandwidthLimiter limiter = limiter(1000, 0, 1000);
        assertEquals(1000, limiter.available(ALICE));
        limiter.charge(ALICE, 1000);
        assertEquals(0, limiter.available(BOB), "Alice's download used Bob's share of the link too");
        assertEquals(TimeUnit.SECONDS.toNanos(1) / 1000, limiter.nanosUntilAvailable(BOB));
        clock.advanceMillis(500);
        assertEquals(500, limiter.available(BOB));
    }

    @Test
    void eachClientHasItsOwnBucket() {
        BandwidthLimiter limiter = limiter(0, 1000, 1000);
        limiter.charge(ALICE, 1000);
        assertEquals(0, limiter.available(ALICE));
        assertEquals(1000, limiter.available(BOB), "Bob is not slowed by Alice");
    }

    @Test
    void aClientGetsTheLesserOfItsBucketAndTheAggregate() {
        BandwidthLimiter limiter = limiter(3000, 1000, 0); // burst: one second of each rate
        limiter.charge(ALICE, 1000);
        limiter.charge(BOB, 1000);
        assertEquals(0, limiter.available(ALICE));
        InetAddress carol = address(10, 0, 0, 3);
        assertEquals(1000, limiter.available(carol));
        limiter.charge(carol, 1000);
        assertEquals(0, limiter.available(address(10, 0, 0, 4)), "the aggregate is spent");
    }

    @Test
    void theBurstCapsWhatAQuietSpellSaves() {
        BandwidthLimiter limiter = limiter(1000, 0, 200);
        assertEquals(200, limiter.available(ALICE), "a bucket starts full");
        clock.advanceMillis(60_000);
        assertEquals(200, limiter.available(ALICE), "an hour idle saves no more than the burst");
        limiter.charge(ALICE, 200);
        clock.advanceMillis(100);
        assertEquals(100, limiter.available(ALICE));
    }

    @Test
    void debtIsPaidBackBeforeMoreMayGo() {
        BandwidthLimiter limiter = limiter(1000, 0, 100);
        limiter.charge(ALICE, 1100); // a 1100-byte read with 100 in the bucket
        assertEquals(-1000, limiter.available(ALICE));
        assertEquals(TimeUnit.MILLISECONDS.toNanos(1001), limiter.nanosUntilAvailable(ALICE));
        clock.advanceMillis(1001);
        assertEquals(1, limiter.available(ALICE));
    }

    @Test
    void fractionsOfAByteAddUpOverShortSteps() {
        BandwidthLimiter limiter = limiter(1000, 0, 1000);
        limiter.charge(ALICE, 1000);
        for (int i = 0; i < 10; i++) {
            clock.nanos += 300_000; // 0.3 bytes each
            limiter.available(ALICE);
        }
        assertEquals(3, limiter.available(ALICE));
    }

    @Test
    void idleClientBucketsAreDropped() {
        BandwidthLimiter limiter = limiter(0, 1000, 1000);
        limiter.charge(ALICE, 500);
        limiter.charge(BOB, 500);
        assertEquals(2, limiter.clientBuckets());
        clock.advanceMillis(30_000);
        limiter.charge(BOB, 10);
        clock.advanceMillis(31_000); // Alice idle 61 s, past the minute a bucket is kept; Bob 31 s
        assertEquals(1, limiter.clientBuckets());
        assertEquals(1000, limiter.available(ALICE), "a dropped bucket comes back full, as it would have been");
    }

    @Test
    void payParksUntilTheDebtIsRefilled() throws InterruptedException {
        BandwidthLimiter limiter = new BandwidthLimiter(100_000, 0, 1000, Ticker.systemTicker(), Runnable::run);
        long started = System.nanoTime();
        limiter.pay(ALICE, 21_000); // 20 000 bytes of debt at 100 000 B/s: 200 ms
        long took = System.nanoTime() - started;
        assertTrue(took >= TimeUnit.MILLISECONDS.toNanos(190), "returned after " + took / 1_000_000 + " ms");
    }

    @Test
    void eachDirectionHasItsOwnLimiterOrNone() {
        var uploadOnly = BandwidthLimits.from(new dev.gatehouse.config.GatehouseConfig.Bandwidth("", "", "",
                new dev.gatehouse.config.GatehouseConfig.Rates("2Mbit", "", "")), clock);
        assertEquals(null, uploadOnly.download(), "no download limit: the download paths do no extra work");
        assertTrue(uploadOnly.upload() != null);
        assertEquals(250_000, uploadOnly.upload().available(ALICE), "a full bucket of one second at 2 Mbit/s");

        // On the stepped clock: on the real one, the microseconds between charge and check refill a byte or two.
        var both = BandwidthLimits.from(new dev.gatehouse.config.GatehouseConfig.Bandwidth("4Mbit", "", "",
                new dev.gatehouse.config.GatehouseConfig.Rates("2Mbit", "", "")), clock);
        both.upload().charge(ALICE, 250_000);
        assertEquals(0, both.upload().available(ALICE));
        assertEquals(500_000, both.download().available(ALICE), "an upload takes nothing from the download buckets");
    }

    @Test
    void noLimitMeansNoLimiter() {
        assertEquals(null, BandwidthLimiter.from(new dev.gatehouse.config.GatehouseConfig.Rates("", "0", "1MB")));
    }

    private static InetAddress address(int a, int b, int c, int d) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
