package dev.gatehouse.cache;

/**
 * The metadata of one stored response: everything RFC 9111 needs to decide whether it may be
 * reused, without its body.
 *
 * @param status             the stored response's status code
 * @param headers            the stored response's header fields, already stripped of what must not
 *                           be stored or shared (see {@link CachePolicy#entryFor})
 * @param requestTimeMillis  when the request that produced it was sent ({@code request_time}, RFC 9111 §4.2.3)
 * @param responseTimeMillis when its header was received ({@code response_time}, RFC 9111 §4.2.3)
 * @param secondaryKey       the normalised request header values its {@code Vary} selects (RFC 9111 §4.1),
 *                           "" when it has no {@code Vary}; see {@link SecondaryKey}
 */
public record CacheEntry(int status, CacheHeaders headers, long requestTimeMillis, long responseTimeMillis,
                         String secondaryKey) {
    public CacheEntry {
        if (headers == null || secondaryKey == null) {
            throw new IllegalArgumentException("a cache entry needs headers and a secondary key");
        }
    }

    /** A copy with new header fields and times, as after a 304 (RFC 9111 §4.3.4). */
    public CacheEntry updated(CacheHeaders newHeaders, long newRequestTimeMillis, long newResponseTimeMillis) {
        return new CacheEntry(status, newHeaders, newRequestTimeMillis, newResponseTimeMillis, secondaryKey);
    }

    /** A copy selected by another secondary key, as when a 304 changed its {@code Vary} (RFC 9111 §4.1). */
    public CacheEntry withSecondaryKey(String newSecondaryKey) {
        return new CacheEntry(status, headers, requestTimeMillis, responseTimeMillis, newSecondaryKey);
    }
}
