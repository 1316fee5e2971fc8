package dev.gatehouse.listener;

import dev.gatehouse.audit.AuditRecord;
import dev.gatehouse.http.ParentProxies;
import dev.gatehouse.http.RequestTarget;
import dev.gatehouse.upstream.ftp.FtpTarget;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.Headers;
import io.undertow.util.Methods;

/** The per-exchange state the chain attaches: the audit record and the parsed proxy target. */
final class Exchanges {
    static final AttachmentKey<AuditRecord> RECORD = AttachmentKey.create(AuditRecord.class);
    static final AttachmentKey<RequestTarget> TARGET = AttachmentKey.create(RequestTarget.class);
    static final AttachmentKey<ConnectionTap> TAP = AttachmentKey.create(ConnectionTap.class);
    /** The request head used obsolete line folding (seen by the {@link ConnectionTap}). */
    static final AttachmentKey<Boolean> OBS_FOLD = AttachmentKey.create(Boolean.class);
    /**
     * The raw {@code user[:password]} the client put in an absolute-form target, which the
     * {@link ConnectionTap} took out of the request line before Undertow's parser (which refuses it).
     */
    static final AttachmentKey<String> USER_INFO = AttachmentKey.create(String.class);
    /** An {@code ftp://} request's target, credentials included (never logged: see {@link FtpTarget#toString()}). */
    static final AttachmentKey<FtpTarget> FTP_TARGET = AttachmentKey.create(FtpTarget.class);
    static final AttachmentKey<AuditHold> HOLD = AttachmentKey.create(AuditHold.class);
    /** The FTP gateway here, for an {@code ftp://} request that goes on to it when no parent is up ({@code fallbackDirect}). */
    static final AttachmentKey<FtpHandler> PARENT_FALLBACK = AttachmentKey.create(FtpHandler.class);

    private Exchanges() {}

    /**
     * A parent proxy answered this request, an error answer included: the record names it, with the hierarchy code
     * Squid writes for how it was chosen ({@link ParentProxies.Route#hierarchy}). (A request that reached no parent
     * keeps {@code HIER_NONE}.)
     */
    static void reachedParent(AuditRecord record, String parentHost, String hierarchy) {
        record.setHierarchy(hierarchy);
        record.setUpstreamAddress(parentHost);
    }

    /**
     * Whether the request is a CONNECT. Undertow's method comparison ignores case, but method names are
     * case-sensitive (RFC 9110 §9.1): {@code connect} is another method, never a tunnel.
     */
    static boolean isConnect(HttpServerExchange exchange) {
        return Methods.CONNECT_STRING.equals(exchange.getRequestMethod().toString());
    }

    /** Whether the request has content: a non-zero Content-Length or a Transfer-Encoding (RFC 9112 §6.1-6.2). */
    static boolean carriesContent(HttpServerExchange exchange) {
        return exchange.getRequestContentLength() > 0 || exchange.getRequestHeaders().contains(Headers.TRANSFER_ENCODING);
    }

    static AuditRecord record(HttpServerExchange exchange) {
        return exchange.getAttachment(RECORD);
    }

    /** Takes a hold on the exchange's audit record; release it when done with the access. */
    static AuditHold hold(HttpServerExchange exchange) {
        AuditHold hold = exchange.getAttachment(HOLD);
        hold.hold();
        return hold;
    }
}
