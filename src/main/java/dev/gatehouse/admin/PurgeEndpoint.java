package dev.gatehouse.admin;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.util.Deque;
import java.util.function.Predicate;

/**
 * {@code POST /purge?url=http://host/path} on the admin listener: drops the stored response for that URL,
 * as the {@code PURGE} method does on the proxy listener for admin clients. 200 when something was
 * dropped, 404 when nothing was stored, 400 for a URL that is not absolute.
 */
final class PurgeEndpoint {
    private final Predicate<String> purge;

    /** @param purge drops the stored response for a URL; true if there was one */
    PurgeEndpoint(Predicate<String> purge) {
        this.purge = purge;
    }

    void handle(HttpServerExchange ex) {
        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        ex.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        if (!ex.getRequestMethod().equals(Methods.POST)) {
            ex.setStatusCode(405);
            ex.getResponseHeaders().put(Headers.ALLOW, "POST");
            ex.getResponseSender().send("{\"error\":\"use POST /purge?url=...\"}");
            return;
        }
        Deque<String> url = ex.getQueryParameters().get("url");
        if (url == null || url.isEmpty()) {
            ex.setStatusCode(400);
            ex.getResponseSender().send("{\"error\":\"purge needs ?url=http://host/path\"}");
            return;
        }
        boolean purged;
        try {
            purged = purge.test(url.getFirst());
        } catch (IllegalArgumentException e) {
            ex.setStatusCode(400);
            ex.getResponseSender().send("{\"error\":\"not an absolute http URL\"}");
            return;
        }
        ex.setStatusCode(purged ? 200 : 404);
        ex.getResponseSender().send("{\"purged\":" + purged + "}");
    }
}
