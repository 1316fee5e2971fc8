package dev.gatehouse.e2e;

import static dev.gatehouse.e2e.SuiteRow.Kind.OPTIMAL;
import static dev.gatehouse.e2e.SuiteRow.Kind.REQUIRED;
import static dev.gatehouse.e2e.SuiteRow.optimal;
import static dev.gatehouse.e2e.SuiteRow.required;
import static dev.gatehouse.e2e.SuiteStep.Type.CACHED;
import static dev.gatehouse.e2e.SuiteStep.Type.NOT_CACHED;
import static dev.gatehouse.e2e.SuiteStep.becomeStale;
import static dev.gatehouse.e2e.SuiteStep.fresh;
import static dev.gatehouse.e2e.SuiteStep.stale;
import static dev.gatehouse.e2e.SuiteStep.step;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@link CacheConformanceIT}'s rows on freshness: the suite's cc-freshness, cc-parse, age-parse,
 * expires-freshness, expires-parse, heuristic-freshness and status files, in the suite's order. Section
 * numbers are RFC 9111's unless named otherwise.
 */
final class FreshnessRows {
    private FreshnessRows() {
    }

    static Stream<SuiteRow> rows() {
        List<SuiteRow> rows = new ArrayList<>();
        ccFreshness(rows);
        ccParse(rows);
        ageParse(rows);
        expires(rows);
        expiresParse(rows);
        heuristic(rows);
        status(rows);
        return rows.stream();
    }

    /** A response with {@code Cache-Control: value} stored, a pause, then a request that must (not) be a hit. */
    private static SuiteStep[] afterPause(String cacheControl, SuiteStep.Type second) {
        return new SuiteStep[] {step().res("Cache-Control", cacheControl).setup().pause(), step().expect(second)};
    }

    private static void ccFreshness(List<SuiteRow> rows) {
        String f = "cc-freshness.mjs";
        // §5.2.2.1 max-age, §4.2.1 lifetime, §4.2.3 age
        rows.add(optimal(f, "freshness-max-age", "§5.2.2.1", afterPause("max-age=3600", CACHED)));
        rows.add(required(f, "freshness-max-age-stale", "§4.2, §5.2.2.1", becomeStale(), step().expect(NOT_CACHED)));
        rows.add(required(f, "freshness-max-age-0", "§5.2.2.1", afterPause("max-age=0", NOT_CACHED)));
        // §1.2.2: delta-seconds beyond 2^31 are taken as 2^31
        rows.add(optimal(f, "freshness-max-age-max-minus-1", "§1.2.2", afterPause("max-age=2147483647", CACHED)));
        rows.add(optimal(f, "freshness-max-age-max", "§1.2.2", afterPause("max-age=2147483648", CACHED)));
        rows.add(optimal(f, "freshness-max-age-max-plus-1", "§1.2.2", afterPause("max-age=2147483649", CACHED)));
        rows.add(optimal(f, "freshness-max-age-max-plus", "§1.2.2", afterPause("max-age=99999999999", CACHED)));
        rows.add(required(f, "freshness-max-age-age", "§4.2.3, §5.1",
                step().res("Date", 0).res("Cache-Control", "max-age=3600").res("Age", "7200").setup().pause(),
                step().expect(NOT_CACHED)));
        // §4.2.1: max-age takes precedence over Expires
        rows.add(optimal(f, "freshness-max-age-expires", "§4.2.1",
                step().res("Cache-Control", "max-age=3600").res("Expires", -7200).res("Date", 0).setup().pause(),
                step().expect(CACHED)));
        rows.add(optimal(f, "freshness-max-age-expires-invalid", "§4.2.1",
                step().res("Cache-Control", "max-age=3600").resUnchecked("Expires", "0").res("Date", 0).setup().pause(),
                step().expect(CACHED)));
        rows.add(required(f, "freshness-max-age-0-expires", "§4.2.1",
                step().res("Expires", 3600).res("Cache-Control", "max-age=0").res("Date", 0).setup().pause(),
                step().expect(NOT_CACHED)));
        // §5.2.3: unknown directives are ignored; §5.2: directive names are case-insensitive
        rows.add(optimal(f, "freshness-max-age-extension", "§5.2.3", afterPause("foobar, max-age=3600", CACHED)));
        rows.add(optimal(f, "freshness-max-age-case-insenstive", "§5.2", afterPause("MaX-aGe=3600", CACHED)));
        rows.add(required(f, "freshness-max-age-negative", "§1.2.2", afterPause("max-age=-3600", NOT_CACHED)));
        // §5.2.2.10: a shared cache uses s-maxage over max-age and Expires, either way
        rows.add(required(f, "freshness-s-maxage-shared", "§5.2.2.10", afterPause("s-maxage=3600", CACHED)));
        rows.add(required(f, "freshness-max-age-s-maxage-shared-longer", "§5.2.2.10", afterPause("max-age=3600, s-maxage=1", NOT_CACHED)));
        rows.add(required(f, "freshness-max-age-s-maxage-shared-longer-reversed", "§5.2.2.10",
                afterPause("s-maxage=1, max-age=3600", NOT_CACHED)));
        rows.add(required(f, "freshness-max-age-s-maxage-shared-longer-multiple", "§5.2.2.10",
                step().res("Cache-Control", "max-age=3600").res("Cache-Control", "s-maxage=1").setup().pause(),
                step().expect(NOT_CACHED)));
        rows.add(optimal(f, "freshness-max-age-s-maxage-shared-shorter", "§5.2.2.10", afterPause("max-age=1, s-maxage=3600", CACHED)));
        rows.add(optimal(f, "freshness-max-age-s-maxage-shared-shorter-expires", "§5.2.2.10",
                step().res("Expires", -10).res("Cache-Control", "max-age=0, s-maxage=3600").setup().pause(),
                step().expect(CACHED)));
    }

    private static void ccParse(List<SuiteRow> rows) {
        String f = "cc-parse.mjs";
        // §5.2, RFC 9110 §5.6.4: a quoted string is one value, whatever it contains
        rows.add(required(f, "freshness-max-age-ignore-quoted", "§5.2",
                step().resUnchecked("Cache-Control", "extension=\"max-age=3600\", max-age=1").setup().pause(), step().expect(NOT_CACHED)));
        rows.add(required(f, "freshness-max-age-ignore-quoted-rev", "§5.2",
                step().resUnchecked("Cache-Control", "max-age=1, extension=\"max-age=3600\"").setup().pause(), step().expect(NOT_CACHED)));
        rows.add(required(f, "freshness-max-age-leading-zero", "§1.2.2",
                step().resUnchecked("Cache-Control", "max-age=003600").setup().pause(), step().expect(CACHED)));
        rows.add(required(f, "freshness-max-age-single-quoted", "§5.2.2.1",
                step().resUnchecked("Cache-Control", "max-age='3600'").setup().pause(), step().expect(NOT_CACHED)));
    }

    /** §5.1: Age is a non-negative integer; an invalid one is ignored, a list uses its first member. */
    private static void ageParse(List<SuiteRow> rows) {
        age(rows, "age-parse-nonnumeric", 3600, CACHED, "abc");
        age(rows, "age-parse-negative", 3600, CACHED, "-7200");
        age(rows, "age-parse-float", 3600, CACHED, "7200.0");
        age(rows, "age-parse-large-minus-one", 3600, NOT_CACHED, "2147483647");
        age(rows, "age-parse-large", 3600, NOT_CACHED, "2147483648");
        age(rows, "age-parse-larger", 3600, NOT_CACHED, "2147483649");
        age(rows, "age-parse-suffix", 3600, NOT_CACHED, "7200, 0");
        age(rows, "age-parse-prefix", 3600, CACHED, "0, 7200");
        age(rows, "age-parse-suffix-twoline", 3600, NOT_CACHED, "7200", "0");
        age(rows, "age-parse-prefix-twoline", 3600, CACHED, "0", "7200");
        age(rows, "age-parse-dup-0", 3600, CACHED, "0, 0");
        age(rows, "age-parse-dup-0-twoline", 3600, CACHED, "0", "0");
        age(rows, "age-parse-dup-old", 10000, CACHED, "3600", "3600");
    }

    private static void age(List<SuiteRow> rows, String id, int maxAge, SuiteStep.Type second, String... ageLines) {
        SuiteStep first = step().res("Date", 0).res("Cache-Control", "max-age=" + maxAge);
        for (String line : ageLines) first.resUnchecked("Age", line);
        rows.add(required("age-parse.mjs", id, "§5.1, §1.2.2", first.setup().pause(), step().expect(second)));
    }

    /** §5.3: Expires minus Date is the lifetime; an invalid Expires means already expired. */
    private static void expires(List<SuiteRow> rows) {
        String f = "expires-freshness.mjs";
        rows.add(optimal(f, "freshness-expires-future", "§5.3", step().res("Expires", 30 * 24 * 3600).res("Date", 0).setup().pause(),
                step().expect(CACHED)));
        rows.add(required(f, "freshness-expires-past", "§4.2.1, §5.3",
                step().res("Expires", -30 * 24 * 3600).res("Date", 0).setup().pause(), step().expect(NOT_CACHED)));
        rows.add(required(f, "freshness-expires-present", "§4.2.1, §5.3", step().res("Expires", 0).res("Date", 0).setup(),
                step().expect(NOT_CACHED)));
        rows.add(required(f, "freshness-expires-old-date", "§4.2.1", step().res("Expires", 300).res("Date", 400).setup().pause(),
                step().expect(NOT_CACHED)));
        rows.add(required(f, "freshness-expires-invalid", "§5.3", step().resUnchecked("Expires", "0").res("Date", 0).setup().pause(),
                step().expect(NOT_CACHED)));
        // §4.2.3: without a valid Date, date_value is the response time
        rows.add(optimal(f, "freshness-expires-invalid-date", "§4.2.3",
                step().resUnchecked("Date", "foo").res("Expires", 10).setup(), step().expect(CACHED)));
        rows.add(required(f, "freshness-expires-age-slow-date", "§4.2.1, §4.2.3",
                step().res("Date", -10).res("Expires", 10).res("Age", "25").setup(), step().expect(NOT_CACHED)));
        rows.add(required(f, "freshness-expires-age-fast-date", "§4.2.1, §4.2.3",
                step().res("Date", 10).res("Expires", 20).res("Age", "15").setup(), step().expect(NOT_CACHED)));
    }

    /** §5.3 and RFC 9110 §5.6.7: the three date formats, case-insensitively; anything else is invalid, so expired. */
    private static void expiresParse(List<SuiteRow> rows) {
        expiresAs(rows, "freshness-expires-32bit", OPTIMAL, CACHED, true, "Tue, 19 Jan 2038 14:14:08 GMT");
        expiresAs(rows, "freshness-expires-far-future", OPTIMAL, CACHED, true, "Sun, 21 Nov 2286 04:46:39 GMT");
        expiresAs(rows, "freshness-expires-rfc850", OPTIMAL, CACHED, true, "Thursday, 18-Aug-50 02:01:18 GMT");
        expiresAs(rows, "freshness-expires-ansi-c", OPTIMAL, CACHED, true, "Thu Aug  8 02:01:18 2050");
        expiresAs(rows, "freshness-expires-wrong-case-weekday", OPTIMAL, CACHED, true, "THU, 18 Aug 2050 02:01:18 GMT");
        expiresAs(rows, "freshness-expires-wrong-case-month", OPTIMAL, CACHED, true, "Thu, 18 AUG 2050 02:01:18 GMT");
        expiresAs(rows, "freshness-expires-wrong-case-tz", OPTIMAL, CACHED, true, "Thu, 18 Aug 2050 02:01:18 gMT");
        expiresAs(rows, "freshness-expires-invalid-utc", REQUIRED, NOT_CACHED, true, "Thu, 18 Aug 2050 02:01:18 UTC");
        expiresAs(rows, "freshness-expires-invalid-aest", REQUIRED, NOT_CACHED, true, "Thu, 18 Aug 2050 02:01:18 AEST");
        expiresAs(rows, "freshness-expires-invalid-2-digit-year", REQUIRED, NOT_CACHED, true, "Thu, 18 Aug 50 02:01:18 GMT");
        expiresAs(rows, "freshness-expires-invalid-no-comma", REQUIRED, NOT_CACHED, true, "Thu 18 Aug 2050 02:01:18 GMT");
        expiresAs(rows, "freshness-expires-invalid-multiple-spaces", REQUIRED, NOT_CACHED, false, "Thu, 18  Aug  2050 02:01:18 GMT");
        expiresAs(rows, "freshness-expires-invalid-date-dashes", REQUIRED, NOT_CACHED, false, "Thu, 18-Aug-2050 02:01:18 GMT");
        expiresAs(rows, "freshness-expires-invalid-time-periods", REQUIRED, NOT_CACHED, false, "Thu, 18 Aug 2050 02.01.18 GMT");
        expiresAs(rows, "freshness-expires-invalid-1-digit-hour", REQUIRED, NOT_CACHED, false, "Thu, 18 Aug 2050 2:01:18 GMT");
        expiresAs(rows, "freshness-expires-invalid-multiple-lines", REQUIRED, NOT_CACHED, false,
                "Thu, 18 Aug 2050 2:01:18 GMT", "Thu, 18 Aug 2050 2:01:19 GMT");
    }

    private static void expiresAs(List<SuiteRow> rows, String id, SuiteRow.Kind kind, SuiteStep.Type second, boolean pause, String... expires) {
        SuiteStep first = step();
        for (String value : expires) first.resUnchecked("Expires", value);
        first.res("Date", 0).setup();
        if (pause) first.pause();
        rows.add(SuiteRow.of(kind, "expires-parse.mjs", id, "§5.3", first, step().expect(second)));
    }

    /**
     * §4.2.2 and RFC 9110 §15.1: only heuristically cacheable statuses (or {@code public}) get a lifetime from
     * Last-Modified. The suite's second request carries the same scripted status and body.
     */
    private static void heuristic(List<SuiteRow> rows) {
        record Case(boolean reused, int status, SuiteStep extra) {}
        List<Case> cases = List.of(new Case(true, 200, null), new Case(false, 201, null), new Case(false, 202, null),
                new Case(true, 203, null), new Case(true, 204, null), new Case(false, 403, null), new Case(true, 404, null),
                new Case(true, 405, null), new Case(true, 410, null), new Case(true, 414, null), new Case(true, 501, null),
                new Case(false, 502, null), new Case(false, 503, null), new Case(false, 504, null), new Case(false, 599, null),
                new Case(true, 599, step().res("Cache-Control", "public")));
        for (Case c : cases) {
            String body = "status-" + c.status();
            SuiteStep first = step().status(c.status()).res("Last-Modified", -24 * 3600).res("Date", 0).body(body).setup();
            if (c.extra() != null) first.responseHeaders.addAll(c.extra().responseHeaders);
            SuiteStep second = step().expect(c.reused() ? CACHED : NOT_CACHED).status(c.status()).body(body);
            String id = "heuristic-" + c.status() + "-" + (c.reused() ? "cached" : "not_cached");
            rows.add(c.reused() ? optimal("heuristic-freshness.mjs", id, "§4.2.2", first, second)
                    : required("heuristic-freshness.mjs", id, "§3, §4.2.2", first, second));
        }
    }

    /** §3: a response with explicit freshness may be stored whatever its final status; §4.2: a stale one is not reused. */
    private static void status(List<SuiteRow> rows) {
        String f = "status.mjs";
        for (int code : new int[] {200, 203, 204, 299, 301, 302, 303, 307, 308, 400, 404, 410, 499, 500, 502, 503, 504, 599}) {
            String body = "status-" + code;
            rows.add(optimal(f, "status-" + code + "-fresh", "§3, §4.2",
                    fresh().status(code).body(body), step().expect(CACHED).status(code).body(body)));
            rows.add(required(f, "status-" + code + "-stale", "§4.2",
                    stale().status(code).body(body), step().expect(NOT_CACHED).body(body)));
        }
        // §5.2.2.3: must-understand overrides no-store only for a status code the cache understands
        rows.add(required(f, "status-599-must-understand", "§5.2.2.3",
                step().status(599).res("Cache-Control", "max-age=3600, no-store, must-understand").setup(), step().expect(NOT_CACHED)));
        rows.add(optimal(f, "status-200-must-understand", "§5.2.2.3",
                step().status(200).res("Cache-Control", "max-age=3600, no-store, must-understand").setup(), step().expect(CACHED)));
    }
}
