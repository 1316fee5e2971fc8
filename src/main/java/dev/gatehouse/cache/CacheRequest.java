package dev.gatehouse.cache;

import dev.gatehouse.http.RequestTarget;
import java.util.Locale;

/**
 * What the cache needs to know about a client's request: method, absolute target, and header
 * fields.
 *
 * <p>A class rather than a record so that the primary key is made once per request: a memory lookup on
 * the IO thread, then a lookup on a worker thread when memory did not answer, and the fill all ask for it.
 */
public final class CacheRequest {
    private final String method;
    private final RequestTarget target;
    private final CacheHeaders headers;
    /** Made on first use (a racy double computation is harmless: keys are values). */
    private CacheKey key;

    /**
     * @param method  the request method, e.g. {@code GET}
     * @param target  the absolute target
     * @param headers the request header fields as received from the client
     */
    public CacheRequest(String method, RequestTarget target, CacheHeaders headers) {
        this.method = method.toUpperCase(Locale.ROOT);
        this.target = target;
        this.headers = headers;
    }

    /** A request from its parts, the target given as text. */
    public static CacheRequest of(String method, String target, CacheHeaders headers) {
        return new CacheRequest(method, RequestTarget.of(target), headers);
    }

    /** The request method, upper-cased, e.g. {@code GET}. */
    public String method() {
        return method;
    }

    /** The absolute target. */
    public RequestTarget target() {
        return target;
    }

    /** The request header fields as received from the client. */
    public CacheHeaders headers() {
        return headers;
    }

    /** The primary cache key of the target, computed once per request. */
    public CacheKey key() {
        CacheKey k = key;
        if (k == null) {
            k = CacheKey.of(target);
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
        return "CacheRequest[method=" + method + ", target=" + target + ", headers=" + headers + "]";
    }
}
