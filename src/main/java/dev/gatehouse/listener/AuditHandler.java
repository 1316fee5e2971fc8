package dev.gatehouse.listener;

import dev.gatehouse.audit.AuditRecord;
import dev.gatehouse.http.AddressRange;
import io.undertow.server.HttpHandler;
import io.undertow.server.ExchangeCompletionListener;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpServerConnection;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import java.net.InetSocketAddress;
import java.util.Map;

/**
 * First link of the chain: opens the exchange's {@link AuditRecord} and writes it exactly once when the
 * access is over, whatever happened in between (forwarded, denied, failed, aborted): when the exchange
 * completes and every {@link AuditHold} taken on it (forwarding thread, tunnel) is released.
 */
final class AuditHandler implements HttpHandler {
    private final HttpHandler next;
    private final AuditTrail trail;
    private final RequestIds ids;
    private final Map<Object, ConnectionTap> taps;

    AuditHandler(HttpHandler next, AuditTrail trail, RequestIds ids, Map<Object, ConnectionTap> taps) {
        this.next = next;
        this.trail = trail;
        this.ids = ids;
        this.taps = taps;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        AuditRecord record = new AuditRecord();
        ids.assign(record);
        record.setStartEpochMillis(System.currentTimeMillis());
        ConnectionTap tap = exchange.getConnection() instanceof HttpServerConnection c ? taps.get(c.getChannel()) : null;
        if (tap != null) {
            record.setClientAddress(tap.clientText());
        } else {
            InetSocketAddress peer = exchange.getSourceAddress();
            record.setClientAddress(peer == null ? "-" : AddressRange.text(peer.getAddress()));
        }
        record.setMethod(exchange.getRequestMethod().toString());
        record.setUrl(urlOf(exchange));
        record.setProtocol(exchange.getProtocol().toString());
        // Read once here, for every kind of access (blocked, failed, tunnelled): the NCSA combined format logs them.
        HeaderMap headers = exchange.getRequestHeaders();
        record.setReferer(headers.getFirst(Headers.REFERER));
        record.setUserAgent(headers.getFirst(Headers.USER_AGENT));
        exchange.putAttachment(Exchanges.RECORD, record);
        if (tap != null) {
            ConnectionTap.Head head = tap.exchangeStarted();
            if (head.obsFold()) exchange.putAttachment(Exchanges.OBS_FOLD, Boolean.TRUE);
            if (head.userInfo() != null) exchange.putAttachment(Exchanges.USER_INFO, head.userInfo());
            exchange.putAttachment(Exchanges.TAP, tap);
        }
        trail.held();
        Access access = new Access(exchange, record, tap);
        exchange.putAttachment(Exchanges.HOLD, access);
        exchange.addExchangeCompleteListener(access);
        next.handleRequest(exchange);
    }

    private void completed(HttpServerExchange exchange, AuditRecord record, ConnectionTap tap) {
        int status = exchange.getStatusCode();
        if (tap != null) {
            long[] bytes = tap.exchangeCompleted();
            record.setBytesFromClient(record.getBytesFromClient() + bytes[0]);
            record.setBytesToClient(record.getBytesToClient() + bytes[1]);
            // Squid logs 000 when no response went out (the client left first); 200 is only Undertow's default.
            if (bytes[1] == 0) status = 0;
        }
        record.setStatus(status);
    }

    /** Fills what the exchange knows at its end and writes the record. */
    private void finish(HttpServerExchange exchange, AuditRecord record) {
        if (record.getContentType() == null) record.setContentType(exchange.getResponseHeaders().getFirst(Headers.CONTENT_TYPE));
        if (record.getResultCode() == null) record.setResultCode("TCP_MISS");
        if (record.getHierarchy() == null) record.setHierarchy("HIER_NONE");
        // A response that did not reach its end was cut off (Squid's _ABORTED suffix).
        if (!exchange.isResponseComplete()) record.markAborted("client_aborted");
        trail.complete(record);
    }

    /**
     * One exchange's audit: its completion listener and the hold the exchange keeps on its record, in one
     * object per exchange.
     */
    private final class Access extends AuditHold implements ExchangeCompletionListener {
        private final HttpServerExchange exchange;
        private final AuditRecord record;
        private final ConnectionTap tap;

        Access(HttpServerExchange exchange, AuditRecord record, ConnectionTap tap) {
            this.exchange = exchange;
            this.record = record;
            this.tap = tap;
        }

        @Override
        public void exchangeEvent(HttpServerExchange ex, NextListener nextListener) {
            try {
                completed(ex, record, tap);
                release();
            } finally {
                nextListener.proceed();
            }
        }

        @Override
        void finish() {
            try {
                AuditHandler.this.finish(exchange, record);
            } finally {
                trail.released();
            }
        }
    }

    /** The URL as Squid logs it: absolute-form for HTTP, {@code host:port} for CONNECT. */
    private static String urlOf(HttpServerExchange exchange) {
        String uri = exchange.getRequestURI();
        String query = exchange.getQueryString();
        return query == null || query.isEmpty() ? uri : uri + "?" + query;
    }
}
