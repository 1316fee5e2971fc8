package dev.gatehouse.admin;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Traffic over the last minutes, in fixed buckets on a ring: what the dashboard's charts plot and what
 * the per-second rates in {@code /stats} are computed from. Memory is fixed (one bucket per
 * {@code bucketSeconds} of the window); a bucket is reused when its slot comes round again.
 *
 * <p>Thread-safe. Time is passed in, never read here, so tests drive it.
 */
final class RateWindow {
    /** One bucket's figures; {@code startEpochSecond} is where the bucket begins. */
    record Point(long startEpochSecond, long requests, long hits, long misses, long bytesToClient, long hitBytes, long blocked) {}

    private final int bucketSeconds;
    private final long[] start;
    private final long[] requests;
    private final long[] hits;
    private final long[] misses;
    private final long[] bytes;
    private final long[] hitBytes;
    private final long[] blocked;

    RateWindow(int bucketSeconds, int buckets) {
        this.bucketSeconds = bucketSeconds;
        this.start = new long[buckets];
        this.requests = new long[buckets];
        this.hits = new long[buckets];
        this.misses = new long[buckets];
        this.bytes = new long[buckets];
        this.hitBytes = new long[buckets];
        this.blocked = new long[buckets];
        Arrays.fill(start, Long.MIN_VALUE);
    }

    int bucketSeconds() { return bucketSeconds; }

    /** Counts one access that ended at {@code epochMillis}. */
    synchronized void add(long epochMillis, Outcome outcome, long bytesToClient, boolean wasBlocked) {
        int i = slot(epochMillis);
        requests[i]++;
        bytes[i] += bytesToClient;
        if (outcome == Outcome.HIT) {
            hits[i]++;
            hitBytes[i] += bytesToClient;
        } else if (outcome == Outcome.MISS) {
            misses[i]++;
        }
        if (wasBlocked) blocked[i]++;
    }

    /** Every bucket of the window ending at {@code nowMillis}, oldest first; empty buckets are zeros. */
    synchronized List<Point> series(long nowMillis) {
        long current = bucketStart(nowMillis);
        int n = start.length;
        List<Point> out = new ArrayList<>(n);
        for (int k = n - 1; k >= 0; k--) {
            long s = current - (long) k * bucketSeconds;
            int i = index(s);
            if (start[i] == s) out.add(new Point(s, requests[i], hits[i], misses[i], bytes[i], hitBytes[i], blocked[i]));
            else out.add(new Point(s, 0, 0, 0, 0, 0, 0));
        }
        return out;
    }

    private int slot(long epochMillis) {
        long s = bucketStart(epochMillis);
        int i = index(s);
        if (start[i] != s) {
            start[i] = s;
            requests[i] = hits[i] = misses[i] = bytes[i] = hitBytes[i] = blocked[i] = 0;
        }
        return i;
    }

    private long bucketStart(long epochMillis) {
        long second = Math.floorDiv(epochMillis, 1000);
        return second - Math.floorMod(second, bucketSeconds);
    }

    private int index(long bucketStart) {
        return (int) Math.floorMod(bucketStart / bucketSeconds, (long) start.length);
    }
}
