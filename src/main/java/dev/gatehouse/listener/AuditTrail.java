package dev.gatehouse.listener;

import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.audit.AuditRecord;
import dev.gatehouse.audit.JsonLinesFormatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Completes audit records: each one is written exactly once, by whoever finishes the access first. */
final class AuditTrail {
    private static final Logger log = LoggerFactory.getLogger(AuditTrail.class);
    private static final JsonLinesFormatter LATE = new JsonLinesFormatter();

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
}
