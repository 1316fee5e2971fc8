package dev.gatehouse.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One request of a conformance row and what the scripted origin answers to it, in the terms of the
 * community cache test suite (http-tests/cache-tests, one object of a test's {@code requests} array), so
 * a row reads like the suite's own test: {@code step().res("Cache-Control", "max-age=2").setup().pause()}.
 *
 * <p>A header value given as an {@link Integer} is a date that many seconds from the origin's now, as the
 * suite writes dates ({@code res("Date", 0)}, {@code res("Expires", -5000)}). A step is mutable while a row
 * is built, and read only afterwards.
 */
final class SuiteStep {
    /** The suite's {@code expected_type}: whether the response came from the cache, and how it was validated. */
    enum Type { CACHED, NOT_CACHED, LM_VALIDATED, ETAG_VALIDATED }

    /** A header field line; {@code value} is a String, or an Integer date offset in seconds. */
    record Field(String name, Object value, boolean checked) {}

    /** An expected response header: present ({@code op} null, no value), equal to {@code value}, or {@code op} ">" a number. */
    record Expected(String name, String op, Object value) {}

    String method = "GET";
    final List<Field> requestHeaders = new ArrayList<>();
    String requestBody;
    String queryArg;
    String filename;
    boolean magicIms;
    boolean magicLocations;
    Integer responseStatus;
    final List<Field> responseHeaders = new ArrayList<>();
    /** The origin's body; null for the suite's default, one per row (none goes out with 204, 304 or HEAD). */
    String responseBody;
    boolean disconnect;
    boolean setup;
    boolean pauseAfter;
    final Set<String> setupTests = new java.util.HashSet<>();
    Type expectedType;
    /** Null: the default status check (response_status, else 200); {@link #ANY_STATUS}: none. */
    Integer expectedStatus;
    final List<Expected> expectedResponseHeaders = new ArrayList<>();
    /** Response fields that must be absent ({@code value} null), or must not contain {@code value}. */
    final List<Field> expectedResponseHeadersMissing = new ArrayList<>();
    final List<Field> expectedRequestHeaders = new ArrayList<>();
    String expectedResponseText;
    boolean checkBody = true;
    /** Gatehouse, not the suite: after this range miss the cache fetches the whole response itself. */
    boolean fillsInBackground;

    static final int ANY_STATUS = -1;

    static SuiteStep step() {
        return new SuiteStep();
    }

    // ---- the suite's shared templates (tests/lib/templates.mjs): their header lists come first ----

    /** {@code templates.fresh}: fresh for a day and more, then a pause. */
    static SuiteStep fresh() {
        return step().res("Cache-Control", "max-age=100000").res("Date", 0).setup().pause();
    }

    /** {@code templates.stale}: expired long ago, with a validator, then a pause. */
    static SuiteStep stale() {
        return step().res("Expires", -5000).res("Last-Modified", -100000).res("Date", 0).setup().pause();
    }

    /** {@code templates.becomeStale}: fresh for two seconds, then a pause of three. */
    static SuiteStep becomeStale() {
        return step().res("Cache-Control", "max-age=2").res("Date", 0).res("Template-A", "1").setup().pause();
    }

    // ---- the request ----

    SuiteStep method(String method) {
        this.method = method;
        return this;
    }

    SuiteStep req(String name, Object value) {
        requestHeaders.add(new Field(name, value, true));
        return this;
    }

    SuiteStep requestBody(String body) {
        this.requestBody = body;
        return this;
    }

    SuiteStep query(String queryArg) {
        this.queryArg = queryArg;
        return this;
    }

    SuiteStep file(String filename) {
        this.filename = filename;
        return this;
    }

    /** {@code magic_ims}: an Integer If-Modified-Since is relative to the previous response's origin time. */
    SuiteStep magicIms() {
        this.magicIms = true;
        return this;
    }

    // ---- the origin's answer ----

    SuiteStep status(int status) {
        this.responseStatus = status;
        return this;
    }

    SuiteStep res(String name, Object value) {
        responseHeaders.add(new Field(name, value, true));
        return this;
    }

    /** A response header the final check does not compare with what the client got (the suite's {@code false}). */
    SuiteStep resUnchecked(String name, Object value) {
        responseHeaders.add(new Field(name, value, false));
        return this;
    }

    SuiteStep body(String body) {
        this.responseBody = body;
        return this;
    }

    /** {@code magic_locations}: Location and Content-Location values are made paths under the row's URL. */
    SuiteStep magicLocations() {
        this.magicLocations = true;
        return this;
    }

    /** The origin closes the connection instead of answering. */
    SuiteStep disconnect() {
        this.disconnect = true;
        return this;
    }

    // ---- the run ----

    /** A step that sets the scenario up: its failures are the suite's "setup" failures. */
    SuiteStep setup() {
        this.setup = true;
        return this;
    }

    /** The suite's {@code setup_tests}: these checks of this step count as set-up. */
    SuiteStep setupTests(String... checks) {
        setupTests.addAll(List.of(checks));
        return this;
    }

    /** The suite's {@code pause_after}: three seconds pass (on the cache's clock) after this step. */
    SuiteStep pause() {
        this.pauseAfter = true;
        return this;
    }

    // ---- expectations ----

    SuiteStep expect(Type type) {
        this.expectedType = type;
        return this;
    }

    SuiteStep expectStatus(int status) {
        this.expectedStatus = status;
        return this;
    }

    SuiteStep expectHeader(String name, Object value) {
        expectedResponseHeaders.add(new Expected(name, null, value));
        return this;
    }

    SuiteStep expectHeaderPresent(String name) {
        expectedResponseHeaders.add(new Expected(name, null, null));
        return this;
    }

    SuiteStep expectHeaderAbove(String name, int bound) {
        expectedResponseHeaders.add(new Expected(name, ">", bound));
        return this;
    }

    SuiteStep expectHeaderMissing(String name) {
        expectedResponseHeadersMissing.add(new Field(name, null, true));
        return this;
    }

    /** The response must not carry {@code value} in {@code name} (it may carry the field with another value). */
    SuiteStep expectHeaderMissing(String name, String value) {
        expectedResponseHeadersMissing.add(new Field(name, value, true));
        return this;
    }

    /** What the origin must have received with this step's request. */
    SuiteStep expectSent(String name, String value) {
        expectedRequestHeaders.add(new Field(name, value, true));
        return this;
    }

    SuiteStep expectText(String text) {
        this.expectedResponseText = text;
        return this;
    }

    SuiteStep noBodyCheck() {
        this.checkBody = false;
        return this;
    }

    /**
     * Gatehouse's own expectation, not the suite's: this step is a range miss after which the cache fetches the
     * whole response for itself (so a later range can be a hit), so the origin sees the step twice: the range
     * request, then a plain GET. The suite would count that as a retry.
     */
    SuiteStep fillsInBackground() {
        this.fillsInBackground = true;
        return this;
    }

    boolean isSetup(String check) {
        return setup || setupTests.contains(check);
    }
}
