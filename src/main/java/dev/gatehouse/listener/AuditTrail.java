package dev.gatehouse.listener;

import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.audit.AuditRecord;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Completes audit records: each one is written exactly once, by whoever finishes the access first. Also
 * counts the records still held by an exchange or a handler ({@link AuditHold}), so that shutdown can
 * wait for them before the audit log is closed: an exchange is over for the client (and for the drain)
 * a moment before its forwarding thread lets go of the record.
 */
final class AuditTrail {
    private final AuditLog log;
    private final AtomicInteger held = new AtomicInteger();

    AuditTrail(AuditLog log) {
        this.log = log;
    }

    void complete(AuditRecord record) {
        if (record.complete(System.currentTimeMillis())) log.write(record);
    }

    /** An exchange's record is held until {@link #released()}. */
    void held() {
        held.incrementAndGet();
    }

    void released() {
        held.decrementAndGet();
    }

    /** Waits up to {@code timeoutMillis} until no record is held; true if none is. */
    boolean awaitReleased(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (held.get() > 0) {
            if (System.nanoTime() > deadline) return false;
            Thread.sleep(5);
        }
        return true;
    }
}
