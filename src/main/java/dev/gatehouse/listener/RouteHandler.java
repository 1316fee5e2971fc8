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
    private final HttpHandler ftp;
    private final HttpHandler local;
    private final ErrorResponder errors;

    /** @param ftp the {@code ftp://} gateway, or null when there is none ({@code ftp://} is then unsupported) */
    RouteHandler(HttpHandler tunnel, HttpHandler forward, HttpHandler ftp, HttpHandler local, ErrorResponder errors) {
        this.tunnel = tunnel;
        this.forward = forward;
        this.ftp = ftp;
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
        if (scheme.equals("ftp") && ftp != null) {
            routeFtp(exchange, raw);
            return;
        }
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

    /**
     * {@code ftp://} may carry {@code user:password@} (RFC 1738): the target keeps it for the login, and the
     * audit record's URL, which policy, logs and error pages read, is set without the password.
     */
    private void routeFtp(HttpServerExchange exchange, String raw) throws Exception {
        URI target = parse(raw, exchange.getQueryString(), true);
        if (target == null) {
            errors.respondAndClose(exchange, Failure.BAD_REQUEST, "the request target is not a valid ftp URL");
            return;
        }
        String userInfo = target.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            String shown = colon < 0 ? userInfo : userInfo.substring(0, colon);
            String url = "ftp://" + shown + "@" + target.getRawAuthority().substring(userInfo.length() + 1) + target.getRawPath()
                    + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery());
            Exchanges.record(exchange).setUrl(url);
        }
        exchange.putAttachment(Exchanges.TARGET, target);
        ftp.handleRequest(exchange);
    }

    /** An http target: user info is refused there (RFC 9110 §4.2.4). */
    static URI parse(String uri, String query) {
        return parse(uri, query, false);
    }

    /** The absolute target, normalised to have a path; null if it is not a usable http URL. */
    private static URI parse(String uri, String query, boolean userInfoAllowed) {
        try {
            URI u = new URI(query == null || query.isEmpty() ? uri : uri + "?" + query);
            if (u.getHost() == null || (u.getRawUserInfo() != null && !userInfoAllowed) || u.getPort() == 0 || u.getPort() > 65535) return null;
            if (u.getRawPath() == null || u.getRawPath().isEmpty()) {
                u = new URI(u.getScheme() + "://" + u.getRawAuthority() + "/" + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery()));
            }
            return u;
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
