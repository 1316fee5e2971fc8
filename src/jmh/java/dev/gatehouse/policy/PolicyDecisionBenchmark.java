package dev.gatehouse.policy;

import dev.gatehouse.CpuTime;
import dev.gatehouse.policy.load.PolicyLoader;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@link Policy#decide} on the 50-rule policy without regexes of {@link FiftyRulePolicy} (the one
 * {@code PolicyDecisionFigures} prints), with the UT1-layout sample categories in
 * {@code policies/categories/sample}. {@code decide} takes already parsed facts; {@code parseAndDecide}
 * also parses and normalises the URL, as the proxy does per request. Target (issue 3, item 7):
 * {@code decide} ≥ 500 k ops/s on one thread.
 *
 * <pre>{@code
 * scripts/jmh PolicyDecisionBenchmark
 * java -Dgatehouse.repo=. -jar target/gatehouse-jmh.jar PolicyDecisionBenchmark -f1 -wi 3 -i 5 -t1
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
public class PolicyDecisionBenchmark {
    private static final String[] URLS = FiftyRulePolicy.URLS;
    private static final Instant MONDAY_MORNING = Instant.parse("2026-11-23T09:00:00Z");

    Policy policy;
    RequestFacts[] facts;
    InetAddress client;

    @State(Scope.Thread)
    public static class ThreadState {
        int next;
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Path repo = Path.of(System.getProperty("gatehouse.repo", ".")).toAbsolutePath().normalize();
        Path sample = repo.resolve("policies/categories/sample");
        if (!Files.isDirectory(sample)) {
            throw new IllegalStateException(sample + " not found: run from the repository or set -Dgatehouse.repo");
        }
        Path file = Files.createTempFile("gatehouse-jmh-policy-", ".json");
        try {
            Files.writeString(file, FiftyRulePolicy.json(sample));
            policy = PolicyLoader.load(file);
        } finally {
            Files.deleteIfExists(file);
        }
        client = InetAddress.getByName("10.1.2.3");
        facts = new RequestFacts[URLS.length];
        for (int i = 0; i < URLS.length; i++) {
            facts[i] = RequestFacts.forUrl(URLS[i], "GET", client, null, Set.of(), MONDAY_MORNING);
        }
    }

    @Benchmark
    public Decision decide(ThreadState t, CpuTime cpu) {
        return policy.decide(facts[Math.floorMod(t.next++, facts.length)]);
    }

    @Benchmark
    public Decision parseAndDecide(ThreadState t, CpuTime cpu) {
        String url = URLS[Math.floorMod(t.next++, URLS.length)];
        return policy.decide(RequestFacts.forUrl(url, "GET", client, null, Set.of(), MONDAY_MORNING));
    }
}
