package dev.gatehouse.policy.category;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.policy.normalize.HostNormalizer;
import dev.gatehouse.policy.normalize.TargetParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CategoryIndexTest {
    @TempDir
    static Path dir;
    static CategoryIndex index;
    static CategoryIndexBuilder builder;

    @BeforeAll
    static void load() throws IOException {
        Path gambling = Files.writeString(dir.resolve("gambling.txt"), """
                # a comment
                casino.example
                Bücher-Wetten.example.
                1.2.3.4

                *.wild.example
                bad..entry
                """);
        Path ads = Files.writeString(dir.resolve("ads.hosts"), """
                127.0.0.1 localhost
                0.0.0.0 ads.example tracker.example # two names
                0.0.0.0 casino.example
                """);
        Path urls = Files.writeString(dir.resolve("urls"), """
                news.example/casino/
                news.example/Poker
                2130706433/proxy
                blog.example/a%2fb/#fragment
                """);
        builder = new CategoryIndexBuilder(4);
        builder.add(CategorySource.file("gambling", ListFormat.DOMAINS, EntrySemantics.DOMAIN, gambling));
        builder.add(CategorySource.file("ads", ListFormat.HOSTS, EntrySemantics.EXACT, ads));
        builder.add(CategorySource.file("gambling", ListFormat.URLS, EntrySemantics.DOMAIN, urls));
        builder.add(CategorySource.inline("corp", ListFormat.DOMAINS, EntrySemantics.DOMAIN,
                List.of("corp.example", "casino.example"), "policy.json#/lists/corp"));
        builder.alias("publicite", "ads");
        index = builder.build();
    }

    private static List<String> hostCategories(String host) {
        return index.names(index.lookup(HostNormalizer.normalize(host)));
    }

    private static List<String> urlCategories(String url) {
        return index.names(index.lookup(TargetParser.parseUrl(url)));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            casino.example            | gambling ads corp
            www.casino.example        | gambling corp
            a.b.casino.example        | gambling corp
            CASINO.example.           | gambling ads corp
            notcasino.example         | ''
            casino.example.org        | ''
            example                   | ''
            ads.example               | ads
            www.ads.example           | ''
            tracker.example           | ads
            localhost                 | ''
            BÜCHER-wetten.example     | gambling
            wild.example              | ''
            x.wild.example            | gambling
            1.2.3.4                   | gambling
            0x01020304                | gambling
            1.2.3.5                   | ''
            """)
    void looksUpHostsOnLabelBoundaries(String host, String expected) {
        assertEquals(expected.isBlank() ? List.of() : List.of(expected.split(" ")), hostCategories(host));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            http://news.example/casino/roulette     | gambling
            http://www.news.example/casino/         | gambling
            http://news.example/Casino/             | ''
            http://news.example/Poker?x=1           | gambling
            http://news.example/a/../casino/x       | gambling
            http://news.example/                    | ''
            http://127.0.0.1/proxy/x                | gambling
            http://blog.example/a%2Fb/c             | gambling
            http://blog.example/a/b/c               | ''
            """)
    void looksUpUrlPrefixes(String url, String expected) {
        assertEquals(expected.isBlank() ? List.of() : List.of(expected.split(" ")), urlCategories(url));
    }

    @Test
    void aSingleLabelEntryCoversItsWholeTopLevelDomain() throws IOException {
        CategoryIndexBuilder tld = new CategoryIndexBuilder();
        tld.add(CategorySource.inline("reserved", ListFormat.DOMAINS, EntrySemantics.DOMAIN, List.of("test"), "t"));
        CategoryIndex index = tld.build();
        assertEquals(List.of("reserved"), index.names(index.lookup(HostNormalizer.normalize("a.b.test"))));
        assertEquals(List.of("reserved"), index.names(index.lookup(HostNormalizer.normalize("test"))));
        assertTrue(index.lookup(HostNormalizer.normalize("a.b.example")).isEmpty());
    }

    @Test
    void readsBigFilesAcrossBufferBoundariesWithCrlfAndNoFinalNewline(@TempDir Path tmp) throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= 120_000; i++) {
            text.append(i == 60_000 ? "bad..entry" : i == 70_000 ? "Zürich-" + i + ".example" : "host" + i + ".example");
            if (i < 120_000) {
                text.append("\r\n");
            }
        }
        Path file = Files.writeString(tmp.resolve("big"), text); // over 2 MB: crosses the 1 MB read buffer
        CategoryIndexBuilder big = new CategoryIndexBuilder();
        big.add(CategorySource.file("big", ListFormat.DOMAINS, EntrySemantics.DOMAIN, file));
        CategoryIndex index = big.build();

        assertEquals(119_999, index.hostCount());
        assertEquals(List.of(60_000), big.problems().stream().map(LoadProblem::line).toList());
        for (String host : List.of("host1.example", "www.host65536.example", "host120000.example",
                "zürich-70000.example")) {
            assertEquals(List.of("big"), index.names(index.lookup(HostNormalizer.normalize(host))), host);
        }
        assertTrue(index.lookup(HostNormalizer.normalize("host120001.example")).isEmpty());
    }

    @Test
    void tunnelsHaveNoUrlCategories() {
        assertTrue(index.lookup(TargetParser.parseConnect("news.example:443")).isEmpty());
    }

    @Test
    void resolvesAliases() {
        assertEquals(index.categoryId("ads"), index.categoryId("publicite"));
        assertEquals(-1, index.categoryId("nope"));
    }

    @Test
    void reportsBadEntriesWithTheirLine() {
        List<LoadProblem> problems = builder.problems();
        assertEquals(1, problems.size(), problems.toString());
        assertEquals(7, problems.get(0).line());
        assertTrue(problems.get(0).source().endsWith("gambling.txt"));
    }

    @Test
    void findsTheOriginOfEachCategory() throws IOException {
        List<String> origins = index.origins(TargetParser.parseUrl("http://www.casino.example/")).stream()
                .map(o -> o.category() + " " + Path.of(o.source()).getFileName() + ":" + o.line() + " " + o.how())
                .toList();
        assertEquals(List.of("gambling gambling.txt:2 parent of 'www.casino.example'",
                "corp corp:2 parent of 'www.casino.example'"), origins);
    }

    @Test
    void findsTheOriginOfUrlEntries() throws IOException {
        List<EntryOrigin> origins = index.origins(TargetParser.parseUrl("http://news.example/Poker/x"));
        assertEquals(1, origins.size());
        assertEquals(2, origins.get(0).line());
        assertEquals("URL prefix", origins.get(0).how());
    }
}
