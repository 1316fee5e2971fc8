package dev.gatehouse.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gatehouse.policy.category.EntryOrigin;
import dev.gatehouse.policy.load.PolicyLoader;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A policy over the real UT1 subset in {@code shared/data} (skipped when it is absent). */
class Ut1PolicyTest {
    @TempDir
    static Path dir;
    static Policy policy;

    @BeforeAll
    static void load() throws Exception {
        Path ut1 = PolicyFixtures.repo().resolve("../shared/data/categories/ut1").normalize();
        assumeTrue(Files.isDirectory(ut1), "no UT1 test data at " + ut1);
        Path file = Files.writeString(dir.resolve("ut1.json"), """
                {"schemaVersion": 1, "defaultAction": {"action": "allow"},
                 "categorySources": [{"format": "ut1", "path": "%s", "include": ["ads", "proxy", "vpn", "gambling", "games",
                   "social_networks"]}],
                 "rules": [
                   {"id": "ads", "match": {"category": ["ads"]}, "continue": true, "cache": "no-store", "tags": ["ads"]},
                   {"id": "no-proxies", "match": {"category": ["proxy", "vpn"]}, "action": "block"},
                   {"id": "gambling-games", "match": {"categoryAll": ["gambling", "games"]}, "action": "warn"},
                   {"id": "no-gambling", "match": {"category": ["gambling"]}, "action": "block"},
                   {"id": "social-tag", "match": {"category": ["social_networks"]}, "action": "allow", "tags": ["social"]}
                 ]}
                """.formatted(ut1));
        long heapBefore = usedHeapAfterGc();
        long start = System.nanoTime();
        long cpuStart = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        policy = PolicyLoader.load(file);
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuStart) / 1e9;
        long retained = usedHeapAfterGc() - heapBefore;
        System.out.printf("UT1 subset policy: %d hosts, %d entries loaded in %.2f s (%.2f s of CPU), retained heap "
                + "%.1f MB (%.1f B/host); %d warnings%n", policy.categories().hostCount(),
                policy.categories().entryCount(), seconds, cpuSeconds, retained / 1e6,
                (double) retained / policy.categories().hostCount(), policy.warnings().size());
        policy.warnings().stream().limit(10).forEach(System.out::println);
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @ParameterizedTest(name = "{0} {1} -> {2} by {3}")
    @CsvSource(delimiter = '|', textBlock = """
            GET     | http://www.facebook.com/         | ALLOW | social-tag
            CONNECT | www.facebook.com:443             | ALLOW | social-tag
            GET     | http://10bet.com/                | WARN  | gambling-games
            GET     | http://0-casino.info/            | BLOCK | no-gambling
            CONNECT | WWW.0-Casino.Info.:443           | BLOCK | no-gambling
            GET     | http://1337games.net/proxy/x     | BLOCK | no-proxies
            GET     | http://1337games.net/other       | ALLOW | default
            GET     | http://example.invalid/          | ALLOW | default
            """)
    void decidesRealHosts(String method, String target, Action action, String rule) {
        Decision decision = policy.decide(PolicyFixtures.facts(method, target, null, null, null, null));
        assertEquals(action + " " + rule, decision.action() + " " + decision.ruleId());
    }

    @Test
    void explainsWithTheUt1FileAndLine() {
        Explanation explanation = policy.explain(PolicyFixtures.facts("GET", "http://www.facebook.com/", null, null,
                null, null));
        List<EntryOrigin> origins = explanation.categoryOrigins();
        assertEquals(1, origins.size(), origins.toString());
        assertTrue(origins.get(0).source().endsWith("ut1/social_networks/domains"));
        assertEquals(167, origins.get(0).line());
        assertEquals(List.of("social"), explanation.decision().tags());
        assertTrue(explanation.toText().contains("social_networks/domains line 167 'facebook.com' matched as parent"),
                explanation.toText());
    }

    @Test
    void loadsOnlyTheIncludedCategoriesNamedByFolderOrAlias() {
        assertEquals(List.of(), policy.warnings());
        assertEquals(-1, policy.categories().categoryId("shopping"));
        assertEquals(policy.categories().categoryId("publicite"), policy.categories().categoryId("ads"));
        assertTrue(policy.categories().hostCount() > 200_000, "hosts: " + policy.categories().hostCount());
    }
}
