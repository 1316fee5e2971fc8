package dev.gatehouse.listener;

import dev.gatehouse.http.Failure;
import dev.gatehouse.http.FailureException;
import dev.gatehouse.http.RequestTarget;
import dev.gatehouse.upstream.ftp.FtpTarget;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
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
        if (Exchanges.isConnect(exchange)) {
            tunnel.handleRequest(exchange);
            return;
        }
        if (!exchange.isHostIncludedInRequestURI()) {
            local.handleRequest(exchange);
            return;
        }
        String raw = exchange.getRequestURI();
        String scheme = schemeOf(raw);
        // User info was taken out of the request line beneath the parser (see ConnectionTap).
        String userInfo = exchange.getAttachment(Exchanges.USER_INFO);
        if (scheme.equals("ftp") && ftp != null) {
            routeFtp(exchange, raw, userInfo);
            return;
        }
        if (!scheme.equals("http")) {
            errors.respond(exchange, Failure.UNSUPPORTED_SCHEME, "scheme '" + scheme + "' is not supported");
            return;
        }
        if (userInfo != null) {
            // RFC 9110 §4.2.4: user info in an http URL is deprecated and a likely phishing disguise; it is
            // refused rather than stripped, so credentials are neither forwarded nor silently dropped.
            errors.respondAndClose(exchange, Failure.BAD_REQUEST, "an http URL must not carry a user name or password (RFC 9110 §4.2.4)");
            return;
        }
        RequestTarget target = RequestTarget.parse(raw, exchange.getQueryString());
        if (target == null) {
            errors.respondAndClose(exchange, Failure.BAD_REQUEST, "the request target is not a valid http URL");
            return;
        }
        exchange.putAttachment(Exchanges.TARGET, target);
        forward.handleRequest(exchange);
    }

    /** The scheme in lower case (RFC 3986 §3.1: schemes are case-insensitive); the usual {@code http} without a copy. */
    private static String schemeOf(String raw) {
        if (raw.startsWith("http:")) {
            return "http";
        }
        int colon = raw.indexOf(':');
        return colon < 0 ? "" : raw.substring(0, colon).toLowerCase(Locale.ROOT);
    }

    /**
     * {@code ftp://} may carry {@code user:password@} (RFC 1738 §3.1), which the FTP login uses. The target,
     * and so the audit URL, the cache key and what the policy matches, never holds it: the user name is left
     * out of the URL too, so an {@code anonymous@} cannot step around a URL-prefix rule.
     */
    private void routeFtp(HttpServerExchange exchange, String raw, String userInfo) throws Exception {
        RequestTarget target = RequestTarget.parse(raw, exchange.getQueryString());
        if (target == null) {
            errors.respondAndClose(exchange, Failure.BAD_REQUEST, "the request target is not a valid ftp URL");
            return;
        }
        try {
            exchange.putAttachment(Exchanges.FTP_TARGET,
                    FtpTarget.of(target, userInfo, exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION)));
        } catch (FailureException e) {
            errors.respond(exchange, e.failure(), e.getMessage());
            return;
        }
        exchange.putAttachment(Exchanges.TARGET, target);
        ftp.handleRequest(exchange);
    }
}
