package dev.gatehouse.e2e;

import static dev.gatehouse.e2e.SuiteRow.optimal;
import static dev.gatehouse.e2e.SuiteRow.required;
import static dev.gatehouse.e2e.SuiteStep.Type.CACHED;
import static dev.gatehouse.e2e.SuiteStep.Type.ETAG_VALIDATED;
import static dev.gatehouse.e2e.SuiteStep.Type.LM_VALIDATED;
import static dev.gatehouse.e2e.SuiteStep.Type.NOT_CACHED;
import static dev.gatehouse.e2e.SuiteStep.becomeStale;
import static dev.gatehouse.e2e.SuiteStep.fresh;
import static dev.gatehouse.e2e.SuiteStep.step;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * {@link CacheConformanceIT}'s rows on what is stored, validated, varied and invalidated: the suite's
 * cc-response, authorization, headers, update304, conditional-etag, conditional-lm, vary, vary-parse,
 * invalidation, other, partial, stale, cc-stale and method files. Section numbers are RFC 9111's unless named
 * otherwise. A row that {@code differs} carries the suite's steps and, beside them, the same scenario with what Gatehouse does instead, and why.
 */
final class StorageRows {
    /** README, "never share what is private": why a response that sets a cookie is not handed to another client. */
    private static final String COOKIES_STAY_PRIVATE = "Gatehouse never hands one client's Set-Cookie to another (README, "
            + "'Never share what is private'): a response that sets a cookie is stored only when the origin marks it public or "
            + "s-maxage, and a stored Set-Cookie is never served.";

    private StorageRows() {
    }

    static Stream<SuiteRow> rows() {
        List<SuiteRow> rows = new ArrayList<>();
        ccResponse(rows);
        authorization(rows);
        headers(rows);
        update304(rows);
        conditional(rows);
        vary(rows);
        varyParse(rows);
        invalidation(rows);
        other(rows);
        partial(rows);
        stale(rows);
        method(rows);
        return rows.stream();
    }

    /** Stands in for the suite's {@code utils.httpContent(key)}: a fixed token per key. */
    private static String content(String key) {
        return key.toLowerCase(Locale.ROOT);
    }

    private static void ccResponse(List<SuiteRow> rows) {
        String f = "cc-response.mjs";
        rows.add(required(f, "cc-resp-private-shared", "§5.2.2.7",
                step().res("Cache-Control", "private, max-age=3600").setup(), step().expect(NOT_CACHED)));
        rows.add(required(f, "cc-resp-no-store", "§5.2.2.5", step().res("Cache-Control", "no-store").setup(), step().expect(NOT_CACHED)));
        rows.add(required(f, "cc-resp-no-store-case-insensitive", "§5.2.2.5, §5.2",
                step().res("Cache-Control", "No-StOrE").setup(), step().expect(NOT_CACHED)));
        rows.add(required(f, "cc-resp-no-store-fresh", "§5.2.2.5",
                step().res("Cache-Control", "max-age=10000, no-store").res("Expires", 10000).res("Date", 0).setup(), step().expect(NOT_CACHED)));
        for (String[] newer : new String[][] {{"cc-resp-no-store-old-new", "no-store"}, {"cc-resp-no-store-old-max-age", "no-store, max-age=0"}}) {
            rows.add(required(f, newer[0], "§5.2.2.5",
                    step().res("Cache-Control", "max-age=10000").res("Expires", 10000).res("Date", 0).res("A", "1").setup().pause(),
                    step().res("Cache-Control", newer[1]).res("Date", 0).res("A", "2").setup().pause(),
                    step().expect(CACHED).expectHeader("a", "1")));
        }
        rows.add(required(f, "cc-resp-no-cache", "§5.2.2.4",
                step().res("Cache-Control", "max-age=10000, no-cache").res("Expires", 10000).res("Date", 0).setup(), step().expect(NOT_CACHED)));
        rows.add(required(f, "cc-resp-no-cache-case-insensitive", "§5.2.2.4, §5.2",
                step().res("Cache-Control", "max-age=10000, No-CaChE").res("Expires", 10000).res("Date", 0).setup(), step().expect(NOT_CACHED)));
        rows.add(optimal(f, "cc-resp-no-cache-revalidate", "§5.2.2.4",
                step().res("Cache-Control", "no-cache").res("ETag", "\"abcd\"").setup(), step().expect(ETAG_VALIDATED)));
        rows.add(optimal(f, "cc-resp-no-cache-revalidate-fresh", "§5.2.2.4",
                step().res("Cache-Control", "max-age=10000, no-cache").res("Expires", 10000).res("Date", 0).res("ETag", "\"abcd\"").setup(),
                step().expect(ETAG_VALIDATED)));
        rows.add(optimal(f, "cc-resp-must-revalidate-fresh", "§5.2.2.2",
                step().res("Cache-Control", "max-age=10000, must-revalidate").res("ETag", "\"abcd\"").setup(), step().expect(CACHED)));
        rows.add(required(f, "cc-resp-must-revalidate-stale", "§5.2.2.2",
                step().res("Cache-Control", "max-age=2, must-revalidate").res("ETag", "\"abcd\"").setup(),
                step().expect(CACHED).setup().pause().res("Cache-Control", "max-age=2, must-revalidate").res("ETag", "\"abcd\""),
                step().expect(ETAG_VALIDATED)));
    }

    /** §3.5: a response to a request with Authorization is shared only when the origin says so. */
    private static void authorization(List<SuiteRow> rows) {
        String f = "authorization.mjs";
        rows.add(required(f, "other-authorization", "§3.5",
                fresh().req("Authorization", "FOO").expectSent("Authorization", "FOO"), step().expect(NOT_CACHED)));
        for (String[] c : new String[][] {{"other-authorization-public", "max-age=3600, public"},
                {"other-authorization-must-revalidate", "max-age=3600, must-revalidate"}, {"other-authorization-smaxage", "s-maxage=3600"}}) {
            rows.add(optimal(f, c[0], "§3.5",
                    step().req("Authorization", "FOO").expectSent("Authorization", "FOO").res("Cache-Control", c[1]).res("Date", 0).pause().setup(),
                    step().expect(CACHED)));
        }
    }

    /** The suite's tests/lib/header-list.mjs: a field, its first and second value, and whether a cache stores it. */
    private record Listed(String name, String valueA, String valueB, boolean stored, boolean mustUpdate, boolean mustNotUpdate) {
        boolean checksBody() {
            return !name.equals("Content-Length"); // the scripted length differs from the body's
        }
    }

    private static final List<Listed> HEADER_LIST = List.of(
            listed("Test-Header", true), listed("X-Test-Header", true), listed("Content-Foo", true), listed("X-Content-Foo", true),
            new Listed("Cache-Control", "max-age=1", "max-age=3600", true, true, false),
            notStored("Connection"),
            listed("Content-Encoding", false),
            new Listed("Content-Length", "36", "10", true, false, true),
            new Listed("Content-Location", "/foo", "/bar", true, false, false),
            new Listed("Content-MD5", "rL0Y20zC+Fzt72VPzMSk2A==", "N7UdGUp1E+RbVvZSTy1R8g==", true, false, false),
            listed("Content-Range", false),
            new Listed("Content-Security-Policy", "default-src 'self'", "default-src 'self' cdn.example.com", true, false, false),
            new Listed("Content-Type", "text/plain", "text/plain;charset=utf-8", true, false, false),
            new Listed("Clear-Site-Data", "cache", "cookies", true, false, false),
            new Listed("ETag", "\"abcdef\"", "\"ghijkl\"", true, false, false),
            new Listed("Expires", "Fri, 01 Jan 2038 01:01:01 GMT", "Mon, 11 Jan 2038 11:11:11 GMT", true, false, false),
            notStored("Keep-Alive"), notStored("Proxy-Authenticate"), notStored("Proxy-Authentication-Info"),
            notStored("Proxy-Authorization"), notStored("Proxy-Connection"),
            listed("Public-Key-Pins", false),
            new Listed("Set-Cookie", "a=b", "a=c", true, false, false),
            new Listed("Set-Cookie2", "a=b", "a=c", true, false, false),
            notStored("TE"),
            // The suite sends a random token here, which leaves the response without valid framing; a real
            // transfer coding tests what the row is about: the field is not stored (RFC 9112 §6.1).
            new Listed("Transfer-Encoding", "chunked", "chunked", false, false, false),
            notStored("Upgrade"),
            new Listed("X-Frame-Options", "deny", "sameorigin", true, false, false),
            new Listed("X-XSS-Protection", "1", "1; mode=block", true, false, false));

    private static Listed listed(String name, boolean mustUpdate) {
        return new Listed(name, content(name + "-value-A"), content(name + "-store-value"), true, mustUpdate, false);
    }

    private static Listed notStored(String name) {
        return new Listed(name, content(name + "-value-A"), content(name + "-store-value"), false, false, false);
    }

    /** §3.1: every field is stored but Connection, the fields it names, and the proxy-only ones. */
    private static void headers(List<SuiteRow> rows) {
        String f = "headers.mjs";
        rows.add(required(f, "headers-omit-headers-listed-in-Connection", "§3.1",
                fresh().resUnchecked("Connection", "a, b").resUnchecked("a", "1").resUnchecked("b", "2").resUnchecked("c", "3"),
                step().expect(CACHED).expectHeader("c", "3").expectHeaderMissing("a").expectHeaderMissing("b")
                        .setupTests("expected_type", "expected_response_headers")));
        for (Listed h : HEADER_LIST) {
            String value = h.valueB();
            SuiteStep first = step().res("Date", 0);
            if (h.stored()) first.res(h.name(), value); else first.resUnchecked(h.name(), value);
            if (!h.name().equals("Cache-Control")) first.res("Cache-Control", "max-age=3600");
            first.setup().pause();
            SuiteStep second = step().expect(CACHED).setupTests("expected_type");
            if (h.stored()) second.expectHeader(h.name(), value); else second.expectHeaderMissing(h.name(), value);
            if (!h.checksBody()) {
                first.noBodyCheck();
                second.noBodyCheck();
            }
            SuiteRow row = required(f, "headers-store-" + h.name(), "§3.1", first, second);
            if (h.name().equals("Set-Cookie")) {
                row = row.differs(COOKIES_STAY_PRIVATE + " So the second request goes to the origin.", first, step().expect(NOT_CACHED));
            } else if (h.name().equals("Set-Cookie2")) {
                row = row.differs(COOKIES_STAY_PRIVATE + " Set-Cookie2 (obsolete, RFC 6265) likewise: the response is stored without it.",
                        first, step().expect(CACHED).expectHeaderMissing("Set-Cookie2"));
            }
            rows.add(row);
        }
    }

    /** §4.3.4: a 304 updates the stored fields it carries (but not Content-Length) and keeps the others. */
    private static void update304(List<SuiteRow> rows) {
        String f = "update304.mjs";
        String lm = "Wed, 01 Jan 2020 00:00:00 GMT";
        String valueA = content("Test-Header-value-A");
        rows.add(required(f, "304-lm-use-stored-Test-Header", "§4.3.4",
                step().res("Cache-Control", "max-age=2").res("Last-Modified", lm).res("Date", 0).res("Test-Header", valueA).setup().pause(),
                step().res("Last-Modified", lm).res("Date", 0).expect(LM_VALIDATED).expectHeader("Test-Header", valueA)
                        .setupTests("expected_type")));
        for (Listed h : HEADER_LIST) {
            if (!h.mustUpdate() && !h.mustNotUpdate()) continue; // the others are the suite's "check" tests
            String etag = "\"" + content(h.name() + "-etag-1") + "\"";
            String expected = h.mustNotUpdate() ? h.valueA() : h.valueB();
            SuiteStep first = update304Response(h, h.valueA(), etag).setup().pause();
            SuiteStep second = update304Response(h, h.valueB(), etag).expect(ETAG_VALIDATED).setupTests("expected_type")
                    .expectHeader(h.name(), expected);
            SuiteStep third = update304Response(h, expected, null).expect(CACHED).setupTests("expected_type").expectHeader(h.name(), expected);
            if (!h.checksBody()) {
                first.noBodyCheck();
                second.noBodyCheck();
                third.noBodyCheck();
            }
            rows.add(required(f, "304-etag-update-response-" + h.name(), "§4.3.4", first, second, third));
        }
    }

    private static SuiteStep update304Response(Listed h, String value, String etag) {
        SuiteStep response = step().res("Date", 0);
        if (h.mustNotUpdate()) response.resUnchecked(h.name(), value); else response.res(h.name(), value);
        if (!h.name().equals("Cache-Control")) response.res("Cache-Control", "max-age=2");
        if (etag != null) response.res("ETag", etag);
        return response;
    }

    /** §4.3.2: a cache answers a client's conditional from a fresh stored response; §4.3.1: it validates a stale one. */
    private static void conditional(List<SuiteRow> rows) {
        String f = "conditional-etag.mjs";
        rows.add(optimal(f, "conditional-etag-strong-respond", "§4.3.2",
                fresh().res("ETag", "\"abcdef\""), step().req("If-None-Match", "\"abcdef\"").expect(CACHED).expectStatus(304)));
        rows.add(required(f, "conditional-304-etag", "§4.3.2, RFC 9110 §15.4.5",
                fresh().res("ETag", "\"abcdef\""),
                step().req("If-None-Match", "\"abcdef\"").expect(CACHED).expectStatus(304).expectHeader("ETag", "\"abcdef\"")));
        rows.add(required(f, "conditional-etag-precedence", "RFC 9110 §13.2.2",
                fresh().res("Last-Modified", -5000).res("ETag", "\"abcdef\""),
                step().req("If-None-Match", "\"abcdef\"").req("If-Modified-Since", -1).magicIms().expect(CACHED).expectStatus(304)));
        rows.add(optimal(f, "conditional-etag-weak-respond", "§4.3.2, RFC 9110 §8.8.3.2",
                fresh().res("ETag", "W/\"abcdef\""), step().req("If-None-Match", "W/\"abcdef\"").expect(CACHED).expectStatus(304)));
        for (String[] c : new String[][] {{"first", "\"abcdef\", \"1234\", \"5678\""}, {"second", "\"1234\", \"abcdef\", \"5678\""},
                {"last", "\"1234\", \"5678\", \"abcdef\""}}) {
            rows.add(optimal(f, "conditional-etag-strong-respond-multiple-" + c[0], "§4.3.2, RFC 9110 §13.1.2",
                    fresh().res("ETag", "\"abcdef\""), step().req("If-None-Match", c[1]).expect(CACHED).expectStatus(304)));
        }
        rows.add(required(f, "conditional-etag-vary-headers", "§4.3.1",
                step().req("Abc", "123").res("Expires", 1).res("ETag", "\"abcdef\"").res("Date", 0).res("Vary", "Abc").setup().pause(),
                step().req("Abc", "123").expect(ETAG_VALIDATED).expectSent("Abc", "123").setupTests("expected_type")));
        rows.add(optimal(f, "conditional-etag-strong-generate", "§4.3.1",
                becomeStale().res("ETag", "\"abcdef\""), step().expectSent("If-None-Match", "\"abcdef\"").expect(ETAG_VALIDATED)));
        rows.add(optimal(f, "conditional-etag-weak-generate-weak", "§4.3.1",
                becomeStale().res("ETag", "W/\"abcdef\""), step().expectSent("If-None-Match", "W/\"abcdef\"").expect(ETAG_VALIDATED)));

        String lm = "conditional-lm.mjs";
        rows.add(optimal(lm, "conditional-lm-fresh", "§4.3.2",
                step().res("Cache-Control", "max-age=100000").res("Last-Modified", -3000).res("Date", 0).setup().pause(),
                step().req("If-Modified-Since", -3000).magicIms().expect(CACHED).expectStatus(304)));
        rows.add(optimal(lm, "conditional-lm-fresh-earlier", "§4.3.2",
                step().res("Cache-Control", "max-age=100000").res("Last-Modified", -3000).res("Date", 0).setup().pause(),
                step().req("If-Modified-Since", -2000).magicIms().expect(CACHED).expectStatus(304)));
        rows.add(optimal(lm, "conditional-lm-stale", "§4.3.1, §4.3.2",
                step().res("Cache-Control", "max-age=2").res("Last-Modified", -3000).res("Date", 0).setup().pause(),
                step().req("If-Modified-Since", -3000).magicIms().expect(LM_VALIDATED).expectStatus(304)));
    }

    private static SuiteStep varySetup(String... requestHeaders) {
        SuiteStep s = step();
        for (int i = 0; i < requestHeaders.length; i += 2) s.req(requestHeaders[i], requestHeaders[i + 1]);
        return s.res("Cache-Control", "max-age=5000").res("Last-Modified", -3000).res("Date", 0).setup();
    }

    private static SuiteStep vary1() {
        return varySetup("Foo", "1").res("Vary", "Foo");
    }

    private static SuiteStep vary2() {
        return varySetup("Foo", "1", "Bar", "abc").resUnchecked("Vary", "Foo, Bar");
    }

    private static SuiteStep vary3() {
        return varySetup("Foo", "1", "Bar", "abc", "Baz", "789").resUnchecked("Vary", "Foo, Bar, Baz");
    }

    /** §4.1: a stored response with Vary is reused only for a request whose selected fields match. */
    private static void vary(List<SuiteRow> rows) {
        String f = "vary.mjs";
        rows.add(optimal(f, "vary-match", "§4.1", vary1(), step().req("Foo", "1").expect(CACHED)));
        rows.add(required(f, "vary-no-match", "§4.1", vary1(), step().req("Foo", "2").expect(NOT_CACHED)));
        rows.add(required(f, "vary-omit-stored", "§4.1", varySetup().res("Vary", "Foo"), step().req("Foo", "1").expect(NOT_CACHED)));
        rows.add(required(f, "vary-omit", "§4.1", vary1(), step().expect(NOT_CACHED)));
        SuiteStep variant1 = vary1().body("foo_1");
        SuiteStep variant2 = step().req("Foo", "2").res("Cache-Control", "max-age=5000").res("Last-Modified", -3000).res("Date", 0)
                .res("Vary", "Foo").expect(NOT_CACHED).body("foo_2").setup();
        rows.add(optimal(f, "vary-invalidate", "§4.1", variant1, variant2, step().req("Foo", "1").body("foo_1").expect(CACHED)));
        rows.add(optimal(f, "vary-cache-key", "§4.1", vary1().req("Other", "2"), step().req("Foo", "1").req("Other", "3").expect(CACHED)));
        rows.add(optimal(f, "vary-2-match", "§4.1", vary2(), step().req("Foo", "1").req("Bar", "abc").expect(CACHED)));
        rows.add(required(f, "vary-2-no-match", "§4.1", vary2(), step().req("Foo", "2").req("Bar", "abc").expect(NOT_CACHED)));
        rows.add(required(f, "vary-2-match-omit", "§4.1", vary2(), step().expect(NOT_CACHED)));
        rows.add(optimal(f, "vary-3-match", "§4.1", vary3(), step().req("Foo", "1").req("Bar", "abc").req("Baz", "789").expect(CACHED)));
        rows.add(required(f, "vary-3-no-match", "§4.1", vary3(), step().req("Foo", "2").req("Bar", "abc").req("Baz", "789").expect(NOT_CACHED)));
        rows.add(required(f, "vary-3-order", "§4.1", vary3(), step().req("Foo", "1").req("Baz", "789").req("Bar", "abcde").expect(NOT_CACHED)));
        rows.add(optimal(f, "vary-3-omit", "§4.1",
                varySetup("Foo", "1", "Baz", "789").resUnchecked("Vary", "Foo, Bar, Baz"), step().req("Foo", "1").req("Baz", "789").expect(CACHED)));
        rows.add(required(f, "vary-star", "§4.1",
                varySetup("Foo", "1", "Baz", "789").res("Vary", "*"), step().req("Foo", "1").req("Baz", "789").expect(NOT_CACHED)));
        rows.add(optimal(f, "vary-normalise-combine", "§4.1",
                varySetup("Foo", "1, 2").res("Vary", "Foo"), step().req("Foo", "1").req("Foo", "2").expect(CACHED)));
        String en = "en, de";
        rows.add(optimal(f, "vary-normalise-lang-order", "§4.1",
                varySetup("Accept-Language", en).res("Vary", "Accept-Language"), step().req("Accept-Language", "de, en").expect(CACHED)));
        rows.add(optimal(f, "vary-normalise-lang-case", "§4.1",
                varySetup("Accept-Language", en).res("Vary", "Accept-Language"), step().req("Accept-Language", "eN, De").expect(CACHED)));
        rows.add(optimal(f, "vary-normalise-lang-space", "§4.1",
                varySetup("Accept-Language", en).res("Vary", "Accept-Language"), step().req("Accept-Language", " en ,   de").expect(CACHED)));
        SuiteStep german = varySetup("Accept-Language", en).res("Vary", "Accept-Language").res("Content-Language", "de");
        rows.add(optimal(f, "vary-normalise-lang-select", "§4.1", german, step().req("Accept-Language", "fr;q=0.5, de;q=1.0").expect(CACHED))
                .differs("Gatehouse compares the selecting fields, normalised, and does not choose a stored variant by qvalue "
                        + "against its Content-Language. Optimal, not implemented.",
                        german, step().req("Accept-Language", "fr;q=0.5, de;q=1.0").expect(NOT_CACHED)));
        rows.add(optimal(f, "vary-normalise-space", "§4.1",
                varySetup("Foo", "1,2").res("Vary", "Foo"), step().req("Foo", " 1, 2 ").expect(CACHED)));
    }

    /** §4.1: Vary containing * never matches, however it is written. */
    private static void varyParse(List<SuiteRow> rows) {
        String[][] cases = {{"vary-syntax-star", "*"}, {"vary-syntax-star-star", "*, *"}, {"vary-syntax-star-star-lines", "*", "*"},
                {"vary-syntax-empty-star", ", *"}, {"vary-syntax-empty-star-lines", "", "*"}, {"vary-syntax-star-foo", "*, Foo"},
                {"vary-syntax-foo-star", "Foo, *"}};
        for (String[] c : cases) {
            SuiteStep first = varySetup("Foo", "1", "Baz", "789");
            for (int i = 1; i < c.length; i++) first.resUnchecked("Vary", c[i]);
            rows.add(required("vary-parse.mjs", c[0], "§4.1", first, step().req("Foo", "1").req("Baz", "789").expect(NOT_CACHED)));
        }
    }

    /** §4.4: a non-error response to an unsafe method invalidates the target URI. */
    private static void invalidation(List<SuiteRow> rows) {
        String f = "invalidation.mjs";
        for (String method : List.of("POST", "PUT", "DELETE", "M-SEARCH")) {
            rows.add(required(f, "invalidate-" + method, "§4.4",
                    fresh(), step().method(method).requestBody("abc").setup(), step().expect(NOT_CACHED)));
            rows.add(optimal(f, "invalidate-" + method + "-failed", "§4.4",
                    fresh(), step().method(method).requestBody("abc").status(500).setup(), step().expect(CACHED)));
        }
    }

    private static void other(List<SuiteRow> rows) {
        String f = "other.mjs";
        // §5.1 and §4: a response from the cache carries its current age
        rows.add(required(f, "other-age-gen", "§4, §5.1", fresh(), step().expect(CACHED).expectHeaderAbove("Age", 2)));
        rows.add(required(f, "other-age-update-expires", "§4.2.3, §5.1",
                step().res("Expires", 30 * 24 * 3600).res("Date", 0).res("Age", "30").pause().setup(),
                step().expect(CACHED).expectHeaderAbove("Age", 32)));
        rows.add(required(f, "other-age-update-max-age", "§4.2.3, §5.1",
                fresh().res("Age", "30"), step().expect(CACHED).expectHeaderAbove("Age", 32)));
        // RFC 9110 §6.6.1: Date is when the origin generated the message; the cache keeps it
        rows.add(required(f, "other-date-update", "RFC 9110 §6.6.1", fresh(), step().expect(CACHED).expectHeader("Date", 0)));
        rows.add(required(f, "other-date-update-expires", "RFC 9110 §6.6.1",
                step().res("Expires", 30 * 24 * 3600).res("Date", 0).pause().setup(), step().expect(CACHED).expectHeader("Date", 0)));
        // §2: the cache key is the target URI, query included
        rows.add(required(f, "query-args-different", "§2",
                fresh().query("test=" + content("query-args-different-1")),
                step().query("test=" + content("query-args-different-2")).expect(NOT_CACHED)));
        rows.add(optimal(f, "query-args-same", "§2",
                fresh().query("test=" + content("query-args-same")), step().query("test=" + content("query-args-same")).expect(CACHED)));
        SuiteStep withCookie = fresh().res("Set-Cookie", "a=b");
        rows.add(optimal(f, "other-set-cookie", "§3.1", withCookie, step().expect(CACHED))
                .differs(COOKIES_STAY_PRIVATE, withCookie, step().expect(NOT_CACHED)));
        rows.add(optimal(f, "other-cookie", "§3", fresh(), step().req("Cookie", "a=b").expect(CACHED)));
    }

    /** RFC 9110 §14 and RFC 9111 §3.4: ranges served from a stored response, with the stored fields. */
    private static void partial(List<SuiteRow> rows) {
        String f = "partial.mjs";
        String whole = "01234567890";
        for (String[] c : new String[][] {{"partial-store-complete-reuse-partial", "bytes=0-1", whole, "01"},
                {"partial-store-complete-reuse-partial-no-last", "bytes=1-", whole, "1234567890"},
                {"partial-store-complete-reuse-partial-suffix", "bytes=-1", "0123456789A", "A"}}) {
            rows.add(optimal(f, c[0], "RFC 9110 §14.2", step().res("Cache-Control", "max-age=3600").body(c[2]).setup(),
                    step().req("Range", c[1]).expect(CACHED).expectStatus(206).expectText(c[3])));
        }
        for (String[] c : new String[][] {{"partial-store-partial-reuse-partial", "bytes=-5", "01234"},
                {"partial-store-partial-reuse-partial-byterange", "bytes=6-8", "234"},
                {"partial-store-partial-reuse-partial-absent", "bytes=6-", "234"},
                {"partial-store-partial-reuse-partial-suffix", "bytes=-1", "4"}}) {
            SuiteStep part = partOfTen();
            rows.add(optimal(f, c[0], "§3.3, §3.4", part, step().req("Range", c[1]).expect(CACHED).expectStatus(206).expectText(c[2]))
                    .differs("Gatehouse stores whole responses only (a 206 is not stored; §3.3 allows, does not require it). After a "
                            + "range miss answered in part it fetches the whole response for itself, which this origin answers with the "
                            + "same 206, so nothing is stored and the second range goes to the origin too (answered whole this time: "
                            + "that answer is the object, so no fetch of its own follows). Optimal, not implemented.",
                            partOfTen().fillsInBackground(),
                            step().req("Range", c[1]).expectSent("Range", c[1]).expectStatus(SuiteStep.ANY_STATUS).noBodyCheck()));
        }
        rows.add(required(f, "partial-use-headers", "§3.4",
                step().res("Cache-Control", "max-age=3600").res("A", "1").body(whole).setup(),
                step().req("Range", "bytes=0-1").expect(CACHED).expectStatus(206).expectText("01")
                        .setupTests("expected_type", "expected_status", "expected_response_text").res("A", "2")));
        rows.add(required(f, "partial-use-stored-headers", "§3.4",
                step().res("Cache-Control", "max-age=3600").res("A", "1").body(whole).setup(),
                step().req("Range", "bytes=0-1").expect(CACHED).expectStatus(206).expectText("01")
                        .setupTests("expected_type", "expected_status", "expected_response_text").expectHeader("A", "1")));
    }

    /** The last five bytes of ten, as a 206: what the origin answers to every request of a partial-store-partial row. */
    private static SuiteStep partOfTen() {
        return step().req("Range", "bytes=-5").status(206).res("Cache-Control", "max-age=3600").res("Content-Range", "bytes 4-9/10")
                .body("01234").expectSent("Range", "bytes=-5").setup();
    }

    /** §4.2.4: stale responses are served only where allowed; RFC 5861 extends that. */
    private static void stale(List<SuiteRow> rows) {
        String f = "stale.mjs";
        rows.add(optimal(f, "stale-while-revalidate", "RFC 5861 §3",
                step().setup().pause().res("Cache-Control", "max-age=1, stale-while-revalidate=3600").res("ETag", "\"abc\""),
                step().expect(CACHED)));
        rows.add(required(f, "stale-while-revalidate-window", "RFC 5861 §3",
                step().setup().pause().res("Cache-Control", "max-age=1, stale-while-revalidate=4").res("ETag", "\"abc\""),
                step().setup().pause().resUnchecked("Cache-Control", "no-cache").resUnchecked("ETag", "\"def\"").expect(CACHED),
                step().expectHeader("client-request-count", "3")));
        // §4.2.4: must-revalidate, proxy-revalidate, no-cache and s-maxage forbid serving stale when the origin fails
        for (String[] c : new String[][] {{"must-revalidate", "§5.2.2.2"}, {"proxy-revalidate", "§5.2.2.8"}, {"no-cache", "§5.2.2.4"},
                {"s-maxage=2", "§5.2.2.10"}}) {
            rows.add(required(f, "stale-close-" + c[0], "§4.2.4, " + c[1],
                    step().res("Cache-Control", "max-age=2, " + c[0]).setup().pause(),
                    step().disconnect().expectStatus(SuiteStep.ANY_STATUS).noBodyCheck().expectHeaderMissing("server-request-count")));
        }
        // From the suite's cc-stale.mjs: stale-if-error covers only its window (RFC 5861 §4)
        String cc = "cc-stale.mjs";
        rows.add(required(cc, "stale-if-error-cc-response-expired", "RFC 5861 §4",
                step().setup().res("Cache-Control", "max-age=0, stale-if-error=1").pause(), step().status(500)));
        rows.add(required(cc, "stale-if-error-cc-request-expired", "RFC 5861 §4",
                step().setup().res("Cache-Control", "max-age=0").pause(), step().req("Cache-Control", "stale-if-error=1").status(500)));
    }

    /** RFC 9110 §9.3.3: a POST response with explicit freshness and its own URL in Content-Location may answer a GET. */
    private static void method(List<SuiteRow> rows) {
        SuiteStep post = step().method("POST").requestBody("12345").req("Content-Type", "text/plain").res("Expires", 30 * 24 * 3600)
                .res("Content-Location", "").res("Date", 0).magicLocations().pause().setup();
        rows.add(optimal("method.mjs", "method-POST", "RFC 9110 §9.3.3", post, step().expect(CACHED))
                .differs("Gatehouse stores responses to GET only. Optimal, not implemented.", post, step().expect(NOT_CACHED)));
    }
}
