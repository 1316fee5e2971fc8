package dev.gatehouse.cache;

import java.net.URI;
import java.util.Locale;

/**
 * What the cache needs to know about a client's request: method, absolute target URI, and header
 * fields.
 *
 * <p>A class rather than a record so that the primary key is made once per request: a memory lookup on
 * the IO thread, then a lookup on a worker thread when memory did not answer, and the fill all ask for it.
 */
public final class CacheRequest {
    private final String method;
    private final URI uri;
    private final CacheHeaders headers;
    /** Made on first use (a racy double computation is harmless: keys are values). */
    private CacheKey key;

    /**
     * @param method  the request method, e.g. {@code GET}
     * @param uri     the absolute target URI
     * @param headers the request header fields as received from the client
     */
    public CacheRequest(String method, URI uri, CacheHeaders headers) {
        this.method = method.toUpperCase(Locale.ROOT);
        this.uri = uri;
        this.headers = headers;
    }

    /** A request from its parts, the URI given as text. */
    public static CacheRequest of(String method, String uri, CacheHeaders headers) {
        return new CacheRequest(method, URI.create(uri), headers);
    }

    /** The request method, upper-cased, e.g. {@code GET}. */
    public String method() {
        return method;
    }

    /** The absolute target URI. */
    public URI uri() {
        return uri;
    }

    /** The request header fields as received from the client. */
    public CacheHeaders headers() {
        return headers;
    }

    /** The primary cache key of the target URI, computed once per request. */
    public CacheKey key() {
        CacheKey k = key;
        if (k == null) {
            k = CacheKey.of(uri);
            key = k;
        }
        return k;
    }

    /** Whether a stored GET response may answer this request (RFC 9111 §4: GET, and HEAD from a stored GET). */
    public boolean readsCache() {
        return method.equals("GET") || method.equals("HEAD");
    }

    @Override
    public String toString() {
        return "CacheRequest[method=" + method + ", uri=" + uri + ", headers=" + headers + "]";
    }
}
