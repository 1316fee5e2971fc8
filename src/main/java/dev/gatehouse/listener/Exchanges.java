package dev.gatehouse.listener;

import dev.gatehouse.audit.AuditRecord;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import java.net.URI;

/** The per-exchange state the chain attaches: the audit record and the parsed proxy target. */
final class Exchanges {
    static final AttachmentKey<AuditRecord> RECORD = AttachmentKey.create(AuditRecord.class);
    static final AttachmentKey<URI> TARGET = AttachmentKey.create(URI.class);
    static final AttachmentKey<ConnectionTap> TAP = AttachmentKey.create(ConnectionTap.class);
    /** Set when something other than the exchange's end (a tunnel closing) completes the record. */
    static final AttachmentKey<Boolean> AUDIT_DEFERRED = AttachmentKey.create(Boolean.class);
    /** Held by handlers working on the exchange from another thread, so the record waits for them. */
    static final AttachmentKey<AuditHold> AUDIT_HOLD = AttachmentKey.create(AuditHold.class);

    private Exchanges() {}

    static AuditRecord record(HttpServerExchange exchange) {
        return exchange.getAttachment(RECORD);
    }
}
