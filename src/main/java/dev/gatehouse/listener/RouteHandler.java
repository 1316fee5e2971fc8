package dev.gatehouse.listener;

import dev.gatehouse.http.Failure;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Methods;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Sorts requests by form (RFC 9112 §3.2): CONNECT in authority-form goes to the tunnel, absolute-form
 * {@code http://} to forwarding, origin-form ({@code GET /proxy.pac}) to local resources. The forwarding
 * target is parsed here, once, from the request line, never from {@code Host} (RFC 9112 §3.2.2).
 */
final class RouteHandler implements HttpHandler {
    private final HttpHandler tunnel;
    private final HttpHandler forward;
    private final HttpHandler local;
    private final ErrorResponder errors;

    RouteHandler(HttpHandler tunnel, HttpHandler forward, HttpHandler local, ErrorResponder errors) {
        this.tunnel = tunnel;
        this.forward = forward;
        this.local = local;
        this.errors = errors;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (exchange.getRequestMethod().equals(Methods.CONNECT)) {
            tunnel.handleRequest(exchange);
            return;
        }
        if (!exchange.isHostIncludedInRequestURI()) {
            local.handleRequest(exchange);
            return;
        }
        String raw = exchange.getRequestURI();
        int colon = raw.indexOf(':');
        String scheme = colon < 0 ? "" : raw.substring(0, colon).toLowerCase(Locale.ROOT);
        if (!scheme.equals("http")) {
            errors.respond(exchange, Failure.UNSUPPORTED_SCHEME, "scheme '" + scheme + "' is not supported");
            return;
        }
        URI target = parse(raw, exchange.getQueryString());
        if (target == null) {
            errors.respondAndClose(exchange, Failure.BAD_REQUEST, "the request target is not a valid http URL");
            return;
        }
        exchange.putAttachment(Exchanges.TARGET, target);
        forward.handleRequest(exchange);
    }

    /** The absolute target, normalised to have a path; null if it is not a usable http URL. */
    static URI parse(String uri, String query) {
        try {
            URI u = new URI(query == null || query.isEmpty() ? uri : uri + "?" + query);
            if (u.getHost() == null || u.getRawUserInfo() != null || u.getPort() == 0 || u.getPort() > 65535) return null;
            if (u.getRawPath() == null || u.getRawPath().isEmpty()) {
                u = new URI(u.getScheme() + "://" + u.getRawAuthority() + "/" + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery()));
            }
            return u;
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
