package dev.gatehouse.listener;

import dev.gatehouse.http.Failure;
import dev.gatehouse.pac.PacFile;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.nio.ByteBuffer;

/**
 * Origin-form requests addressed to the proxy itself: the PAC file at {@code /proxy.pac} and
 * {@code /wpad.dat} (the WPAD convention); anything else gets a page explaining this is a proxy.
 */
final class LocalHandler implements HttpHandler {
    private final ErrorResponder errors;
    private final byte[] pac;

    LocalHandler(ErrorResponder errors, PacFile pac) {
        this.errors = errors;
        this.pac = pac.bytes();
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        String path = exchange.getRequestPath();
        boolean read = exchange.getRequestMethod().equals(Methods.GET) || exchange.getRequestMethod().equals(Methods.HEAD);
        if (read && (path.equals("/proxy.pac") || path.equals("/wpad.dat"))) {
            Exchanges.record(exchange).setResultCode("TCP_MEM_HIT");
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, PacFile.CONTENT_TYPE);
            exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "max-age=300");
            exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, pac.length);
            if (exchange.getRequestMethod().equals(Methods.HEAD)) {
                exchange.endExchange();
            } else {
                exchange.getResponseSender().send(ByteBuffer.wrap(pac));
            }
            return;
        }
        errors.respond(exchange, Failure.NOT_A_PROXY_REQUEST, null);
    }
}
