package dev.gatehouse.policy.category;

import dev.gatehouse.CpuTime;
import dev.gatehouse.policy.normalize.HostName;
import dev.gatehouse.policy.normalize.HostNormalizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Domain → categories lookups on an index of 5 M synthetic hosts (the stand-in for UT1's
 * {@code adult} list that {@code shared/data/categories/SOURCE.md} describes, from the same
 * {@link SyntheticHostList} and seed as {@code CategoryIndexFigures}). The query stream mixes hits on
 * listed hosts, hits on their {@code www.} subdomains (the suffix walk) and misses, 20/20/60, and draws
 * them Zipf-distributed: a few hosts are asked for very often, most rarely. Target (issue 3, item 7):
 * {@code lookup} ≥ 3 M ops/s on one thread. {@code normalizeAndLookup} adds host normalisation, as a
 * request from the wire pays it.
 *
 * <pre>{@code
 * scripts/jmh CategoryLookupBenchmark
 * java -jar target/gatehouse-jmh.jar CategoryLookupBenchmark -f1 -wi 3 -i 5 -t1 [-p hosts=1000000]
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g"})
public class CategoryLookupBenchmark {
    private static final int SIZE = 1 << 20;
    private static final int MASK = SIZE - 1;
    private static final long SEED = 20_261_123L;

    /** Listed hosts; 5 M is the target, smaller values make quick runs. */
    @Param("5000000")
    int hosts;

    CategoryIndex index;
    HostName[] hostQueries;
    String[] rawQueries;

    @State(Scope.Thread)
    public static class ThreadState {
        int next = ThreadLocalRandom.current().nextInt(SIZE);
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Path file = Files.createTempFile("gatehouse-jmh-domains-", ".txt");
        try {
            SyntheticHostList generator = new SyntheticHostList(SEED);
            List<String> sample = generator.write(file, hosts, 25);
            CategoryIndexBuilder builder = new CategoryIndexBuilder();
            builder.add(CategorySource.file("adult", ListFormat.DOMAINS, EntrySemantics.DOMAIN, file));
            index = builder.build();

            // Query keys, kinds interleaved at random, so the Zipf ranks below are scrambled across kinds.
            String[] keys = new String[SIZE];
            for (int i = 0; i < SIZE; i++) {
                keys[i] = generator.query(sample);
            }
            Zipf zipf = new Zipf(SIZE, 0.99);
            hostQueries = new HostName[SIZE];
            rawQueries = new String[SIZE];
            for (int i = 0; i < SIZE; i++) {
                rawQueries[i] = keys[zipf.next(generator.nextInt(Integer.MAX_VALUE) / (double) Integer.MAX_VALUE)];
                hostQueries[i] = HostNormalizer.normalize(rawQueries[i]);
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Benchmark
    public CategorySet lookup(ThreadState t, CpuTime cpu) {
        return index.lookup(hostQueries[t.next++ & MASK]);
    }

    @Benchmark
    public CategorySet normalizeAndLookup(ThreadState t, CpuTime cpu) {
        return index.lookup(HostNormalizer.normalize(rawQueries[t.next++ & MASK]));
    }

    /** Zipf ranks 0..n-1 by inverse CDF: rank 0 is the most frequent (YCSB's constant 0.99). */
    static final class Zipf {
        private final double[] cumulative;

        Zipf(int n, double exponent) {
            cumulative = new double[n];
            double sum = 0;
            for (int rank = 0; rank < n; rank++) {
                sum += 1 / Math.pow(rank + 1, exponent);
                cumulative[rank] = sum;
            }
            for (int rank = 0; rank < n; rank++) {
                cumulative[rank] /= sum;
            }
        }

        /** @param u uniform in [0, 1) */
        int next(double u) {
            int at = java.util.Arrays.binarySearch(cumulative, u);
            return Math.min(cumulative.length - 1, at >= 0 ? at : -at - 1);
        }
    }
}
