package dev.gatehouse.policy.category;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gatehouse.policy.normalize.HostNormalizer;
import dev.gatehouse.policy.normalize.TargetParser;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Loads the real UT1 subset in {@code shared/data/categories/ut1} (skipped when it is absent). */
class Ut1CategoryTest {
    static CategoryIndex index;
    static CategoryIndexBuilder builder;
    static List<String> loaded;

    @BeforeAll
    static void load() throws IOException {
        String repo = System.getProperty("gatehouse.repo");
        assumeTrue(repo != null, "gatehouse.repo not set");
        Path ut1 = Path.of(repo).resolve("../shared/data/categories/ut1").normalize();
        assumeTrue(Files.isDirectory(ut1), "no UT1 test data at " + ut1);
        long heapBefore = usedHeapAfterGc();
        long cpuStart = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        builder = new CategoryIndexBuilder();
        loaded = Ut1Directory.load(ut1, name -> true, builder);
        index = builder.build();
        double cpuSeconds = (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuStart) / 1e9;
        long retained = usedHeapAfterGc() - heapBefore;
        System.out.printf("UT1 subset: %d categories, %d hosts, %d entries in %.2f s of CPU; retained %.1f MB "
                + "(%.1f B/host; table %.1f B/host)%n", loaded.size(), index.hostCount(), index.entryCount(),
                cpuSeconds, retained / 1e6, (double) retained / index.hostCount(),
                (double) index.retainedBytes() / index.hostCount());
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Test
    void loadsAllElevenCategories() {
        assertEquals(List.of("cryptojacking", "dating", "doh", "gambling", "games", "publicite", "redirector",
                "shopping", "shortener", "social_networks", "vpn"), loaded);
    }

    @Test
    void loadsEveryDomainLine() {
        // 271,945 domain lines; a few hundred are shared between categories (one table slot each).
        assertTrue(index.hostCount() > 265_000 && index.hostCount() <= 271_945, "hosts: " + index.hostCount());
        assertTrue(index.entryCount() >= 271_945 + 2_274 - 50, "entries: " + index.entryCount());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            facebook.com              | social_networks
            www.facebook.com          | social_networks
            10bet.com                 | gambling games
            sports.10bet.com          | gambling games
            xn--bittex-zhb.com        | cryptojacking
            not-listed.invalid        | ''
            """)
    void categorisesRealHosts(String host, String expected) {
        List<String> names = index.names(index.lookup(HostNormalizer.normalize(host)));
        assertEquals(expected.isBlank() ? List.of() : List.of(expected.split(" ")), names);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            http://dmoz.org/World/Espa%C3%B1ol/Juegos/x           | games
            http://dmoz.org/World/Espa%c3%b1ol/Juegos/            | games
            http://dmoz.org/World/Español/Juegos/                 | games
            http://dmoz.org/World/                                | ''
            http://4ds1.com/Games/x                               | games
            http://4ds1.com/games/x                               | ''
            http://equilibriumsystems.com/any                     | games
            """)
    void categorisesRealUrls(String url, String expected) {
        List<String> names = index.names(index.lookup(TargetParser.parseUrl(url)));
        assertEquals(expected.isBlank() ? List.of() : List.of(expected.split(" ")), names);
    }

    @Test
    void honoursUsageAndUpstreamAliases() {
        assertEquals(index.categoryId("publicite"), index.categoryId("ads"));
        assertEquals(index.categoryId("publicite"), index.categoryId("advertisement"));
        assertEquals(index.categoryId("redirector"), index.categoryId("proxy"));
        assertEquals(-1, index.categoryId("porn"), "adult is not in the subset, so its alias is not defined");
    }

    @Test
    void explainsWithFileAndLine() throws IOException {
        List<EntryOrigin> origins = index.origins(TargetParser.parseUrl("http://www.facebook.com/"));
        assertEquals(1, origins.size(), origins.toString());
        assertTrue(origins.get(0).source().endsWith("social_networks/domains"));
        assertEquals(167, origins.get(0).line());
    }

    @Test
    void keepsTheTableCompact() {
        double bytesPerHost = (double) index.retainedBytes() / index.hostCount();
        assertTrue(bytesPerHost <= 40, "bytes per host: " + bytesPerHost);
    }
}
