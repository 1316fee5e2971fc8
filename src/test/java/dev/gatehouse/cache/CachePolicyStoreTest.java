package dev.gatehouse.cache;

import static dev.gatehouse.cache.PolicyFixtures.URI;
import static dev.gatehouse.cache.PolicyFixtures.at;
import static dev.gatehouse.cache.PolicyFixtures.date;
import static dev.gatehouse.cache.PolicyFixtures.h;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Storability (RFC 9111 §3) and Gatehouse's privacy rules: a request and a response give store or not. */
class CachePolicyStoreTest {
    private static final CachePolicy POLICY = CachePolicy.defaults();
    private static final CacheHeaders NONE = CacheHeaders.empty();
    private static final CacheHeaders MAX_AGE = h("Cache-Control", "max-age=60");

    static Stream<Arguments> storability() {
        return Stream.of(
                row("§3 GET 200 with max-age", "GET", NONE, 200, MAX_AGE, true),
                row("§3 POST is not stored", "POST", NONE, 200, MAX_AGE, false),
                row("§4 HEAD responses are not stored, the GET is", "HEAD", NONE, 200, MAX_AGE, false),
                row("§3 206 partial content is not stored", "GET", NONE, 206, MAX_AGE, false),
                row("§3 304 is not stored", "GET", NONE, 304, MAX_AGE, false),
                row("§3 1xx is not stored", "GET", NONE, 103, MAX_AGE, false),
                row("§5.2.1.5 request no-store", "GET", h("Cache-Control", "no-store"), 200, MAX_AGE, false),
                row("§5.2.2.5 response no-store", "GET", NONE, 200, h("Cache-Control", "max-age=60, no-store"), false),
                row("§5.2 response NO-STORE in upper case", "GET", NONE, 200, h("Cache-Control", "max-age=60, NO-STORE"), false),
                row("§5.2.2.3 must-understand overrides no-store for a status the cache understands", "GET", NONE, 200,
                        h("Cache-Control", "max-age=60, no-store, must-understand"), true),
                row("§5.2.2.3 must-understand with an unknown status is not stored, no-store or not", "GET", NONE, 599,
                        h("Cache-Control", "max-age=60, must-understand"), false),
                row("§5.2.2.3 must-understand does not override the request's no-store", "GET", h("Cache-Control", "no-store"), 200,
                        h("Cache-Control", "max-age=60, no-store, must-understand"), false),
                row("§5.2.2.7 private is never stored by a shared cache", "GET", NONE, 200, h("Cache-Control", "private, max-age=60"), false),
                row("§5.2.2.7 qualified private is not stored either", "GET", NONE, 200, h("Cache-Control", "private=\"X-User\", max-age=60"), false),
                row("§4.1 Vary: * is not stored", "GET", NONE, 200, h("Cache-Control", "max-age=60", "Vary", "*"), false),
                row("§4.1 Vary with * among others is not stored", "GET", NONE, 200, h("Cache-Control", "max-age=60", "Vary", "Accept, *"), false),
                row("§3.5 Authorization without permission", "GET", h("Authorization", "Basic eDp5"), 200, MAX_AGE, false),
                row("§3.5 Authorization with public", "GET", h("Authorization", "Basic eDp5"), 200, h("Cache-Control", "public, max-age=60"), true),
                row("§3.5 Authorization with s-maxage", "GET", h("Authorization", "Basic eDp5"), 200, h("Cache-Control", "s-maxage=60"), true),
                row("§3.5 Authorization with must-revalidate", "GET", h("Authorization", "Basic eDp5"), 200, h("Cache-Control", "max-age=60, must-revalidate"), true),
                row("§3.5 authorization header name in lower case", "GET", h("authorization", "Bearer t"), 200, MAX_AGE, false),
                row("privacy: Cookie without permission", "GET", h("Cookie", "sid=1"), 200, MAX_AGE, false),
                row("privacy: Cookie with public", "GET", h("Cookie", "sid=1"), 200, h("Cache-Control", "public, max-age=60"), true),
                row("privacy: Cookie with s-maxage", "GET", h("Cookie", "sid=1"), 200, h("Cache-Control", "s-maxage=60"), true),
                row("privacy: Cookie with only must-revalidate", "GET", h("Cookie", "sid=1"), 200, h("Cache-Control", "max-age=60, must-revalidate"), false),
                row("privacy: Set-Cookie without permission", "GET", NONE, 200, h("Cache-Control", "max-age=60", "Set-Cookie", "sid=2"), false),
                row("privacy: Set-Cookie with public", "GET", NONE, 200, h("Cache-Control", "public, max-age=60", "Set-Cookie", "sid=2"), true),
                row("§3 302 without explicit freshness", "GET", NONE, 302, h("Last-Modified", date(-86400)), false),
                row("§3 302 with max-age", "GET", NONE, 302, MAX_AGE, true),
                row("§3 302 with public", "GET", NONE, 302, h("Cache-Control", "public"), true),
                row("§3 302 with Expires", "GET", NONE, 302, h("Expires", date(60)), true),
                row("§3 404 is heuristically cacheable", "GET", NONE, 404, NONE, true),
                row("§3 500 without explicit freshness", "GET", NONE, 500, NONE, false),
                row("§3 503 with max-age", "GET", NONE, 503, MAX_AGE, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("storability")
    void decidesStorability(String rule, CacheRequest request, int status, CacheHeaders response, boolean storable) {
        assertEquals(storable, POLICY.whyNotStorable(request, status, response).isEmpty(), rule);
    }

    static Stream<Arguments> entries() {
        return Stream.of(
                Arguments.of("nothing to reuse: no freshness, no validator", NONE, false),
                Arguments.of("a validator alone is worth storing", h("ETag", "\"a\""), true),
                Arguments.of("a Last-Modified gives heuristic freshness", h("Last-Modified", date(-86400)), true),
                Arguments.of("max-age=0 with a validator", h("Cache-Control", "max-age=0", "ETag", "\"a\""), true),
                Arguments.of("max-age=0 without a validator", h("Cache-Control", "max-age=0"), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("entries")
    void storesOnlyWhatCanBeReused(String rule, CacheHeaders response, boolean stored) {
        assertEquals(stored, POLICY.entryFor(PolicyFixtures.get(NONE), 200, response, at(0), at(0)).isPresent(), rule);
    }

    @Test
    void storedHeadersLoseCookiesAndHopByHopFields() {
        CacheHeaders response = h("Cache-Control", "public, max-age=60", "Set-Cookie", "sid=secret",
                "Connection", "close, X-Hop", "X-Hop", "1", "Keep-Alive", "timeout=5", "Transfer-Encoding", "chunked",
                "Proxy-Authenticate", "Basic", "Content-Type", "text/plain");
        CacheEntry entry = POLICY.entryFor(PolicyFixtures.get(NONE), 200, response, at(0), at(1)).orElseThrow();
        CacheHeaders stored = entry.headers();
        for (String gone : new String[] {"Set-Cookie", "Connection", "X-Hop", "Keep-Alive", "Transfer-Encoding", "Proxy-Authenticate"}) {
            assertFalse(stored.has(gone), gone + " must not be stored");
        }
        assertEquals("text/plain", stored.first("content-type"));
        assertEquals(at(0), entry.requestTimeMillis());
        assertEquals(at(1), entry.responseTimeMillis());
    }

    @Test
    void entryRecordsTheVarySelectedRequestValues() {
        CacheRequest request = CacheRequest.of("GET", URI, h("Accept-Encoding", "gzip"));
        CacheEntry entry = POLICY.entryFor(request, 200, h("Cache-Control", "max-age=60", "Vary", "Accept-Encoding"), at(0), at(0)).orElseThrow();
        assertEquals("accept-encoding:gzip\n", entry.secondaryKey());
    }

    @Test
    void explainsWhyNotStorable() {
        assertEquals("private (§5.2.2.7)",
                POLICY.whyNotStorable(PolicyFixtures.get(NONE), 200, h("Cache-Control", "private")).orElseThrow());
        assertTrue(POLICY.whyNotStorable(PolicyFixtures.get(NONE), 200, MAX_AGE).isEmpty());
    }

    @Test
    void rejectsAHeuristicFractionOutsideZeroToOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CachePolicy.withHeuristic(1.5, 1000));
        assertTrue(e.getMessage().contains("1.5"));
    }

    private static Arguments row(String rule, String method, CacheHeaders request, int status, CacheHeaders response, boolean storable) {
        return Arguments.of(rule, CacheRequest.of(method, URI, request), status, response, storable);
    }
}
