package dev.gatehouse.cache;

import java.util.regex.Pattern;

/**
 * One heuristic freshness rule (RFC 9111 §4.2.2), Squid's {@code refresh_pattern min percent max}: a stored
 * response without explicit expiration, stored under a URL that {@code url} finds, is fresh for
 * {@code fraction} of the time between its Date and its Last-Modified, at most {@code maxMillis}; without a
 * Last-Modified before its Date, for {@code minMillis}. As in Squid, {@code minMillis} does not lift the
 * share of a recently modified response (that is Squid's {@code override-lastmod}): §4.2.2 encourages "no
 * more than some fraction of the interval since" Last-Modified.
 *
 * @param url       found anywhere in the URL the response is stored under (its {@link CacheKey}: lower-case
 *                  scheme and host, no default port, no fragment); compiled once, when the rule is made
 * @param minMillis the lifetime without a usable Last-Modified
 * @param fraction  the share of the time since Last-Modified, 0 to 1
 * @param maxMillis the longest lifetime, not below {@code minMillis}
 */
public record HeuristicRule(Pattern url, long minMillis, double fraction, long maxMillis) {
    private static final Pattern EVERY_URL = Pattern.compile("");

    public HeuristicRule {
        if (url == null || !(fraction >= 0 && fraction <= 1) || minMillis < 0 || minMillis > maxMillis) {
            throw new IllegalArgumentException("a heuristic freshness rule needs a URL pattern, a fraction within [0, 1] and"
                    + " 0 <= min <= max, got /" + url + "/, fraction " + fraction + ", min " + minMillis + " ms, max " + maxMillis + " ms");
        }
    }

    /**
     * The rule for every URL no other rule names: {@code fraction} of the time since Last-Modified, at most
     * {@code capMillis}, nothing without Last-Modified ({@code cache.heuristicFraction}, {@code cache.heuristicCap}).
     */
    static HeuristicRule everyUrl(double fraction, long capMillis) {
        return new HeuristicRule(EVERY_URL, 0, fraction, capMillis);
    }

    /** Whether this rule applies to a response stored under {@code key}. */
    boolean matches(CacheKey key) {
        return url.matcher(key.value()).find();
    }

    /**
     * The lifetime for a response whose Date is {@code sinceModifiedMillis} after its Last-Modified; 0 or less
     * (no Last-Modified, or one not before Date) gives {@code minMillis}.
     */
    long lifetimeMillis(long sinceModifiedMillis) {
        if (sinceModifiedMillis <= 0) {
            return minMillis;
        }
        return Math.min((long) (sinceModifiedMillis * fraction), maxMillis);
    }
}
