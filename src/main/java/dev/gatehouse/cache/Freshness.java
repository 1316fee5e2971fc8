package dev.gatehouse.cache;

import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Freshness lifetime and current age of a stored response (RFC 9111 §4.2), computed from its
 * headers and times only.
 */
final class Freshness {
    /** Status codes that are heuristically cacheable (RFC 9110 §15.1). */
    static final Set<Integer> HEURISTICALLY_CACHEABLE = Set.of(200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501);

    private final double heuristicFraction;
    private final long heuristicCapMillis;

    Freshness(double heuristicFraction, long heuristicCapMillis) {
        this.heuristicFraction = heuristicFraction;
        this.heuristicCapMillis = heuristicCapMillis;
    }

    /** Whether the response carries an explicit expiration time (RFC 9111 §4.2.1). */
    static boolean hasExplicitExpiration(CacheHeaders headers, CacheControl cc) {
        return cc.has("s-maxage") || cc.has("max-age") || headers.has("Expires");
    }

    /** The freshness lifetime in milliseconds (RFC 9111 §4.2.1, heuristics §4.2.2); 0 means stale on arrival. */
    long lifetimeMillis(CacheEntry entry) {
        CacheHeaders headers = entry.headers();
        CacheControl cc = CacheControl.of(headers);
        // §4.2.1: a shared cache uses s-maxage first, then max-age, then Expires − Date. Invalid or
        // conflicting values make the response stale (§4.2.1 "encouraged to consider ... stale").
        if (cc.has("s-maxage")) {
            return cc.seconds("s-maxage").orElse(0) * 1000;
        }
        if (cc.has("max-age")) {
            return cc.seconds("max-age").orElse(0) * 1000;
        }
        List<String> expires = headers.all("Expires");
        if (!expires.isEmpty()) {
            // §5.3: an invalid Expires (e.g. "0") means already expired; so do two different ones (§4.2.1).
            OptionalLong expiresAt = expires.stream().distinct().count() == 1 ? HttpDate.parse(expires.getFirst()) : OptionalLong.empty();
            if (expiresAt.isEmpty()) {
                return 0;
            }
            return Math.max(0, expiresAt.getAsLong() - dateValue(entry));
        }
        return heuristicLifetimeMillis(entry, cc);
    }

    /**
     * §4.2.2: without explicit expiration, a fraction of the time since Last-Modified, capped, for
     * heuristically cacheable statuses or responses marked public (§3).
     */
    private long heuristicLifetimeMillis(CacheEntry entry, CacheControl cc) {
        if (!HEURISTICALLY_CACHEABLE.contains(entry.status()) && !cc.has("public")) {
            return 0;
        }
        OptionalLong lastModified = HttpDate.parse(entry.headers().first("Last-Modified"));
        if (lastModified.isEmpty()) {
            return 0;
        }
        long sinceModified = dateValue(entry) - lastModified.getAsLong();
        if (sinceModified <= 0) {
            return 0;
        }
        return Math.min(heuristicCapMillis, (long) (sinceModified * heuristicFraction));
    }

    /** The current age in milliseconds (RFC 9111 §4.2.3), never negative. */
    static long currentAgeMillis(CacheEntry entry, long nowMillis) {
        long apparentAge = Math.max(0, entry.responseTimeMillis() - dateValue(entry));
        long responseDelay = Math.max(0, entry.responseTimeMillis() - entry.requestTimeMillis());
        long correctedAgeValue = ageValueSeconds(entry.headers()) * 1000 + responseDelay;
        long correctedInitialAge = Math.max(apparentAge, correctedAgeValue);
        long residentTime = Math.max(0, nowMillis - entry.responseTimeMillis());
        return correctedInitialAge + residentTime;
    }

    /**
     * The {@code Age} field value in seconds (RFC 9111 §5.1): the first member of a list, ignored
     * (0) when invalid, clamped when huge (§1.2.2).
     */
    static long ageValueSeconds(CacheHeaders headers) {
        return headers.responseFacts().ageSeconds();
    }

    /** {@code date_value} (§4.2.3): the Date field, or the response time when Date is missing or invalid. */
    static long dateValue(CacheEntry entry) {
        long date = entry.headers().responseFacts().dateMillis();
        return date == Long.MIN_VALUE ? entry.responseTimeMillis() : date;
    }
}
