package dev.gatehouse.listener;

import dev.gatehouse.http.Failure;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/**
 * Origin-form requests addressed to the proxy itself. The PAC file will be served here; everything else
 * gets a page that explains this is a proxy.
 */
final class LocalHandler implements HttpHandler {
    private final ErrorResponder errors;

    LocalHandler(ErrorResponder errors) {
        this.errors = errors;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        errors.respond(exchange, Failure.NOT_A_PROXY_REQUEST, null);
    }
}
