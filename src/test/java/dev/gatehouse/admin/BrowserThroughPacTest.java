package dev.gatehouse.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.pac.PacFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real browser, configured only with Gatehouse's PAC URL: headless Chromium (Debian's) driven by
 * Playwright browses a page through Gatehouse, then shows the dashboard, whose figures must be those of
 * {@code /stats}. The PAC file is also evaluated in a real PAC engine (pac-resolver) for a table of URLs.
 *
 * <p>The PAC names a dead node beside the live one, so for hosts that hash to the dead node first Chromium
 * must fail over to the next entry, as an office with a node down would.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BrowserThroughPacTest {
    @TempDir
    static Path dir;

    private TestOrigin origin;
    private GatehouseProcess gatehouse;
    private int deadPort;
    /** A name the proxy resolves to loopback (Chromium would bypass the proxy for a loopback name or address). */
    private String originHost;

    @BeforeAll
    void start() throws Exception {
        NodeScripts.requireTools(true);
        origin = new TestOrigin();
        deadPort = GatehouseProcess.freePort(); // nothing listens there: a node that is down
        int proxyPort = GatehouseProcess.freePort();
        // A host whose first PAC choice is the dead node, so that Chromium must fail over to the live one.
        for (int i = 0; originHost == null; i++) {
            String host = "origin" + i + ".gatehouse.test";
            if (PacFile.score("127.0.0.1:" + deadPort, host) > PacFile.score("127.0.0.1:" + proxyPort, host)) originHost = host;
        }
        String config = """
                {"listen": "127.0.0.1:PROXY_PORT", "admin": "127.0.0.1:ADMIN_PORT", "dataDir": "DATA_DIR",
                 "destinations": {"allowPrivate": ["127.0.0.0/8"]},
                 "audit": {"format": "squid"}, "forwarding": {"via": "gatehouse"},
                 "policy": {"file": "%s", "watch": false},
                 "pac": {"proxies": ["127.0.0.1:PROXY_PORT", "127.0.0.1:%d"], "directDomains": ["corp.example"]}}
                """.formatted(AdminServerTest.SHIPPED_POLICY.toString().replace("\\", "\\\\"), deadPort);
        gatehouse = GatehouseProcess.start(dir, proxyPort, config, List.of("127.0.0.1 localhost", "127.0.0.1 " + originHost));
    }

    @AfterAll
    void stop() throws Exception {
        if (gatehouse != null) gatehouse.close();
        if (origin != null) origin.close();
    }

    @Test
    @Order(1)
    void pacEngineAnswersEveryUrlAsTheJavaModelDoesOnBothListeners() throws Exception {
        List<String> nodes = List.of("127.0.0.1:" + gatehouse.proxyPort, "127.0.0.1:" + deadPort);
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("http://" + originHost + ":" + origin.port() + "/page.html", rendezvous(nodes, originHost));
        expected.put("https://www.example.com/login?x=1", rendezvous(nodes, "www.example.com"));
        expected.put("http://WWW.Example.ORG/", rendezvous(nodes, "www.example.org"));
        expected.put("http://8.8.8.8/", rendezvous(nodes, "8.8.8.8"));
        expected.put("http://intranet/", "DIRECT");
        expected.put("http://wiki.corp.example/page", "DIRECT");
        expected.put("https://corp.example/", "DIRECT");
        expected.put("http://10.1.2.3:8080/", "DIRECT");
        expected.put("http://192.168.1.20/", "DIRECT");
        expected.put("http://172.20.0.1/", "DIRECT");
        List<String> args = new ArrayList<>(List.of(gatehouse.proxy("/proxy.pac"), gatehouse.proxy("/wpad.dat"),
                gatehouse.admin("/proxy.pac"), gatehouse.admin("/wpad.dat"), "--"));
        args.addAll(expected.keySet());

        JsonNode out = NodeScripts.run("pac-table.mjs", args, 60);

        Map<String, String> actual = new LinkedHashMap<>();
        out.get("results").properties().forEach(e -> actual.put(e.getKey(), e.getValue().asText()));
        assertEquals(expected, actual);
        out.get("contentTypes").properties().forEach(e -> assertEquals(PacFile.CONTENT_TYPE, e.getValue().asText(), e.getKey()));
        assertEquals(4, out.get("contentTypes").size());
    }

    /**
     * The page's host hashes to the dead node first: Chromium fails over to Gatehouse, as the PAC's order
     * says. A site on the shipped policy's gambling list then gets the block page.
     */
    @Test
    @Order(2)
    void chromiumWithOnlyThePacUrlBrowsesThroughGatehouseAndTheAuditLogShowsIt() throws Exception {
        String page = "http://" + originHost + ":" + origin.port() + "/page.html";
        Path netlog = dir.resolve("netlog.json");
        JsonNode out = NodeScripts.run("browser.mjs", List.of("browse", gatehouse.proxy("/proxy.pac"), page,
                "http://www.casino.example/", Files.createDirectories(dir.resolve("chromium-browse")).toString(),
                netlog.toString()), 90);
        Files.writeString(Files.createDirectories(Path.of(System.getProperty("gatehouse.repo", "."), "target", "browser-test"))
                .resolve("browse.json"), out.toString());

        assertEquals(200, out.get("status").asInt(), out.toString());
        assertEquals(TestOrigin.TITLE, out.get("title").asText());
        assertEquals("Hello through the proxy", out.get("heading").asText());
        assertTrue(out.get("via").asText().contains("gatehouse"), "no Via from the proxy: " + out);
        List<String> lines = gatehouse.auditLinesOnceContaining(" GET " + page + " ");
        String line = lines.stream().filter(l -> l.contains(" GET " + page + " ")).findFirst().orElseThrow();
        assertTrue(line.matches("\\d+\\.\\d{3} +\\d+ 127\\.0\\.0\\.1 TCP_MISS/200 \\d+ GET " + java.util.regex.Pattern.quote(page)
                + " - HIER_DIRECT/127\\.0\\.0\\.1 text/html.*"), line);
        assertTrue(lines.stream().anyMatch(l -> l.contains(" GET /proxy.pac ")),
                "Chromium's PAC fetch is not in the audit log:\n" + String.join("\n", lines));
        // Chromium's own record of the failover: the dead node was tried first, then the list fell back.
        assertTrue(netLogHas(netlog, "PROXY_LIST_FALLBACK"), "no proxy fallback event in Chromium's net log " + netlog);
        assertEquals(403, out.get("blockedStatus").asInt(), out.toString());
        assertTrue(out.get("blockedText").asText().contains("no-gambling"), "the block page does not name the rule: " + out);
        gatehouse.auditLinesOnceContaining(" TCP_DENIED/403 ");
    }

    @Test
    @Order(3)
    void dashboardInChromiumRendersTheFiguresStatsReports() throws Exception {
        // Kept under target/ for a person to look at (CI artifact).
        Path screenshot = Files.createDirectories(Path.of(System.getProperty("gatehouse.repo", "."), "target", "browser-test"))
                .resolve("dashboard.png");
        JsonNode out = NodeScripts.run("browser.mjs", List.of("dashboard", gatehouse.admin("/dashboard"),
                Files.createDirectories(dir.resolve("chromium-dashboard")).toString(), screenshot.toString()), 90);
        JsonNode stats = new ObjectMapper().readTree(HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(gatehouse.admin("/stats"))).build(), HttpResponse.BodyHandlers.ofString()).body());

        JsonNode figures = out.get("figures");
        long requests = stats.at("/totals/requests").asLong();
        assertTrue(requests >= 3, "the page, the blocked page and the PAC fetch were not all counted: " + stats);
        assertEquals(requests, number(figures.get("totals.requests")));
        assertEquals(stats.at("/totals/blocked").asLong(), number(figures.get("totals.blocked")));
        assertEquals(stats.at("/now/activeTunnels").asLong(), number(figures.get("now.activeTunnels")));
        assertEquals(stats.at("/totals/errors").asLong(), number(figures.get("totals.errors")));
        assertEquals(String.format(java.util.Locale.ROOT, "%.1f %%", stats.at("/totals/hitRatio").asDouble() * 100),
                figures.get("totals.hitRatio").asText());
        JsonNode topClient = stats.at("/topClients/0");
        assertEquals(topClient.get("name").asText(), out.at("/clients/0/0").asText());
        assertEquals(topClient.get("count").asLong(), number(out.at("/clients/0/1")));
        JsonNode topCategory = stats.at("/topBlockedCategories/0");
        assertEquals("gambling", topCategory.get("name").asText());
        assertEquals(topCategory.get("name").asText(), out.at("/categories/0/0").asText());
        assertEquals(topCategory.get("count").asLong(), number(out.at("/categories/0/1")));
        JsonNode tiers = stats.at("/cache/tiers");
        assertTrue(tiers.size() >= 2, "memory and disk tiers in /stats: " + stats);
        for (JsonNode tier : tiers) {
            String name = tier.get("name").asText();
            JsonNode shown = figures.get("cache." + name);
            assertTrue(shown != null && shown.asText().startsWith(name + ":")
                    && shown.asText().contains(String.format(java.util.Locale.ROOT, "%,d entries", tier.get("entries").asLong())),
                    "the dashboard shows the " + name + " tier as /stats reports it: " + figures);
        }
        out.get("charts").forEach(paths -> assertTrue(paths.asInt() >= 1, "a chart drew nothing: " + out.get("charts")));
        assertTrue(Files.size(screenshot) > 10_000, "screenshot too small to show anything");
    }

    /** Whether the net log holds an event of {@code type} (event types are numbered in its constants section). */
    private static boolean netLogHas(Path netlog, String type) throws java.io.IOException {
        JsonNode log = new ObjectMapper().readTree(netlog.toFile());
        JsonNode id = log.at("/constants/logEventTypes/" + type);
        assertTrue(id.isInt(), "the net log names no event type " + type);
        for (JsonNode event : log.get("events")) if (event.get("type").asInt() == id.asInt()) return true;
        return false;
    }

    private static long number(JsonNode text) {
        return Long.parseLong(text.asText().replace(",", ""));
    }

    private static String rendezvous(List<String> nodes, String host) {
        List<String> ordered = new ArrayList<>(nodes);
        ordered.sort(Comparator.comparingLong((String n) -> PacFile.score(n, host)).reversed());
        return String.join("; ", ordered.stream().map(n -> "PROXY " + n).toList());
    }
}
