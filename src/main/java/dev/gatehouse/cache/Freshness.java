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

    /** Tried in order for a response without explicit expiration; the first whose pattern matches applies. */
    private final List<HeuristicRule> rules;
    /** The rule when none of {@link #rules} matches. */
    private final HeuristicRule otherwise;

    Freshness(List<HeuristicRule> rules, HeuristicRule otherwise) {
        this.rules = List.copyOf(rules);
        this.otherwise = otherwise;
    }

    /** Whether the response carries an explicit expiration time (RFC 9111 §4.2.1). */
    static boolean hasExplicitExpiration(CacheHeaders headers, CacheControl cc) {
        return cc.has("s-maxage") || cc.has("max-age") || headers.has("Expires");
    }

    /**
     * The freshness lifetime in milliseconds (RFC 9111 §4.2.1, heuristics §4.2.2) of {@code entry}, stored
     * under {@code key} (the URL a heuristic rule is chosen by); 0 means stale on arrival.
     */
    long lifetimeMillis(CacheKey key, CacheEntry entry) {
        CacheHeaders headers = entry.headers();
        CacheControl cc = CacheControl.of(headers);
        // §4.2.1: a shared cache uses s-maxage first, then max-age, then Expires − Date. Invalid or
        // conflicting values make the response stale (§4.2.1 "encouraged to consider ... stale").
        if (cc.has("s-maxage")) {
            return cc.seconds("s-maxage", 0) * 1000;
        }
        if (cc.has("max-age")) {
            return cc.seconds("max-age", 0) * 1000;
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
        return heuristicLifetimeMillis(key, entry, cc);
    }

    /**
     * §4.2.2: without explicit expiration, only for heuristically cacheable statuses or responses marked
     * public (§3), the first rule matching the URL decides, from the time since Last-Modified.
     */
    private long heuristicLifetimeMillis(CacheKey key, CacheEntry entry, CacheControl cc) {
        if (!HEURISTICALLY_CACHEABLE.contains(entry.status()) && !cc.has("public")) {
            return 0;
        }
        OptionalLong lastModified = HttpDate.parse(entry.headers().first("Last-Modified"));
        long sinceModified = lastModified.isEmpty() ? 0 : dateValue(entry) - lastModified.getAsLong();
        return ruleFor(key).lifetimeMillis(sinceModified);
    }

    private HeuristicRule ruleFor(CacheKey key) {
        for (HeuristicRule rule : rules) {
            if (rule.matches(key)) {
                return rule;
            }
        }
        return otherwise;
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
