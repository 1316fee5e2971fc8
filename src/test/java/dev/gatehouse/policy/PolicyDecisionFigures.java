package dev.gatehouse.policy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.policy.load.PolicyLoader;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prints the decision rate of a 50-rule policy without regexes (the target is 500 k/s on one
 * core), and the rate including target parsing. Not pass/fail on speed. Run with:
 * {@code mvn -o test -Dtest=PolicyDecisionFigures -Dgatehouse.figures=true}.
 */
@EnabledIfSystemProperty(named = "gatehouse.figures", matches = "true")
class PolicyDecisionFigures {

    @Test
    void printsDecisionsPerSecond(@TempDir Path dir) throws Exception {
        Path sample = PolicyFixtures.repo().resolve("policies/categories/sample");
        Path file = Files.writeString(dir.resolve("fifty.json"), FiftyRulePolicy.json(sample));
        Policy policy = PolicyLoader.load(file);

        String[] urls = FiftyRulePolicy.URLS;
        RequestFacts[] facts = new RequestFacts[urls.length];
        for (int i = 0; i < urls.length; i++) {
            facts[i] = PolicyFixtures.facts("GET", urls[i], "10.1.2.3", null, null, null);
        }
        int blocked = 0;
        for (int i = 0; i < 300_000; i++) { // warm-up
            blocked += policy.decide(facts[i % facts.length]).action() == Action.BLOCK ? 1 : 0;
        }
        int n = 2_000_000;
        long start = System.nanoTime();
        long cpuStart = cpuNanos();
        for (int i = 0; i < n; i++) {
            blocked += policy.decide(facts[i % facts.length]).action() == Action.BLOCK ? 1 : 0;
        }
        double decisions = n / ((System.nanoTime() - start) / 1e9);
        double decisionsPerCpu = n / ((cpuNanos() - cpuStart) / 1e9);
        start = System.nanoTime();
        cpuStart = cpuNanos();
        for (int i = 0; i < n / 4; i++) {
            RequestFacts parsed = RequestFacts.forUrl(urls[i % urls.length], "GET", facts[0].client(), null,
                    Set.of(), facts[0].instant());
            blocked += policy.decide(parsed).action() == Action.BLOCK ? 1 : 0;
        }
        double withParsing = (n / 4) / ((System.nanoTime() - start) / 1e9);
        double withParsingPerCpu = (n / 4) / ((cpuNanos() - cpuStart) / 1e9);
        System.out.printf("policy decision figures: 50 rules, no regex: %.0f k decisions/s (%.0f k per CPU second); "
                + "%.0f k/s including URL parsing and normalisation (%.0f k per CPU second; %d blocked)%n",
                decisions / 1e3, decisionsPerCpu / 1e3, withParsing / 1e3, withParsingPerCpu / 1e3, blocked);
        assertTrue(blocked >= 0);
    }

    private static long cpuNanos() {
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }
}
