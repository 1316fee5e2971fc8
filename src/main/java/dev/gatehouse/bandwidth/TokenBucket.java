package dev.gatehouse.bandwidth;

/**
 * A token bucket of bytes: it fills at {@code rate} bytes per second up to {@code capacity} (the burst), and
 * starts full. Its level may go below zero: a blocking reader pays for what it has read and then waits until
 * the debt is refilled, which keeps the long-run rate exact whatever the chunk sizes. Times are nanoseconds
 * from an injected clock, so tests step time instead of sleeping. Synchronised: a few arithmetic operations
 * per chunk of up to 16 KB, never contended long.
 */
final class TokenBucket {
    private static final double NANOS_PER_SECOND = 1e9;

    private final long rate;
    private final long capacity;
    private long tokens;
    private long refilledAt;

    TokenBucket(long rate, long capacity, long now) {
        if (rate <= 0 || capacity <= 0) throw new IllegalArgumentException("rate and capacity must be positive");
        this.rate = rate;
        this.capacity = capacity;
        this.tokens = capacity;
        this.refilledAt = now;
    }

    /** Bytes that may go now; zero or less when the bucket is empty or in debt. */
    synchronized long available(long now) {
        refill(now);
        return tokens;
    }

    /** Takes {@code bytes} out, into debt if need be. */
    synchronized void charge(long bytes, long now) {
        refill(now);
        tokens -= bytes;
    }

    /** Nanoseconds until the bucket holds at least {@code level} bytes ({@code level <= capacity}), 0 if it does now. */
    synchronized long nanosUntil(long level, long now) {
        refill(now);
        if (tokens >= level) return 0;
        return (long) Math.ceil((level - tokens) * NANOS_PER_SECOND / rate);
    }

    /** Nanoseconds an empty bucket of {@code capacity} bytes takes to fill at {@code rate}: after that long without use it is as good as new. */
    static long nanosToFill(long rate, long capacity) {
        return (long) Math.ceil(capacity * NANOS_PER_SECOND / rate);
    }

    private void refill(long now) {
        long elapsed = now - refilledAt;
        if (elapsed <= 0) return;
        long added = (long) (elapsed * (double) rate / NANOS_PER_SECOND);
        if (added == 0) return; // keep refilledAt, so short steps add up
        if (tokens + added >= capacity) {
            tokens = capacity;
            refilledAt = now;
        } else {
            tokens += added;
            refilledAt += (long) (added * NANOS_PER_SECOND / rate); // carry the fraction of a byte not yet added
        }
    }
}
