package dev.gatehouse.listener;

import dev.gatehouse.audit.AuditRecord;
import dev.gatehouse.cache.CacheKey;
import dev.gatehouse.cache.HttpCache;
import dev.gatehouse.http.AddressRanges;
import dev.gatehouse.http.Failure;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.util.concurrent.Executor;

/**
 * {@code PURGE http://host/path}: drops the stored response for that URL (Squid's method), for admin
 * clients only ({@code cache.purgeClients}); 200 when something was dropped, 404 when nothing was
 * stored, 403 for anyone else. Other methods pass through. The admin listener's purge endpoint calls
 * the same {@link HttpCache#purge}.
 */
final class PurgeHandler implements HttpHandler {
    private static final HttpString PURGE = HttpString.tryFromString("PURGE");

    private final HttpHandler next;
    private final HttpCache cache;
    private final AddressRanges admins;
    private final ErrorResponder errors;
    private final Executor executor;

    PurgeHandler(HttpHandler next, HttpCache cache, AddressRanges admins, ErrorResponder errors, Executor executor) {
        this.next = next;
        this.cache = cache;
        this.admins = admins;
        this.errors = errors;
        this.executor = executor;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (!exchange.getRequestMethod().equals(PURGE)) {
            next.handleRequest(exchange);
            return;
        }
        if (!admins.contains(exchange.getSourceAddress().getAddress())) {
            errors.respond(exchange, Failure.CLIENT_DENIED, "PURGE is allowed from cache.purgeClients only");
            return;
        }
        if (exchange.isInIoThread()) {
            exchange.dispatch(executor, this); // removing a disk entry may block
            return;
        }
        boolean purged = cache.purge(CacheKey.of(exchange.getAttachment(Exchanges.TARGET)));
        AuditRecord record = Exchanges.record(exchange);
        record.setResultCode("NONE_NONE");
        record.setHierarchy("HIER_NONE");
        exchange.setStatusCode(purged ? 200 : 404);
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, 0);
        exchange.endExchange();
    }
}
