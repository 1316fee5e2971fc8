package dev.gatehouse.cache;

import static dev.gatehouse.cache.CacheDecision.Outcome.HIT;
import static dev.gatehouse.cache.CacheDecision.Outcome.STALE_NEEDS_REVALIDATION;
import static dev.gatehouse.cache.PolicyFixtures.at;
import static dev.gatehouse.cache.PolicyFixtures.date;
import static dev.gatehouse.cache.PolicyFixtures.h;
import static dev.gatehouse.cache.PolicyFixtures.stored;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.gatehouse.cache.CacheDecision.Outcome;

/**
 * Heuristic freshness by URL (RFC 9111 §4.2.2, Squid's refresh_pattern): which rule a stored response gets and
 * the lifetime it gives, and that rules never touch explicit freshness, storability or validation directives.
 */
class CachePolicyHeuristicTest {
    private static final long HOUR = 3600;
    private static final long DAY = 24 * HOUR;
    /**
     * Packages: 50% of the time since Last-Modified up to 2 days, 1 hour without it, case-insensitive; a live feed: nothing; a
     * later rule for .iso that the first one hides; then the fallback of 10%, at most one day.
     */
    private static final CachePolicy POLICY = CachePolicy.withHeuristic(List.of(
            rule("\\.(deb|iso)$", Pattern.CASE_INSENSITIVE, HOUR, 0.5, 2 * DAY),
            rule("/live/", 0, 0, 0, 0),
            rule("\\.iso$", 0, 0, 0, 0),
            rule("^http://example\\.com/pinned", 0, 3 * HOUR, 0, 3 * HOUR)), 0.1, DAY * 1000);
    private static final CacheHeaders NONE = CacheHeaders.empty();

    private static HeuristicRule rule(String regex, int flags, long minSeconds, double fraction, long maxSeconds) {
        return new HeuristicRule(Pattern.compile(regex, flags), minSeconds * 1000, fraction, maxSeconds * 1000);
    }

    static Stream<Arguments> lifetimes() {
        return Stream.of(
                row("the first matching rule wins: .iso is the package rule's, not the later zero rule's",
                        "http://example.com/a.iso", 200, h("Last-Modified", date(-2 * DAY)), DAY),
                row("a case-insensitive rule matches upper case", "http://example.com/A.ISO", 200, h("Last-Modified", date(-2 * DAY)), DAY),
                row("a case-sensitive rule does not: the fallback's 10%", "http://example.com/LIVE/x", 200, h("Last-Modified", date(-5 * DAY)), 12 * HOUR),
                row("percent of the time since Last-Modified", "http://example.com/a.deb", 200, h("Last-Modified", date(-10 * HOUR)), 5 * HOUR),
                row("capped at max", "http://example.com/a.deb", 200, h("Last-Modified", date(-100 * DAY)), 2 * DAY),
                row("§4.2.2 min does not lift the share of a recent Last-Modified (Squid's override-lastmod would)",
                        "http://example.com/a.deb", 200, h("Last-Modified", date(-HOUR)), HOUR / 2),
                row("without Last-Modified the lifetime is min", "http://example.com/a.deb", 200, NONE, HOUR),
                row("an invalid Last-Modified counts as none", "http://example.com/a.deb", 200, h("Last-Modified", "last week"), HOUR),
                row("a Last-Modified after Date gives min", "http://example.com/a.deb", 200, h("Last-Modified", date(HOUR)), HOUR),
                row("measured from Date, not from receipt", "http://example.com/a.deb",
                        200, h("Date", date(-4 * HOUR), "Last-Modified", date(-12 * HOUR)), 4 * HOUR),
                row("a zero rule gives no heuristic freshness", "http://example.com/live/feed", 200, h("Last-Modified", date(-100 * DAY)), 0),
                row("matched against the cache key: host lower-cased, default port dropped", "http://EXAMPLE.com:80/pinned/x",
                        200, NONE, 3 * HOUR),
                row("no rule matches: the fallback, 10% of the time since Last-Modified", "http://example.com/page", 200,
                        h("Last-Modified", date(-5 * DAY)), 12 * HOUR),
                row("no rule matches: the fallback's cap", "http://example.com/page", 200, h("Last-Modified", date(-100 * DAY)), DAY),
                row("no rule matches and no Last-Modified: no heuristic", "http://example.com/page", 200, NONE, 0),
                row("§4.2.1 max-age is untouched by a rule", "http://example.com/a.deb", 200,
                        h("Cache-Control", "max-age=60", "Last-Modified", date(-100 * DAY)), 60),
                row("§4.2.1 max-age=0 is untouched by a rule's min", "http://example.com/a.deb", 200, h("Cache-Control", "max-age=0"), 0),
                row("§4.2.1 s-maxage is untouched by a rule", "http://example.com/a.deb", 200, h("Cache-Control", "s-maxage=30"), 30),
                row("§4.2.1 Expires is untouched by a rule", "http://example.com/a.deb", 200, h("Expires", date(100)), 100),
                row("§5.3 an invalid Expires stays expired under a rule", "http://example.com/a.deb", 200, h("Expires", "0"), 0),
                row("§4.2.2 a status that is not heuristically cacheable gets no rule", "http://example.com/a.deb", 302,
                        h("Last-Modified", date(-10 * DAY)), 0),
                row("§4.2.2 ... unless marked public", "http://example.com/a.deb", 302,
                        h("Cache-Control", "public", "Last-Modified", date(-10 * HOUR)), 5 * HOUR),
                row("§4.2.2 a heuristically cacheable 404 gets the rule", "http://example.com/a.deb", 404, NONE, HOUR));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lifetimes")
    void theFirstMatchingRuleGivesTheHeuristicLifetime(String rule, String url, int status, CacheHeaders response, long seconds) {
        assertEquals(seconds * 1000, POLICY.freshnessLifetimeMillis(CacheKey.of(url), stored(status, response, NONE)), rule);
    }

    static Stream<Arguments> decisions() {
        CacheHeaders onlyLastModified = h("Last-Modified", date(-10 * DAY));
        return Stream.of(
                decision("a long rule keeps a package fresh past the fallback's day", "http://example.com/a.deb", onlyLastModified,
                        DAY + HOUR, HIT),
                decision("... until its max", "http://example.com/a.deb", onlyLastModified, 2 * DAY, STALE_NEEDS_REVALIDATION),
                decision("a zero rule revalidates on every use", "http://example.com/live/feed", onlyLastModified, 1,
                        STALE_NEEDS_REVALIDATION),
                decision("without a rule the fallback's day applies", "http://example.com/page", onlyLastModified, DAY - 1, HIT),
                decision("§5.2.2.4 no-cache is revalidated whatever the rule", "http://example.com/a.deb",
                        h("Cache-Control", "no-cache", "Last-Modified", date(-10 * DAY)), 1, STALE_NEEDS_REVALIDATION),
                decision("§5.2.2.2 must-revalidate with max-age=0 is revalidated whatever the rule", "http://example.com/a.deb",
                        h("Cache-Control", "max-age=0, must-revalidate", "Last-Modified", date(-10 * DAY)), 1, STALE_NEEDS_REVALIDATION));
    }

    /** The decision uses the URL of the request, the one the response is stored under. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("decisions")
    void decidesWithTheRuleOfTheStoredUrl(String rule, String url, CacheHeaders response, long ageSeconds, Outcome outcome) {
        CacheRequest request = CacheRequest.of("GET", url, NONE);
        assertEquals(outcome, POLICY.decide(request, stored(200, response, NONE), at(ageSeconds), true).outcome(), rule);
    }

    static Stream<Arguments> storing() {
        return Stream.of(
                stores("a rule's min makes a response without validators worth storing", "http://example.com/a.deb", NONE, true),
                stores("without a rule such a response could never be reused, so it is not stored", "http://example.com/page", NONE, false),
                stores("a zero rule still stores a response with a validator (revalidated on each use)", "http://example.com/live/feed",
                        h("Last-Modified", date(-DAY)), true),
                stores("a zero rule with no validator: nothing to reuse", "http://example.com/live/feed", NONE, false),
                stores("§5.2.2.5 no-store is never stored, whatever the rule", "http://example.com/a.deb",
                        h("Cache-Control", "no-store", "Last-Modified", date(-DAY)), false),
                stores("§5.2.2.7 private is never stored, whatever the rule", "http://example.com/a.deb",
                        h("Cache-Control", "private", "Last-Modified", date(-DAY)), false),
                stores("privacy: Set-Cookie without public is never stored, whatever the rule", "http://example.com/a.deb",
                        h("Set-Cookie", "a=1", "Last-Modified", date(-DAY)), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("storing")
    void rulesNeverChangeWhatIsStorable(String rule, String url, CacheHeaders response, boolean stored) {
        CacheRequest request = CacheRequest.of("GET", url, NONE);
        CacheHeaders withDate = response.toBuilder().add("Date", date(0)).build();
        assertEquals(stored, POLICY.entryFor(request, 200, withDate, at(0), at(0)).isPresent(), rule);
    }

    @Test
    void aRuleNeedsAFractionWithinOneAndMinNotAboveMax() {
        Pattern any = Pattern.compile("");
        assertThrows(IllegalArgumentException.class, () -> new HeuristicRule(any, 0, 1.5, 1000));
        assertThrows(IllegalArgumentException.class, () -> new HeuristicRule(any, 2000, 0.1, 1000));
        assertThrows(IllegalArgumentException.class, () -> new HeuristicRule(any, -1, 0.1, 1000));
        assertThrows(IllegalArgumentException.class, () -> new HeuristicRule(null, 0, 0.1, 1000));
    }

    private static Arguments row(String rule, String url, int status, CacheHeaders response, long seconds) {
        return Arguments.of(rule, url, status, response, seconds);
    }

    private static Arguments decision(String rule, String url, CacheHeaders response, long ageSeconds, Outcome outcome) {
        return Arguments.of(rule, url, response, ageSeconds, outcome);
    }

    private static Arguments stores(String rule, String url, CacheHeaders response, boolean stored) {
        return Arguments.of(rule, url, response, stored);
    }
}
