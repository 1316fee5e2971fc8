package dev.gatehouse.e2e;

import java.util.List;
import java.util.Locale;

/**
 * One test of the community cache test suite (http-tests/cache-tests) as a row of
 * {@link CacheConformanceIT}: the suite's id and kind, the file it comes from, the RFC section it checks,
 * and its steps as the suite writes them.
 *
 * @param differs null when Gatehouse is meant to pass the suite's test as written; otherwise why Gatehouse
 *                deliberately behaves otherwise
 * @param ours    with {@code differs}: the same scenario with Gatehouse's behaviour as the expectation
 */
record SuiteRow(String id, Kind kind, String file, String section, List<SuiteStep> steps, String differs, List<SuiteStep> ours) {
    /** The suite's {@code kind}: a requirement of the RFCs, or what an optimal cache does. */
    enum Kind { REQUIRED, OPTIMAL }

    static SuiteRow required(String file, String id, String section, SuiteStep... steps) {
        return of(Kind.REQUIRED, file, id, section, steps);
    }

    static SuiteRow optimal(String file, String id, String section, SuiteStep... steps) {
        return of(Kind.OPTIMAL, file, id, section, steps);
    }

    static SuiteRow of(Kind kind, String file, String id, String section, SuiteStep... steps) {
        return new SuiteRow(id, kind, file, section, List.of(steps), null, null);
    }

    /** This row, where Gatehouse deliberately does what {@code ours} expects instead, for the reason {@code why}. */
    SuiteRow differs(String why, SuiteStep... ours) {
        return new SuiteRow(id, kind, file, section, steps, why, List.of(ours));
    }

    /** The steps to run: Gatehouse's where it differs, unless {@code asSuite} asks for the suite's own. */
    List<SuiteStep> stepsToRun(boolean asSuite) {
        return differs == null || asSuite ? steps : ours;
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(Locale.ROOT) + " " + id + (differs == null ? "" : " (differs on purpose)");
    }
}
