package dev.gatehouse.cache;

import java.net.URI;
import java.util.Locale;

/**
 * What the cache needs to know about a client's request: method, absolute target URI, and header
 * fields.
 *
 * @param method  the request method, e.g. {@code GET}
 * @param uri     the absolute target URI
 * @param headers the request header fields as received from the client
 */
public record CacheRequest(String method, URI uri, CacheHeaders headers) {
    public CacheRequest {
        method = method.toUpperCase(Locale.ROOT);
    }

    /** A request from its parts, the URI given as text. */
    public static CacheRequest of(String method, String uri, CacheHeaders headers) {
        return new CacheRequest(method, URI.create(uri), headers);
    }

    /** The primary cache key of the target URI. */
    public CacheKey key() {
        return CacheKey.of(uri);
    }

    /** Whether a stored GET response may answer this request (RFC 9111 §4: GET, and HEAD from a stored GET). */
    public boolean readsCache() {
        return method.equals("GET") || method.equals("HEAD");
    }
}
