package dev.gatehouse.listener;

import dev.gatehouse.http.AddressRanges;
import dev.gatehouse.http.Failure;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/** Refuses clients outside {@code clients.allow} with 403: the proxy is not an open relay. */
final class ClientAccessHandler implements HttpHandler {
    private final HttpHandler next;
    private final AddressRanges allowed;
    private final ErrorResponder errors;

    ClientAccessHandler(HttpHandler next, AddressRanges allowed, ErrorResponder errors) {
        this.next = next;
        this.allowed = allowed;
        this.errors = errors;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        var peer = exchange.getSourceAddress();
        if (peer == null || peer.getAddress() == null || !allowed.contains(peer.getAddress())) {
            errors.respond(exchange, Failure.CLIENT_DENIED, null);
            return;
        }
        next.handleRequest(exchange);
    }
}
