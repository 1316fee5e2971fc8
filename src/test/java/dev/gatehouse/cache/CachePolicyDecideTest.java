package dev.gatehouse.cache;

import static dev.gatehouse.cache.CacheDecision.Outcome.HIT;
import static dev.gatehouse.cache.CacheDecision.Outcome.MISS;
import static dev.gatehouse.cache.CacheDecision.Outcome.NOT_MODIFIED;
import static dev.gatehouse.cache.CacheDecision.Outcome.STALE_NEEDS_REVALIDATION;
import static dev.gatehouse.cache.CacheDecision.Outcome.STALE_WHILE_REVALIDATE;
import static dev.gatehouse.cache.CacheDecision.Outcome.UNSATISFIABLE_504;
import static dev.gatehouse.cache.PolicyFixtures.URI;
import static dev.gatehouse.cache.PolicyFixtures.at;
import static dev.gatehouse.cache.PolicyFixtures.date;
import static dev.gatehouse.cache.PolicyFixtures.h;
import static dev.gatehouse.cache.PolicyFixtures.stored;
import static dev.gatehouse.cache.ResultCode.TCP_CLIENT_REFRESH_MISS;
import static dev.gatehouse.cache.ResultCode.TCP_HIT;
import static dev.gatehouse.cache.ResultCode.TCP_IMS_HIT;
import static dev.gatehouse.cache.ResultCode.TCP_INM_HIT;
import static dev.gatehouse.cache.ResultCode.TCP_MISS;
import static dev.gatehouse.cache.ResultCode.TCP_NEGATIVE_HIT;
import static dev.gatehouse.cache.ResultCode.TCP_OFFLINE_MISS;
import static dev.gatehouse.cache.ResultCode.TCP_REFRESH_MODIFIED;
import static dev.gatehouse.cache.ResultCode.TCP_STALE_HIT;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.gatehouse.cache.CacheDecision.Outcome;

/**
 * The lookup table: a request, the stored entry (received at T0 with Date: T0) and the time of the
 * request give one decision and one result code.
 */
class CachePolicyDecideTest {
    private static final CachePolicy POLICY = CachePolicy.defaults();
    private static final CacheHeaders NONE = CacheHeaders.empty();

    static Stream<Arguments> freshness() {
        return Stream.of(
                row("§4.2.1 max-age fresh", NONE, h("Cache-Control", "max-age=60"), 30, HIT, TCP_HIT),
                row("§4.2.1 max-age stale", NONE, h("Cache-Control", "max-age=60"), 61, STALE_NEEDS_REVALIDATION, TCP_REFRESH_MODIFIED),
                row("§4.2 age equal to lifetime is stale", NONE, h("Cache-Control", "max-age=60"), 60, STALE_NEEDS_REVALIDATION, TCP_REFRESH_MODIFIED),
                row("§4.2.1 s-maxage wins over a shorter max-age", NONE, h("Cache-Control", "max-age=10, s-maxage=120"), 60, HIT, TCP_HIT),
                row("§4.2.1 s-maxage wins over a longer max-age", NONE, h("Cache-Control", "max-age=120, s-maxage=10"), 60, STALE_NEEDS_REVALIDATION, TCP_REFRESH_MODIFIED),
                row("§4.2.1 Expires − Date fresh", NONE, h("Expires", date(100)), 50, HIT, TCP_HIT),
                row("§4.2.1 Expires − Date stale", NONE, h("Expires", date(100)), 150, STALE_NEEDS_REVALIDATION, TCP_REFRESH_MODIFIED),
                row("§4.2.1 Expires measured from Date, not from receipt", NONE, h("Date", date(-80), "Expires", date(100)), 90, HIT, TCP_HIT),
                row("§4.2.1 max-age wins over Expires", NONE, h("Cache-Control", "max-age=100", "Expires", date(-10)), 50, HIT, TCP_HIT),
                row("§5.3 Expires: 0 is already expired", NONE, h("Expires", "0"), 0, STALE_NEEDS_REVALIDATION, TCP_REFRESH_MODIFIED),
                row("§5.3 garbage Expires is already expired", NONE, h("Expires", "tomorrow"), 0, STALE_NEEDS_REVALIDATION, TCP_REFRESH_MODIFIED),
                row("§4.2.1 two different Expires are stale", NONE, h("Expires", date(100), "Expires", date(200)), 10, STALE_NEEDS_REVALIDATION, TCP_REFRESH_MODIFIED),
                row("RFC 9110 §5.6.7 Expires in RFC 850 form", NONE, h("Expires", "Monday, 23-Nov-26 10:01:40 GMT"), 50, HIT, TCP_HIT),
                row("RFC 9110 §5.6.7 Expires in asctime form", NONE, h("Expires", "Mon Nov 23 10:01:40 2026"), 50, HIT, TCP_HIT),
                row("RFC 9110 §5.6.7 lower-case date with a wrong day name", NONE, h("Expires", "fri, 23 nov 2026 10:01:40 gmt"), 50, HIT, TCP_HIT),
                row("§4.2.2 heuristic: 10% of 10 days since Last-Modified is 1 day", NONE, h("Last-Modified", date(-10 * 86400)), 23 * 3600, HIT, TCP_HIT),
                row("§4.2.2 heuristic expires after 10% of the age", NONE, h("Last-Modified", date(-5 * 86400)), 13 * 3600, STALE_NEEDS_REVALIDATION, TCP_REFRESH_MODIFIED),
                row("§4.2.2 heuristic is capped at one day", NONE, h("Last-Modified", date(-100 * 86400)), 25 * 3600, STALE_NEEDS_REVALIDATION, TCP_REFRESH_MODIFIED),
                row("§4.2.2 Last-Modified in the future gives no heuristic", NONE, h("Last-Modified", date(3600)), 1, STALE_NEEDS_REVALIDATION, TCP_REFRESH_MODIFIED),
                row("§4.2.2 no heuristic for a 302", 302, NONE, h("Last-Modified", date(-10 * 86400)), 60, STALE_NEEDS_REVALIDATION, TCP_REFRESH_MODIFIED),
                row("§4.2.2 heuristic 404 is a negative hit", 404, NONE, h("Last-Modified", date(-10 * 86400)), 60, HIT, TCP_NEGATIVE_HIT),
                row("§4.2.2 public makes any status heuristically fresh", 302, NONE, h("Cache-Control", "public", "Last-Modified", date(-10 * 86400)), 60, HIT, TCP_HIT),
                row("§4.2.2 no heuristic when explicit expiration is present", NONE, h("Cache-Control", "max-age=5", "Last-Modified", date(-10 * 86400)), 60, STALE_NEEDS_REVALIDATION, TCP_REFRESH_MODIFIED));
    }

    static Stream<Arguments> age() {
        return Stream.of(
                row("§4.2.3 Age adds to resident time", NONE, h("Cache-Control", "max-age=60", "Age", "50"), 20, STALE_NEEDS_REVALIDATION, TCP_REFRESH_MODIFIED),
                row("§4.2.3 small Age keeps it fresh", NONE, h("Cache-Control", "max-age=60", "Age", "10"), 20, HIT, TCP_HIT),
                row("§5.1 garbage Age is ignored", NONE, h("Cache-Control", "max-age=60", "Age", "abc"), 20, HIT, TCP_HIT),
                row("§5.1 negative Age is ignored", NONE, h("Cache-Control", "max-age=60", "Age", "-500"), 20, HIT, TCP_HIT),
                row("§1.2.2 huge Age is clamped, not overflowed", NONE, h("Cache-Control", "max-age=60", "Age", "999999999999999999999999"), 0, STALE_NEEDS_REVALIDATION, TCP_REFRESH_MODIFIED),
                row("§5.1 list-based Age uses its first member", NONE, h("Cache-Control", "max-age=60", "Age", "10, 100"), 20, HIT, TCP_HIT),
                row("§4.2.3 apparent age from an old Date", NONE, h("Date", date(-100), "Cache-Control", "max-age=60"), 0, STALE_NEEDS_REVALIDATION, TCP_REFRESH_MODIFIED),
                row("§4.2.3 a Date in the future gives no negative age", NONE, h("Date", date(3600), "Cache-Control", "max-age=60"), 30, HIT, TCP_HIT),
                row("§4.2.3 invalid Date falls back to the response time", NONE, h("Date", "yesterday", "Cache-Control", "max-age=60"), 30, HIT, TCP_HIT));
    }

    static Stream<Arguments> directiveParsing() {
        return Stream.of(
                row("§5.2 directive names are case-insensitive", NONE, h("Cache-Control", "MAX-AGE=60"), 30, HIT, TCP_HIT),
                row("§5.2 quoted delta-seconds are accepted", NONE, h("Cache-Control", "max-age=\"60\""), 30, HIT, TCP_HIT),
                row("§4.2.1 conflicting duplicates are stale", NONE, h("Cache-Control", "max-age=3600, max-age=60"), 30, STALE_NEEDS_REVALIDATION, TCP_REFRESH_MODIFIED),
                row("§4.2.1 identical duplicates across lines are fine", NONE, h("Cache-Control", "max-age=60", "Cache-Control", "max-age=60"), 30, HIT, TCP_HIT),
                row("§4.2.1 non-integer max-age is stale", NONE, h("Cache-Control", "max-age=abc"), 0, STALE_NEEDS_REVALIDATION, TCP_REFRESH_MODIFIED),
                row("§4.2.1 negative max-age is stale", NONE, h("Cache-Control", "max-age=-1"), 0, STALE_NEEDS_REVALIDATION, TCP_REFRESH_MODIFIED),
                row("§5.2 a comma inside a quoted value does not split directives", NONE, h("Cache-Control", "ext=\"a, no-cache\", max-age=60"), 30, HIT, TCP_HIT),
                row("§5.2 whitespace and empty members are tolerated", NONE, h("Cache-Control", " ,  max-age = 60 ,,"), 30, HIT, TCP_HIT));
    }

    static Stream<Arguments> requestDirectives() {
        CacheHeaders fresh60 = h("Cache-Control", "max-age=60");
        return Stream.of(
                row("§5.2.1.1 max-age older than allowed", h("Cache-Control", "max-age=10"), fresh60, 30, STALE_NEEDS_REVALIDATION, TCP_REFRESH_MODIFIED),
                row("§5.2.1.1 max-age young enough", h("Cache-Control", "max-age=40"), fresh60, 30, HIT, TCP_HIT),
                row("§5.2.1.1 max-age=0 forces validation", h("Cache-Control", "max-age=0"), fresh60, 1, STALE_NEEDS_REVALIDATION, TCP_REFRESH_MODIFIED),
                row("§5.2.1.3 min-fresh not met", h("Cache-Control", "min-fresh=40"), fresh60, 30, STALE_NEEDS_REVALIDATION, TCP_REFRESH_MODIFIED),
                row("§5.2.1.3 min-fresh met", h("Cache-Control", "min-fresh=20"), fresh60, 30, HIT, TCP_HIT),
                row("§5.2.1.2 max-stale without value takes any staleness", h("Cache-Control", "max-stale"), fresh60, 86400, HIT, TCP_HIT),
                row("§5.2.1.2 max-stale within bound", h("Cache-Control", "max-stale=10"), fresh60, 65, HIT, TCP_HIT),
                row("§5.2.1.2 max-stale exceeded", h("Cache-Control", "max-stale=10"), fresh60, 80, STALE_NEEDS_REVALIDATION, TCP_REFRESH_MODIFIED),
                row("§5.2.1.2 invalid max-stale is ignored", h("Cache-Control", "max-stale=soon"), fresh60, 65, STALE_NEEDS_REVALIDATION, TCP_REFRESH_MODIFIED),
                row("§5.2.2.2 must-revalidate beats max-stale", h("Cache-Control", "max-stale"), h("Cache-Control", "max-age=60, must-revalidate"), 65, STALE_NEEDS_REVALIDATION, TCP_REFRESH_MODIFIED),
                row("§5.2.2.8 proxy-revalidate beats max-stale", h("Cache-Control", "max-stale"), h("Cache-Control", "max-age=60, proxy-revalidate"), 65, STALE_NEEDS_REVALIDATION, TCP_REFRESH_MODIFIED),
                row("§5.2.2.10 s-maxage beats max-stale in a shared cache", h("Cache-Control", "max-stale"), h("Cache-Control", "s-maxage=60"), 65, STALE_NEEDS_REVALIDATION, TCP_REFRESH_MODIFIED),
                row("must-revalidate does not stop a fresh hit", NONE, h("Cache-Control", "max-age=60, must-revalidate"), 30, HIT, TCP_HIT),
                row("§5.2.1.4 request no-cache validates even when fresh", h("Cache-Control", "no-cache"), fresh60, 1, STALE_NEEDS_REVALIDATION, TCP_CLIENT_REFRESH_MISS),
                row("§5.2.1.4 request NO-CACHE in upper case", h("Cache-Control", "NO-CACHE"), fresh60, 1, STALE_NEEDS_REVALIDATION, TCP_CLIENT_REFRESH_MISS),
                row("RFC 7234 §5.4 Pragma: no-cache without Cache-Control", h("Pragma", "no-cache"), fresh60, 1, STALE_NEEDS_REVALIDATION, TCP_CLIENT_REFRESH_MISS),
                row("RFC 7234 §5.4 Pragma ignored when Cache-Control is present", h("Pragma", "no-cache", "Cache-Control", "max-stale=5"), fresh60, 1, HIT, TCP_HIT),
                row("§5.2.1.5 request no-store still reuses a stored response", h("Cache-Control", "no-store"), fresh60, 30, HIT, TCP_HIT),
                row("§5.2.1.7 only-if-cached with a fresh entry", h("Cache-Control", "only-if-cached"), fresh60, 30, HIT, TCP_HIT),
                row("§5.2.1.7 only-if-cached with a stale entry is 504", h("Cache-Control", "only-if-cached"), fresh60, 90, UNSATISFIABLE_504, TCP_OFFLINE_MISS),
                row("§5.2.1.7 only-if-cached plus no-cache is 504", h("Cache-Control", "only-if-cached, no-cache"), fresh60, 1, UNSATISFIABLE_504, TCP_OFFLINE_MISS),
                row("§5.2.1.7 only-if-cached with max-stale serves stale", h("Cache-Control", "only-if-cached, max-stale"), fresh60, 90, HIT, TCP_HIT),
                row("§5.2.2.2 only-if-cached and must-revalidate stale is 504", h("Cache-Control", "only-if-cached, max-stale"), h("Cache-Control", "max-age=60, must-revalidate"), 90, UNSATISFIABLE_504, TCP_OFFLINE_MISS));
    }

    static Stream<Arguments> responseDirectives() {
        return Stream.of(
                row("§5.2.2.4 no-cache validates even when fresh", NONE, h("Cache-Control", "max-age=600, no-cache"), 1, STALE_NEEDS_REVALIDATION, TCP_REFRESH_MODIFIED),
                row("§5.2.2.4 qualified no-cache is treated as no-cache", NONE, h("Cache-Control", "max-age=600, no-cache=\"Set-Cookie\""), 1, STALE_NEEDS_REVALIDATION, TCP_REFRESH_MODIFIED),
                row("RFC 5861 §3 stale-while-revalidate within window", NONE, h("Cache-Control", "max-age=60, stale-while-revalidate=30"), 80, STALE_WHILE_REVALIDATE, TCP_STALE_HIT),
                row("RFC 5861 §3 stale-while-revalidate window passed", NONE, h("Cache-Control", "max-age=60, stale-while-revalidate=30"), 100, STALE_NEEDS_REVALIDATION, TCP_REFRESH_MODIFIED),
                row("§4.2.4 must-revalidate forbids stale-while-revalidate", NONE, h("Cache-Control", "max-age=60, stale-while-revalidate=30, must-revalidate"), 80, STALE_NEEDS_REVALIDATION, TCP_REFRESH_MODIFIED),
                row("stale-while-revalidate yields to the client's max-age", h("Cache-Control", "max-age=70"), h("Cache-Control", "max-age=60, stale-while-revalidate=30"), 80, STALE_NEEDS_REVALIDATION, TCP_REFRESH_MODIFIED),
                row("stale-if-error alone does not serve stale on lookup", NONE, h("Cache-Control", "max-age=60, stale-if-error=300"), 80, STALE_NEEDS_REVALIDATION, TCP_REFRESH_MODIFIED));
    }

    static Stream<Arguments> methodsAndMisses() {
        CacheHeaders fresh60 = h("Cache-Control", "max-age=60");
        return Stream.of(
                Arguments.of("nothing stored is a miss", CacheRequest.of("GET", URI, NONE), null, 0, MISS, TCP_MISS),
                Arguments.of("§5.2.1.7 nothing stored and only-if-cached is 504", CacheRequest.of("GET", URI, h("Cache-Control", "only-if-cached")), null, 0, UNSATISFIABLE_504, TCP_OFFLINE_MISS),
                Arguments.of("§4 HEAD is answered from a stored GET", CacheRequest.of("HEAD", URI, NONE), stored(fresh60), at(30), HIT, TCP_HIT),
                Arguments.of("§4 POST never reads the cache", CacheRequest.of("POST", URI, NONE), stored(fresh60), at(30), MISS, TCP_MISS),
                Arguments.of("§4 lower-case method is normalised", CacheRequest.of("get", URI, NONE), stored(fresh60), at(30), HIT, TCP_HIT));
    }

    static Stream<Arguments> vary() {
        CacheHeaders varyEncoding = h("Cache-Control", "max-age=60", "Vary", "Accept-Encoding");
        CacheHeaders gzip = h("Accept-Encoding", "gzip");
        return Stream.of(
                vary("§4.1 same selected value", varyEncoding, gzip, gzip, HIT),
                vary("§4.1 different selected value", varyEncoding, gzip, h("Accept-Encoding", "br"), MISS),
                vary("§4.1 absent in the request, present when stored", varyEncoding, gzip, NONE, MISS),
                vary("§4.1 absent both times matches", varyEncoding, NONE, NONE, HIT),
                vary("§4.1 absent does not match empty", varyEncoding, NONE, h("Accept-Encoding", ""), MISS),
                vary("§4.1 case is normalised for Accept-Encoding", varyEncoding, gzip, h("Accept-Encoding", "GZIP"), HIT),
                vary("§4.1 order is normalised for Accept-Encoding", varyEncoding, h("Accept-Encoding", "gzip, br"), h("Accept-Encoding", "br,gzip"), HIT),
                vary("§4.1 field lines are combined", varyEncoding, h("Accept-Encoding", "gzip, br"), h("Accept-Encoding", "gzip", "Accept-Encoding", "br"), HIT),
                vary("§4.1 header names in Vary are case-insensitive", h("Cache-Control", "max-age=60", "Vary", "ACCEPT-encoding"), gzip, h("accept-encoding", "gzip"), HIT),
                vary("§4.1 unrelated request headers do not matter", varyEncoding, gzip, h("Accept-Encoding", "gzip", "User-Agent", "x"), HIT),
                vary("§4.1 every listed field must match", h("Cache-Control", "max-age=60", "Vary", "Accept-Encoding, User-Agent"), h("Accept-Encoding", "gzip", "User-Agent", "a"), h("Accept-Encoding", "gzip", "User-Agent", "b"), MISS),
                vary("§4.1 case matters for other fields", h("Cache-Control", "max-age=60", "Vary", "User-Agent"), h("User-Agent", "a"), h("User-Agent", "A"), MISS),
                vary("§4.1 Vary: * never matches", h("Cache-Control", "max-age=60", "Vary", "*"), NONE, NONE, MISS));
    }

    static Stream<Arguments> clientConditionals() {
        CacheHeaders validated = h("Cache-Control", "max-age=60", "ETag", "\"v1\"", "Last-Modified", date(-3600));
        return Stream.of(
                row("§4.3.2 If-None-Match matches the stored ETag", h("If-None-Match", "\"v1\""), validated, 30, NOT_MODIFIED, TCP_INM_HIT),
                row("§4.3.2 If-None-Match list with a match", h("If-None-Match", "\"v0\", \"v1\""), validated, 30, NOT_MODIFIED, TCP_INM_HIT),
                row("§4.3.2 If-None-Match uses weak comparison", h("If-None-Match", "W/\"v1\""), validated, 30, NOT_MODIFIED, TCP_INM_HIT),
                row("§4.3.2 If-None-Match: * matches", h("If-None-Match", "*"), validated, 30, NOT_MODIFIED, TCP_INM_HIT),
                row("§4.3.2 If-None-Match without a match is a full hit", h("If-None-Match", "\"v2\""), validated, 30, HIT, TCP_HIT),
                row("§4.3.2 If-Modified-Since after Last-Modified", h("If-Modified-Since", date(-60)), validated, 30, NOT_MODIFIED, TCP_IMS_HIT),
                row("§4.3.2 If-Modified-Since equal to Last-Modified", h("If-Modified-Since", date(-3600)), validated, 30, NOT_MODIFIED, TCP_IMS_HIT),
                row("§4.3.2 If-Modified-Since before Last-Modified", h("If-Modified-Since", date(-7200)), validated, 30, HIT, TCP_HIT),
                row("RFC 9110 §13.1.3 invalid If-Modified-Since is ignored", h("If-Modified-Since", "last week"), validated, 30, HIT, TCP_HIT),
                row("RFC 9110 §13.2.2 If-None-Match takes precedence", h("If-None-Match", "\"v2\"", "If-Modified-Since", date(-60)), validated, 30, HIT, TCP_HIT),
                row("§4.3.2 If-Modified-Since against Date without Last-Modified", h("If-Modified-Since", date(10)), h("Cache-Control", "max-age=60"), 30, NOT_MODIFIED, TCP_IMS_HIT),
                row("§4.3.2 a stale entry is validated, not answered", h("If-None-Match", "\"v1\""), validated, 90, STALE_NEEDS_REVALIDATION, TCP_REFRESH_MODIFIED),
                row("RFC 9110 §13.2.1 a stored 404 never becomes 304", 404, h("If-None-Match", "*"), h("Cache-Control", "max-age=60"), 30, HIT, TCP_NEGATIVE_HIT));
    }

    /**
     * For a caller that cannot revalidate after answering (the FTP gateway): RFC 5861 §3 serves stale only
     * while a revalidation is under way, so without one the response is revalidated first, as any stale one.
     */
    static Stream<Arguments> withoutBackgroundRevalidation() {
        CacheHeaders swr = h("Cache-Control", "max-age=60, stale-while-revalidate=30", "Last-Modified", date(-3600));
        return Stream.of(
                row("RFC 5861 §3 stale-while-revalidate within window is revalidated first", NONE, swr, 80, STALE_NEEDS_REVALIDATION, TCP_REFRESH_MODIFIED),
                row("RFC 5861 §3 stale-while-revalidate window passed", NONE, swr, 100, STALE_NEEDS_REVALIDATION, TCP_REFRESH_MODIFIED),
                row("§5.2.1.7 only-if-cached within the window is 504", h("Cache-Control", "only-if-cached"), swr, 80, UNSATISFIABLE_504, TCP_OFFLINE_MISS),
                row("a fresh response is still a hit", NONE, swr, 30, HIT, TCP_HIT),
                row("§5.2.1.2 max-stale still serves stale", h("Cache-Control", "max-stale=30"), swr, 80, HIT, TCP_HIT),
                row("§4.3.2 a client conditional on a fresh response is still answered", h("If-Modified-Since", date(0)), swr, 30, NOT_MODIFIED, TCP_IMS_HIT));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"freshness", "age", "directiveParsing", "requestDirectives", "responseDirectives",
            "methodsAndMisses", "vary", "clientConditionals"})
    void decides(String rule, CacheRequest request, CacheEntry stored, long now, Outcome outcome, ResultCode code) {
        CacheDecision decision = POLICY.decide(request, stored, now, true);
        assertEquals(outcome, decision.outcome(), rule);
        assertEquals(code, decision.resultCode(), rule);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("withoutBackgroundRevalidation")
    void decidesForACallerThatCannotRevalidateInTheBackground(String rule, CacheRequest request, CacheEntry stored, long now,
                                                              Outcome outcome, ResultCode code) {
        CacheDecision decision = POLICY.decide(request, stored, now, false);
        assertEquals(outcome, decision.outcome(), rule);
        assertEquals(code, decision.resultCode(), rule);
    }

    private static Arguments row(String rule, CacheHeaders request, CacheHeaders stored, long nowSeconds,
                                 Outcome outcome, ResultCode code) {
        return row(rule, 200, request, stored, nowSeconds, outcome, code);
    }

    private static Arguments row(String rule, int status, CacheHeaders request, CacheHeaders stored, long nowSeconds,
                                 Outcome outcome, ResultCode code) {
        return Arguments.of(rule, PolicyFixtures.get(request), stored(status, stored, NONE), at(nowSeconds), outcome, code);
    }

    private static Arguments vary(String rule, CacheHeaders stored, CacheHeaders storedFor, CacheHeaders request, Outcome outcome) {
        return Arguments.of(rule, PolicyFixtures.get(request), stored(200, stored, storedFor), at(30), outcome,
                outcome == HIT ? TCP_HIT : TCP_MISS);
    }
}
