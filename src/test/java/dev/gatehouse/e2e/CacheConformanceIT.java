package dev.gatehouse.e2e;

import dev.gatehouse.cache.MutableClock;
import dev.gatehouse.e2e.SuiteStep.Type;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Gatehouse's shared cache against the community HTTP cache test suite (http-tests/cache-tests, results on
 * cache-tests.fyi): every {@code required} test that applies to a shared cache, and most {@code optimal}
 * ones, rewritten as rows ({@link FreshnessRows}, {@link StorageRows}) named by the suite's test ids. Left
 * out: browser-only tests, CDN-Cache-Control and Surrogate-Control (targeted at CDNs), the suite's {@code check}
 * tests (information, not requirements), and its two interim-response tests ({@code interim-102},
 * {@code interim-103}: a 1xx passed on, then the final response a hit), which need a client that sees interim
 * responses, as the JDK's does not: {@link InterimResponsesIT} checks the same over raw sockets.
 *
 * <p>Each row runs as the suite's client and server do: the steps go through Gatehouse, in order, to a
 * {@link ScriptedOrigin}; each response is checked as it arrives (from the cache or not, status, headers,
 * body), then what the origin received (validators, request fields, and that the client got the origin's
 * fields unchanged). A failure the suite counts as a "setup" failure (the scenario could not be set up) is
 * marked {@code [setup]}. The suite's three-second pauses step the cache's clock instead of sleeping.
 *
 * <p>One Gatehouse and one origin serve all rows; each row has its own URL, so rows do not share entries.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CacheConformanceIT {
    /** The suite's {@code pause_after}, in seconds. */
    private static final int PAUSE_SECONDS = 3;
    /**
     * {@code -Dgatehouse.conformance.asSuite=true} runs the rows where Gatehouse differs on purpose with the suite's own
     * expectations too (they then fail): the tally as cache-tests.fyi would count it.
     */
    private static final boolean AS_SUITE = Boolean.getBoolean("gatehouse.conformance.asSuite");

    /** The cache's and the origin's time: it stands still but for the suite's pauses, so ages are exact. */
    private final MutableClock clock = new MutableClock(System.currentTimeMillis());
    /** Each row's outcome, for the tally printed at the end. */
    private final Map<SuiteRow, String> outcomes = new java.util.LinkedHashMap<>();
    private ScriptedOrigin origin;
    private GatehouseFixture proxy;

    @BeforeAll
    void start() throws Exception {
        origin = new ScriptedOrigin(clock);
        proxy = GatehouseFixture.start(config -> { }, clock);
    }

    @AfterAll
    void stop() throws Exception {
        printTally();
        try {
            proxy.close();
        } finally {
            origin.close();
        }
    }

    static Stream<SuiteRow> rows() {
        return Stream.concat(FreshnessRows.rows(), StorageRows.rows());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void behavesAsTheSuiteExpects(SuiteRow row) throws Exception {
        try {
            run(row);
            outcomes.put(row, "pass");
        } catch (AssertionError e) {
            outcomes.put(row, e.getMessage());
            throw new AssertionError(row + " (" + row.file() + "): " + e.getMessage(), e);
        }
    }

    /**
     * Prints how many rows of each kind passed, and the failures, as the suite's results page would count them
     * (run with {@code -Dgatehouse.conformance.asSuite=true} for that).
     */
    private void printTally() {
        for (SuiteRow.Kind kind : SuiteRow.Kind.values()) {
            List<SuiteRow> rows = outcomes.keySet().stream().filter(r -> r.kind() == kind).toList();
            long passed = rows.stream().filter(r -> outcomes.get(r).equals("pass")).count();
            long differ = rows.stream().filter(r -> r.differs() != null).count();
            System.out.printf("conformance %s: %d of %d passed (%d differ on purpose)%n", kind, passed, rows.size(), differ);
            rows.stream().filter(r -> !outcomes.get(r).equals("pass"))
                    .forEach(r -> System.out.printf("  failed %s (%s): %s%n", r.id(), r.file(), outcomes.get(r)));
        }
    }

    private void run(SuiteRow row) throws Exception {
        String id = UUID.randomUUID().toString(); // the suite's test uuid: the URL, and the default body (36 characters)
        List<SuiteStep> steps = row.stepsToRun(AS_SUITE);
        origin.script(id, steps, id);
        List<HttpResponse<String>> responses = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            SuiteStep step = steps.get(i);
            HttpResponse<String> response = proxy.client().send(request(row, id, step, i + 1, responses), HttpResponse.BodyHandlers.ofString());
            responses.add(response);
            checkResponse(step, i + 1, response, id, steps);
            if (step.pauseAfter) clock.advanceSeconds(PAUSE_SECONDS);
        }
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).fillsInBackground) awaitWholeFetch(id, i + 1);
        }
        checkOrigin(steps, origin.seen(id), responses);
    }

    private HttpRequest request(SuiteRow row, String id, SuiteStep step, int reqNum, List<HttpResponse<String>> earlier) {
        String path = "/test/" + id + (step.filename == null ? "" : "/" + step.filename) + (step.queryArg == null ? "" : "?" + step.queryArg);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(origin.url(path))).timeout(Duration.ofSeconds(20))
                .method(step.method, step.requestBody == null
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(step.requestBody));
        // The suite's command-line client sends these with every request (its fetch() would add caching otherwise).
        request.header("Pragma", "foo").header("Cache-Control", "nothing-to-see-here");
        for (SuiteStep.Field f : step.requestHeaders) {
            String value = f.value() instanceof Integer offset && step.magicIms
                    ? ScriptedOrigin.httpDate(Long.parseLong(field(earlier.getLast(), "Server-Now")), offset)
                    : (String) f.value();
            request.header(f.name(), value);
        }
        return request.header("Test-ID", row.id()).header("Req-Num", Integer.toString(reqNum)).build();
    }

    /** Waits (bounded) until the origin has seen the cache's own request for the whole response of step {@code reqNum}. */
    private void awaitWholeFetch(String id, int reqNum) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (origin.seen(id).stream().noneMatch(s -> s.reqNum() == reqNum && !s.headers().containsKey("range"))) {
            check(false, System.nanoTime() < deadline, "the cache did not fetch the whole response after the range miss of step " + reqNum);
            GatehouseFixture.pause();
        }
    }

    /** The suite's per-response checks (test-engine/client/test.mjs checkResponse). */
    private static void checkResponse(SuiteStep step, int reqNum, HttpResponse<String> response, String defaultBody, List<SuiteStep> steps) {
        String served = field(response, "Server-Request-Count");
        String numbers = field(response, "Request-Numbers");
        if (numbers != null) {
            List<String> seen = new ArrayList<>(List.of(numbers.split(" ")));
            for (int i = 0; i < steps.size(); i++) {
                if (steps.get(i).fillsInBackground) seen.removeIf(String.valueOf(i + 1)::equals); // the cache's own fetch
            }
            check(true, seen.size() == new HashSet<>(seen).size(), "the origin saw a request twice (retry): " + numbers);
        }
        if (step.expectedType == Type.CACHED && !(response.statusCode() == 304 && served == null)) {
            check(step.isSetup("expected_type"), served != null && Integer.parseInt(served) < reqNum,
                    "Response " + reqNum + " does not come from cache");
        }
        if (step.expectedType == Type.NOT_CACHED) {
            check(step.isSetup("expected_type"), String.valueOf(reqNum).equals(served), "Response " + reqNum + " comes from cache");
        }
        int status = response.statusCode();
        if (step.expectedStatus != null) {
            if (step.expectedStatus != SuiteStep.ANY_STATUS) {
                check(step.isSetup("expected_status"), status == step.expectedStatus,
                        "Response " + reqNum + " status is " + status + ", not " + step.expectedStatus);
            }
        } else {
            int wanted = step.responseStatus == null ? 200 : step.responseStatus;
            check(true, status == wanted, "Response " + reqNum + " status is " + status + ", not " + wanted);
        }
        for (SuiteStep.Expected e : step.expectedResponseHeaders) {
            String value = field(response, e.name());
            check(step.isSetup("expected_response_headers"), value != null, "Response " + reqNum + " " + e.name() + " header not present.");
            if (">".equals(e.op())) {
                check(step.isSetup("expected_response_headers"), Long.parseLong(value) > (Integer) e.value(),
                        "Response " + reqNum + " header " + e.name() + " is " + value + ", should be bigger than " + e.value());
            } else if (e.value() != null) {
                String wanted = e.value() instanceof Integer offset
                        ? ScriptedOrigin.httpDate(Long.parseLong(field(response, "Server-Now")), offset) : (String) e.value();
                check(step.isSetup("expected_response_headers"), wanted.equals(value),
                        "Response " + reqNum + " header " + e.name() + " is \"" + value + "\", not \"" + wanted + "\"");
            }
        }
        for (SuiteStep.Field missing : step.expectedResponseHeadersMissing) {
            String value = field(response, missing.name());
            check(step.isSetup("expected_response_headers_missing"), value == null || (missing.value() != null && !value.contains((String) missing.value())),
                    "Response " + reqNum + " includes unexpected header " + missing.name() + ": \"" + value + "\"");
        }
        if (!step.checkBody) return;
        if (step.expectedResponseText != null) {
            check(step.isSetup("expected_response_text"), step.expectedResponseText.equals(response.body()),
                    "Response body is \"" + response.body() + "\", not \"" + step.expectedResponseText + "\"");
        } else if (status != 204 && status != 304 && !step.method.equals("HEAD")) {
            String wanted = step.responseBody == null ? defaultBody : step.responseBody;
            check(true, wanted.equals(response.body()), "Response body is \"" + response.body() + "\", not \"" + wanted + "\"");
        }
    }

    /** The suite's checks of what the origin received (test-engine/client/test.mjs checkServerRequests). */
    private static void checkOrigin(List<SuiteStep> steps, List<ScriptedOrigin.Seen> seen, List<HttpResponse<String>> responses) {
        for (int i = 0; i < steps.size(); i++) {
            SuiteStep step = steps.get(i);
            int reqNum = i + 1;
            if (step.expectedType == Type.CACHED) continue; // the origin does not see it
            // The client's request, not the cache's own fetch of the whole response (which carries the same step number).
            ScriptedOrigin.Seen request = seen.stream()
                    .filter(s -> s.reqNum() == reqNum && !(step.fillsInBackground && !s.headers().containsKey("range")))
                    .findFirst().orElse(null);
            boolean typeSetup = step.isSetup("expected_type");
            if (step.expectedType == Type.NOT_CACHED) {
                check(typeSetup, request != null, "Response " + reqNum + " comes from cache");
            }
            String validator = step.expectedType == Type.ETAG_VALIDATED ? "if-none-match"
                    : step.expectedType == Type.LM_VALIDATED ? "if-modified-since" : null;
            if (validator != null) {
                check(typeSetup, request != null, "request " + reqNum + " wasn't sent to server");
                check(typeSetup, request.headers().containsKey(validator), "request " + reqNum + " doesn't have " + validator + " header");
                check(typeSetup, !request.notConditional(), "Request " + reqNum + " should have been conditional, but it was not.");
            }
            for (SuiteStep.Field f : step.expectedRequestHeaders) {
                check(step.isSetup("expected_request_headers"), request != null, "request " + reqNum + " wasn't sent to server");
                String value = request.headers().get(f.name().toLowerCase(java.util.Locale.ROOT));
                check(step.isSetup("expected_request_headers"), f.value().equals(value),
                        "Request " + reqNum + " header " + f.name() + " is \"" + value + "\", not \"" + f.value() + "\"");
            }
            if (request == null) continue;
            for (Map.Entry<String, String> sent : request.checked().entrySet()) {
                String received = field(responses.get(i), sent.getKey());
                check(true, sent.getValue().equals(received),
                        "Response " + reqNum + " header " + sent.getKey() + " is \"" + received + "\", not \"" + sent.getValue() + "\"");
            }
        }
    }

    /** All lines of a response field joined with ", ", as fetch() reads them; null when absent. */
    private static String field(HttpResponse<?> response, String name) {
        List<String> values = response.headers().allValues(name);
        return values.isEmpty() ? null : String.join(", ", values);
    }

    private static void check(boolean setup, boolean ok, String message) {
        if (!ok) throw new AssertionError((setup ? "[setup] " : "") + message);
    }
}
