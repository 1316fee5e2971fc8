package dev.gatehouse.policy.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gatehouse.policy.Action;
import dev.gatehouse.policy.Policy;
import dev.gatehouse.policy.RequestFacts;
import dev.gatehouse.policy.ResponseFacts;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The annotated example of {@code policies/README.md} must stay a valid policy. */
class ReadmeExampleTest {

    @Test
    void theReadmeExampleLoadsAndDecides(@TempDir Path dir) throws Exception {
        String readme = Files.readString(PolicyLoaderTest.repo().resolve("policies/README.md"));
        int start = readme.indexOf("```json\n") + 8;
        String example = readme.substring(start, readme.indexOf("```", start));
        Path file = Files.writeString(dir.resolve("branch.json"), example);
        for (String category : List.of("gambling", "games", "malware", "phishing", "redirector", "social_networks")) {
            Path folder = Files.createDirectories(dir.resolve("categories/ut1/" + category));
            Files.writeString(folder.resolve("domains"), category.replace('_', '-') + ".example\n");
        }
        Files.writeString(dir.resolve("categories/ads.hosts"), "0.0.0.0 ads.example\n");
        Files.writeString(dir.resolve("categories/newsletters.txt"), "news.example\n");
        Files.createDirectories(dir.resolve("lists"));
        Files.writeString(dir.resolve("lists/corp-domains.txt"), "corp.example\n");

        Policy policy = PolicyLoader.load(file);

        InetAddress guest = InetAddress.getByName("192.168.50.9");
        RequestFacts proxy = RequestFacts.forConnect("www.redirector.example:443", guest, null, Set.of(),
                Instant.parse("2026-11-23T09:00:00Z"));
        assertEquals("guests-no-proxies", policy.decide(proxy).ruleId());
        assertEquals(Action.BLOCK, policy.decide(proxy).action());
        assertEquals(List.of(), policy.warnings(), "the example should load without warnings");
        RequestFacts download = RequestFacts.forUrl("http://dl.example/setup", "GET", guest, null, Set.of(),
                Instant.parse("2026-11-23T09:00:00Z"));
        assertEquals("no-programs", policy.decideResponse(download, new ResponseFacts(200, "application/x-msdownload", 10)).ruleId());
    }
}
