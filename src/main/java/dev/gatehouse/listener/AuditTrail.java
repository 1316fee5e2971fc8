package dev.gatehouse.listener;

import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.audit.AuditRecord;

/** Completes audit records: each one is written exactly once, by whoever finishes the access first. */
final class AuditTrail {
    private final AuditLog log;

    AuditTrail(AuditLog log) {
        this.log = log;
    }

    void complete(AuditRecord record) {
        if (record.complete(System.currentTimeMillis())) log.write(record);
    }
}
