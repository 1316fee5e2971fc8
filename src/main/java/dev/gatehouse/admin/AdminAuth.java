package dev.gatehouse.admin;

import dev.gatehouse.config.GatehouseConfig;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * Guards the admin pages when credentials are configured: {@code Authorization: Bearer <token>} (what a
 * Prometheus scrape job sends with {@code authorization.credentials}) or HTTP Basic (what a browser asks for,
 * so the dashboard works without a login page). Without credentials every request passes; the config
 * validation refuses a non-loopback admin address without them.
 *
 * <p>Comparisons are constant-time so that response timing does not reveal how much of a guess was right.
 */
final class AdminAuth implements HttpHandler {
    static final String REALM = "Gatehouse admin";

    private final HttpHandler next;
    private final byte[] token;
    private final byte[] basic;

    AdminAuth(HttpHandler next, GatehouseConfig.AdminAuth config) {
        this.next = next;
        this.token = config.token().isEmpty() ? null : config.token().getBytes(StandardCharsets.UTF_8);
        this.basic = config.user().isEmpty() ? null
                : (config.user() + ":" + config.password()).getBytes(StandardCharsets.UTF_8);
    }

    boolean enabled() {
        return token != null || basic != null;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (!enabled() || accepted(exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION))) {
            next.handleRequest(exchange);
            return;
        }
        exchange.setStatusCode(401);
        if (basic != null) exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"");
        else exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, "Bearer realm=\"" + REALM + "\"");
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        exchange.getResponseSender().send("authentication required\n");
    }

    private boolean accepted(String header) {
        if (header == null) return false;
        int space = header.indexOf(' ');
        if (space < 0) return false;
        String scheme = header.substring(0, space);
        String value = header.substring(space + 1).trim();
        if (token != null && scheme.equalsIgnoreCase("Bearer")) {
            return MessageDigest.isEqual(token, value.getBytes(StandardCharsets.UTF_8));
        }
        if (basic != null && scheme.equalsIgnoreCase("Basic")) {
            try {
                return MessageDigest.isEqual(basic, Base64.getDecoder().decode(value));
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        return false;
    }
}
