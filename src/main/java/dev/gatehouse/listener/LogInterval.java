package dev.gatehouse.listener;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets a diagnostic line through at most once per interval and counts the occurrences it held back, so
 * that something that can happen per request or per connection (a directory outage, a scanner's failed
 * TLS handshakes) is summarised in the log instead of flooding it. The first occurrence is let through.
 * Lock-free; safe from any thread.
 */
final class LogInterval {
    private final long intervalNanos;
    private final AtomicLong lastLine;
    private final AtomicLong held = new AtomicLong();

    LogInterval(Duration interval) {
        this.intervalNanos = interval.toNanos();
        this.lastLine = new AtomicLong(System.nanoTime() - intervalNanos);
    }

    /**
     * Counts one occurrence. Returns how many occurred since the last line let through, this one included,
     * when a line may be written now; 0 when it may not.
     */
    long occurred() {
        held.incrementAndGet();
        long now = System.nanoTime();
        long last = lastLine.get();
        if (now - last < intervalNanos || !lastLine.compareAndSet(last, now)) return 0;
        return Math.max(1, held.getAndSet(0));
    }

    long intervalSeconds() {
        return Duration.ofNanos(intervalNanos).toSeconds();
    }
}
