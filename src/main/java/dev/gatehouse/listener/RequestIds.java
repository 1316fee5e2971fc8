package dev.gatehouse.listener;

import dev.gatehouse.audit.AuditRecord;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Short request ids that are unique within a process run and unlikely to repeat across runs: a random
 * per-process prefix and a counter. Shown on error pages and written to the audit record, so a help desk
 * can find the record from a screenshot.
 */
final class RequestIds {
    /** Five base-36 digits and a dash: {@code k3x9q-}. */
    private final String prefix = Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36, 36L * 36 * 36 * 36 * 36), 36) + "-";
    private final AtomicLong counter = new AtomicLong();

    /** Gives the record the next id, {@code k3x9q-1a}: the prefix and the counter in base 36 (built when first read). */
    void assign(AuditRecord record) {
        record.setRequestId(prefix, counter.incrementAndGet());
    }
}
