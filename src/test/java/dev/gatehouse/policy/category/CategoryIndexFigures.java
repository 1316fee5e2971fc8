package dev.gatehouse.policy.category;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.policy.normalize.HostName;
import dev.gatehouse.policy.normalize.HostNormalizer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Prints load time, retained heap and lookup rate for a synthetic 5 M-host list. Not a pass/fail
 * benchmark (CI machines vary; only loose sanity bounds are asserted). Run with:
 * {@code mvn -o test -Dtest=CategoryIndexFigures -Dgatehouse.figures=true}.
 */
@EnabledIfSystemProperty(named = "gatehouse.figures", matches = "true")
class CategoryIndexFigures {
    private static final int HOSTS = Integer.getInteger("gatehouse.figures.hosts", 5_000_000);

    @Test
    void printsFiguresForFiveMillionHosts() throws IOException {
        Path dir = Path.of(System.getProperty("gatehouse.repo", ".")).resolve("target/synthetic");
        Files.createDirectories(dir);
        Path file = dir.resolve("domains-" + HOSTS);
        SyntheticHostList generator = new SyntheticHostList(20_261_123L);
        List<String> sample = generator.write(file, HOSTS, 25);

        long heapBefore = usedHeapAfterGc();
        long start = System.nanoTime();
        long cpuStart = cpuNanos();
        CategoryIndexBuilder builder = new CategoryIndexBuilder();
        builder.add(CategorySource.file("adult", ListFormat.DOMAINS, EntrySemantics.DOMAIN, file));
        CategoryIndex index = builder.build();
        double loadSeconds = (System.nanoTime() - start) / 1e9;
        double loadCpuSeconds = (cpuNanos() - cpuStart) / 1e9;
        long retained = usedHeapAfterGc() - heapBefore;

        HostName[] queries = new HostName[Integer.getInteger("gatehouse.figures.queries", 1_000_000)];
        for (int i = 0; i < queries.length; i++) {
            queries[i] = HostNormalizer.normalize(generator.query(sample));
        }
        int hits = 0;
        for (HostName query : queries) { // warm-up
            hits += index.lookup(query).isEmpty() ? 0 : 1;
        }
        long lookupStart = System.nanoTime();
        long lookupCpuStart = cpuNanos();
        int rounds = 3_000_000 / queries.length;
        for (int r = 0; r < rounds; r++) {
            for (HostName query : queries) {
                hits += index.lookup(query).isEmpty() ? 0 : 1;
            }
        }
        double lookupsPerSecond = rounds * queries.length / ((System.nanoTime() - lookupStart) / 1e9);
        double lookupsPerCpuSecond = rounds * queries.length / ((cpuNanos() - lookupCpuStart) / 1e9);

        System.out.printf("category index figures: %d hosts (%d distinct) loaded in %.2f s (%.2f s of CPU); retained "
                + "heap %.1f MB (%.1f B/host, table %.1f B/host); %.2f M lookups/s on one thread (%.2f M per CPU "
                + "second); hits %d; %d bad lines%n",
                HOSTS, index.hostCount(), loadSeconds, loadCpuSeconds, retained / 1e6,
                (double) retained / index.hostCount(), (double) index.retainedBytes() / index.hostCount(),
                lookupsPerSecond / 1e6, lookupsPerCpuSecond / 1e6, hits, builder.problems().size());
        assertTrue(index.hostCount() > HOSTS * 0.98, "distinct hosts: " + index.hostCount());
        assertTrue(hits > 0);
    }

    /** CPU time of this thread: on a shared machine, wall-clock figures mostly measure the neighbours. */
    static long cpuNanos() {
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
