package dev.gatehouse.listener;

import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.audit.AuditRecord;
import dev.gatehouse.audit.JsonLinesFormatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Completes audit records: each one is written exactly once, by whoever finishes the access first. Also
 * counts the records still held by an exchange or a handler ({@link AuditHold}), so that shutdown can
 * wait for them before the audit log is closed: an exchange is over for the client (and for the drain)
 * a moment before its forwarding thread lets go of the record.
 */
final class AuditTrail {
    private static final Logger log = LoggerFactory.getLogger(AuditTrail.class);
    private static final JsonLinesFormatter LATE = new JsonLinesFormatter();
    private final AtomicInteger held = new AtomicInteger();

    private final AuditLog auditLog;

    AuditTrail(AuditLog auditLog) {
        this.auditLog = auditLog;
    }

    void complete(AuditRecord record) {
        if (!record.complete(System.currentTimeMillis())) return;
        try {
            auditLog.write(record);
        } catch (IllegalStateException closed) {
            // An exchange that outlived the shutdown drain: the file is closed, so the record goes to the
            // diagnostic log rather than nowhere.
            log.error("audit record after the audit log closed: {}", LATE.format(record));
        }
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
