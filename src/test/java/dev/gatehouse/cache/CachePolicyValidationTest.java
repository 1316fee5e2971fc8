package dev.gatehouse.cache;

import static dev.gatehouse.cache.PolicyFixtures.URI;
import static dev.gatehouse.cache.PolicyFixtures.at;
import static dev.gatehouse.cache.PolicyFixtures.date;
import static dev.gatehouse.cache.PolicyFixtures.h;
import static dev.gatehouse.cache.PolicyFixtures.stored;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Validation (RFC 9111 §4.3), stale-if-error (RFC 5861 §4), Age (§5.1) and invalidation (§4.4). */
class CachePolicyValidationTest {
    private static final CachePolicy POLICY = CachePolicy.defaults();
    private static final CacheHeaders NONE = CacheHeaders.empty();

    static Stream<Arguments> conditionalRequests() {
        String lastModified = date(-3600);
        return Stream.of(
                Arguments.of("§4.3.1 ETag and Last-Modified", NONE, h("ETag", "\"v1\"", "Last-Modified", lastModified),
                        h("If-None-Match", "\"v1\"", "If-Modified-Since", lastModified)),
                Arguments.of("§4.3.1 weak ETag is sent as is", NONE, h("ETag", "W/\"v1\""), h("If-None-Match", "W/\"v1\"")),
                Arguments.of("§4.3.1 Last-Modified only", NONE, h("Last-Modified", lastModified), h("If-Modified-Since", lastModified)),
                Arguments.of("§4.3.1 an invalid Last-Modified is not sent", NONE, h("Last-Modified", "recently"), NONE),
                Arguments.of("§4.3.1 no validators, nothing added", h("Accept", "*/*"), NONE, h("Accept", "*/*")),
                Arguments.of("§4.3.1 the client's own validators are replaced by the stored ones",
                        h("Accept", "*/*", "If-None-Match", "\"mine\"", "If-Modified-Since", date(-5)), h("ETag", "\"v1\""),
                        h("Accept", "*/*", "If-None-Match", "\"v1\"")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("conditionalRequests")
    void buildsConditionalRequests(String rule, CacheHeaders client, CacheHeaders storedHeaders, CacheHeaders expected) {
        assertEquals(expected, POLICY.conditionalRequest(client, new CacheEntry(200, storedHeaders, 0, 0, "")), rule);
    }

    @Test
    void notModifiedUpdatesStoredFieldsAndMakesTheEntryFreshAgain() {
        CacheEntry old = stored(h("Cache-Control", "max-age=60", "ETag", "\"v1\"", "Content-Length", "5", "Content-Type", "text/plain", "X-Old", "kept"));
        CacheHeaders notModified = h("Date", date(1000), "Cache-Control", "max-age=600", "ETag", "\"v1\"",
                "Content-Length", "0", "Set-Cookie", "sid=x", "Connection", "close");
        CacheEntry merged = POLICY.mergeNotModified(old, notModified, at(999), at(1000)).orElseThrow();

        assertEquals("max-age=600", merged.headers().first("Cache-Control"), "§4.3.4 the 304's fields replace stored ones");
        assertEquals(List.of(date(1000)), merged.headers().all("Date"));
        assertEquals("5", merged.headers().first("Content-Length"), "§3.2 Content-Length is never updated");
        assertEquals("kept", merged.headers().first("X-Old"));
        assertEquals("text/plain", merged.headers().first("Content-Type"));
        assertFalse(merged.headers().has("Set-Cookie"), "privacy: a 304's Set-Cookie is not stored either");
        assertFalse(merged.headers().has("Connection"), "§3.1 hop-by-hop fields are not stored");
        assertEquals(at(1000), merged.responseTimeMillis());
        assertEquals(CacheDecision.Outcome.HIT, POLICY.decide(PolicyFixtures.get(NONE), merged, at(1300), true).outcome());
        assertEquals(ResultCode.TCP_REFRESH_UNMODIFIED, POLICY.afterRevalidation(304));
    }

    @Test
    void aRefreshedEntryDoesNotInheritTheOldAgeOrDate() {
        CacheEntry old = stored(h("Date", date(-500), "Age", "50", "Cache-Control", "max-age=60", "ETag", "\"v1\""));
        CacheEntry merged = POLICY.mergeNotModified(old, h("ETag", "\"v1\""), at(100), at(100)).orElseThrow();
        assertFalse(merged.headers().has("Age"));
        assertFalse(merged.headers().has("Date"));
        assertEquals(30_000, POLICY.currentAgeMillis(merged, at(130)), "§4.2.3 age counts from the 304");
        assertEquals(CacheDecision.Outcome.HIT, POLICY.decide(PolicyFixtures.get(NONE), merged, at(130), true).outcome());
    }

    static Stream<Arguments> notModifiedSelection() {
        return Stream.of(
                Arguments.of("§4.3.4 same strong ETag updates", "\"v1\"", "\"v1\"", true),
                Arguments.of("§4.3.4 a different strong ETag does not update", "\"v1\"", "\"v2\"", false),
                Arguments.of("§4.3.4 a 304 without ETag updates", "\"v1\"", null, true),
                Arguments.of("§4.3.4 a weak ETag in the 304 updates", "\"v1\"", "W/\"v1\"", true),
                Arguments.of("§4.3.4 the same weak ETag updates", "W/\"v1\"", "W/\"v1\"", true),
                Arguments.of("§4.3.4 a weak ETag matching no stored one does not update", "\"v1\"", "W/\"v2\"", false),
                Arguments.of("§4.3.4 another weak ETag does not update a weak one", "W/\"v1\"", "W/\"v2\"", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notModifiedSelection")
    void selectsTheStoredResponseA304Validates(String rule, String storedTag, String newTag, boolean updates) {
        CacheEntry old = stored(h("Cache-Control", "max-age=60", "ETag", storedTag));
        CacheHeaders notModified = newTag == null ? h("Cache-Control", "max-age=60") : h("ETag", newTag);
        assertEquals(updates, POLICY.mergeNotModified(old, notModified, at(100), at(100)).isPresent(), rule);
    }

    static Stream<Arguments> headSelection() {
        String modified = date(-3600);
        CacheHeaders tagged = h("ETag", "\"v1\"", "Last-Modified", modified);
        return Stream.of(
                Arguments.of("§4.3.5 same strong ETag and length refreshes", 200, tagged, h("ETag", "\"v1\"", "Content-Length", "5"), true),
                Arguments.of("§4.3.5 same ETag, no Content-Length refreshes", 200, tagged, h("ETag", "\"v1\""), true),
                Arguments.of("§4.3.5 same Last-Modified without ETag refreshes", 200, tagged, h("Last-Modified", modified, "Content-Length", "5"), true),
                Arguments.of("§4.3.5 both validators the same refreshes", 200, tagged, h("ETag", "\"v1\"", "Last-Modified", modified), true),
                Arguments.of("§4.3.5 another ETag: changed", 200, tagged, h("ETag", "\"v2\"", "Content-Length", "5"), false),
                Arguments.of("§4.3.5 another length: changed", 200, tagged, h("ETag", "\"v1\"", "Content-Length", "6"), false),
                Arguments.of("§4.3.5 same ETag but a later Last-Modified: changed", 200, tagged,
                        h("ETag", "\"v1\"", "Last-Modified", date(-60)), false),
                Arguments.of("§4.3.5 a Last-Modified the stored response lacks: changed", 200, h("ETag", "\"v1\""),
                        h("Last-Modified", modified), false),
                Arguments.of("a weak ETag does not vouch for the stored bytes", 200, h("ETag", "W/\"v1\""), h("ETag", "W/\"v1\""), false),
                Arguments.of("no validator: a length alone cannot tell versions apart", 200, tagged, h("Content-Length", "5"), false),
                Arguments.of("a stored 404 is not what a HEAD's 200 describes", 404, tagged, h("ETag", "\"v1\""), false));
    }

    /** RFC 9111 §4.3.5: a HEAD's 200 refreshes the stored GET response it describes, with the fields a 304 would. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("headSelection")
    void aHeadsOkRefreshesOnlyTheRepresentationItDescribes(String rule, int storedStatus, CacheHeaders storedHeaders,
                                                          CacheHeaders head, boolean refreshes) {
        CacheEntry old = stored(storedStatus, storedHeaders.toBuilder().add("Cache-Control", "max-age=60").build(), NONE);
        CacheHeaders answer = head.toBuilder().add("Cache-Control", "max-age=600").add("X-Version", "2").build();
        var merged = POLICY.mergeHead(old, 5, answer, at(100), at(100));
        assertEquals(refreshes, merged.isPresent(), rule);
        merged.ifPresent(entry -> {
            assertEquals(POLICY.mergeNotModified(old, answer, at(100), at(100)), merged, "merged exactly as a 304 (§4.3.4)");
            assertEquals("2", entry.headers().first("X-Version"));
            assertEquals(CacheDecision.Outcome.HIT, POLICY.decide(PolicyFixtures.get(NONE), entry, at(500), true).outcome(),
                    "fresh by the HEAD's max-age");
        });
    }

    static Stream<Arguments> staleIfError() {
        return Stream.of(
                Arguments.of("RFC 5861 §4 within the response's window", NONE, "max-age=60, stale-if-error=60", 90, true),
                Arguments.of("RFC 5861 §4 window passed", NONE, "max-age=60, stale-if-error=60", 130, false),
                Arguments.of("RFC 5861 §4 the request's window", h("Cache-Control", "stale-if-error=100"), "max-age=60", 130, true),
                Arguments.of("no stale-if-error", NONE, "max-age=60", 61, false),
                Arguments.of("§4.2.4 must-revalidate forbids it", NONE, "max-age=60, stale-if-error=60, must-revalidate", 90, false),
                Arguments.of("§4.2.4 s-maxage forbids it", NONE, "s-maxage=60, stale-if-error=60", 90, false),
                Arguments.of("§4.2.4 no-cache forbids it", NONE, "max-age=60, stale-if-error=60, no-cache", 90, false),
                Arguments.of("invalid window is ignored", NONE, "max-age=60, stale-if-error=soon", 61, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("staleIfError")
    void servesStaleOnErrorOnlyWhenAllowed(String rule, CacheHeaders request, String cacheControl, long nowSeconds, boolean allowed) {
        CacheEntry entry = stored(h("Cache-Control", cacheControl));
        assertEquals(allowed, POLICY.mayServeStaleOnError(PolicyFixtures.get(request), entry, at(nowSeconds)), rule);
    }

    static Stream<Arguments> ageValues() {
        return Stream.of(
                // Date, Age field, request time, response time, now → Age sent (seconds)
                Arguments.of("§4.2.3 resident time only", date(0), null, 0, 0, 42, "42"),
                Arguments.of("§4.2.3 Age field plus resident time", date(0), "100", 0, 0, 42, "142"),
                Arguments.of("§4.2.3 response delay is added to the Age field", date(0), "100", -5, 0, 0, "105"),
                Arguments.of("§4.2.3 apparent age wins when larger", date(-300), "100", 0, 0, 0, "300"),
                Arguments.of("§4.2.3 corrected age wins when larger", date(-300), "400", 0, 0, 0, "400"),
                Arguments.of("§5.1 invalid Age is ignored", date(0), "1e3", 0, 0, 7, "7"),
                Arguments.of("§1.2.2 Age is clamped at 2^31", date(0), "99999999999999", 0, 0, 10, "2147483648"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ageValues")
    void setsTheAgeField(String rule, String dateField, String ageField, long requestSeconds, long responseSeconds,
                         long nowSeconds, String expectedAge) {
        CacheHeaders headers = ageField == null ? h("Date", dateField) : h("Date", dateField, "Age", ageField);
        CacheEntry entry = new CacheEntry(200, headers, at(requestSeconds), at(responseSeconds), "");
        CacheHeaders sent = POLICY.responseHeaders(entry, at(nowSeconds));
        assertEquals(List.of(expectedAge), sent.all("Age"), rule);
    }

    @Test
    void aClientConditionalIsAnsweredWithValidatorsAndAge() {
        CacheEntry entry = stored(h("Cache-Control", "max-age=60", "ETag", "\"v1\"", "Content-Type", "text/plain", "Vary", "Accept"));
        CacheHeaders headers = POLICY.notModifiedHeaders(entry, at(5));
        assertEquals(h("Cache-Control", "max-age=60", "ETag", "\"v1\"", "Vary", "Accept", "Date", date(0), "Age", "5"), headers);
        assertTrue(POLICY.answersClientConditional(PolicyFixtures.get(h("If-None-Match", "\"v1\"")), entry));
    }

    static Stream<Arguments> invalidations() {
        String other = "http://other.example/a";
        return Stream.of(
                Arguments.of("§4.4 POST 200 invalidates its target", "POST", 200, NONE, List.of(URI)),
                Arguments.of("§4.4 an error response invalidates nothing", "POST", 500, NONE, List.of()),
                Arguments.of("§4.4 a 404 invalidates nothing", "DELETE", 404, NONE, List.of()),
                Arguments.of("§4.4 safe methods invalidate nothing", "GET", 200, NONE, List.of()),
                Arguments.of("§4.4 DELETE 204", "DELETE", 204, NONE, List.of(URI)),
                Arguments.of("§4.4 a redirect counts as non-error", "POST", 303, h("Location", "/done"), List.of(URI, "http://example.com/done")),
                Arguments.of("§4.4 relative Location on the same origin", "PUT", 201, h("Location", "/b"), List.of(URI, "http://example.com/b")),
                Arguments.of("§4.4 Content-Location on the same origin", "PUT", 200, h("Content-Location", "http://EXAMPLE.com:80/c"), List.of(URI, "http://example.com/c")),
                Arguments.of("§4.4 another origin is never invalidated", "POST", 201, h("Location", other), List.of(URI)),
                Arguments.of("§4.4 another port is another origin", "POST", 201, h("Location", "http://example.com:8080/b"), List.of(URI)),
                Arguments.of("§4.4 another scheme is another origin", "POST", 201, h("Location", "https://example.com/b"), List.of(URI)),
                Arguments.of("§4.4 a malformed Location is ignored", "POST", 201, h("Location", "http://exa mple.com/ b"), List.of(URI)),
                Arguments.of("§4.4 no duplicate when Location is the target", "POST", 200, h("Location", "/a"), List.of(URI)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidations")
    void invalidatesAfterUnsafeMethods(String rule, String method, int status, CacheHeaders response, List<String> expected) {
        List<CacheKey> keys = POLICY.invalidations(CacheRequest.of(method, URI, NONE), status, response);
        assertEquals(expected.stream().map(CacheKey::of).toList(), keys, rule);
    }

    static Stream<Arguments> collapsibleRevalidations() {
        CacheHeaders maxAge60 = h("Cache-Control", "max-age=60", "ETag", "\"v1\"");
        return Stream.of(
                Arguments.of("a plain GET shares a revalidation", "GET", NONE, maxAge60, true),
                Arguments.of("§4.3.2 the client's own validators are answered from the refreshed response", "GET",
                        h("If-None-Match", "\"v0\"", "If-Modified-Since", date(-60)), maxAge60, true),
                Arguments.of("§5.2.1.1 a max-age the refreshed response meets", "GET", h("Cache-Control", "max-age=30"), maxAge60, true),
                Arguments.of("§5.2.2.2 must-revalidate: a validated response serves the others", "GET", NONE,
                        h("Cache-Control", "max-age=60, must-revalidate", "ETag", "\"v1\""), true),
                Arguments.of("HEAD has no body to share", "HEAD", NONE, maxAge60, false),
                Arguments.of("RFC 9110 §14.2 Range is answered for this client", "GET", h("Range", "bytes=0-9"), maxAge60, false),
                Arguments.of("RFC 9110 §13.1.5 If-Range", "GET", h("If-Range", "\"v1\""), maxAge60, false),
                Arguments.of("RFC 9110 §13.1.1 If-Match", "GET", h("If-Match", "\"v1\""), maxAge60, false),
                Arguments.of("RFC 9110 §13.1.4 If-Unmodified-Since", "GET", h("If-Unmodified-Since", date(-60)), maxAge60, false),
                Arguments.of("§5.2.1.4 no-cache asks for its own validation", "GET", h("Cache-Control", "no-cache"), maxAge60, false),
                Arguments.of("RFC 7234 §5.4 Pragma: no-cache without Cache-Control", "GET", h("Pragma", "no-cache"), maxAge60, false),
                Arguments.of("Pragma is ignored beside Cache-Control", "GET", h("Pragma", "no-cache", "Cache-Control", "max-age=30"), maxAge60, true),
                Arguments.of("§5.2.1.1 max-age=0, a browser's reload", "GET", h("Cache-Control", "max-age=0"), maxAge60, false),
                Arguments.of("§5.2.1.1 an invalid max-age counts as 0", "GET", h("Cache-Control", "max-age=soon"), maxAge60, false),
                Arguments.of("§5.2.2.4 a stored no-cache response is validated for every request", "GET", NONE,
                        h("Cache-Control", "max-age=60, no-cache", "ETag", "\"v1\""), false),
                Arguments.of("§4.2.1 a stored response without a freshness lifetime likewise", "GET", NONE,
                        h("Cache-Control", "max-age=0", "ETag", "\"v1\""), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("collapsibleRevalidations")
    void sharesARevalidationOnlyWhereTheValidatedResponseServesEveryWaitingRequest(
            String rule, String method, CacheHeaders request, CacheHeaders storedHeaders, boolean collapsible) {
        assertEquals(collapsible, POLICY.mayCollapseRevalidation(CacheRequest.of(method, URI, request), stored(storedHeaders)), rule);
    }

    @Test
    void namesTheResultOfARevalidation() {
        assertEquals(ResultCode.TCP_REFRESH_MODIFIED, POLICY.afterRevalidation(200));
        assertEquals(ResultCode.TCP_REFRESH_FAIL_ERR, POLICY.afterRevalidation(503));
        assertEquals(ResultCode.TCP_MEM_HIT, ResultCode.TCP_HIT.fromMemory());
        assertEquals(ResultCode.TCP_NEGATIVE_HIT, ResultCode.TCP_NEGATIVE_HIT.fromMemory());
    }
}
