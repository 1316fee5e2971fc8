package dev.gatehouse.listener;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Short request ids that are unique within a process run and unlikely to repeat across runs: a random
 * per-process prefix and a counter. Shown on error pages and written to the audit record, so a help desk
 * can find the record from a screenshot.
 */
final class RequestIds {
    private final String prefix = Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36, 36L * 36 * 36 * 36 * 36), 36);
    private final AtomicLong counter = new AtomicLong();

    String next() {
        return prefix + "-" + Long.toString(counter.incrementAndGet(), 36);
    }
}
