package dev.gatehouse.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The policy as the proxy enforces it, through real sockets: block page, blocked CONNECT, the warn
 * page's continue link (once, then it expires), live reload, and a broken reload that keeps the old
 * policy.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PolicyIT {
    private static final Pattern CONTINUE_LINK = Pattern.compile("<a href=\"([^\"]+)\">Continue");

    @TempDir
    Path dir;
    private Path policyFile;
    private MockWebServer origin;
    private GatehouseFixture proxy;

    @BeforeEach
    void start() throws IOException {
        origin = new MockWebServer();
        origin.start();
        policyFile = dir.resolve("policy.json");
        Files.writeString(policyFile, policy("\"warn\""));
        proxy = GatehouseFixture.start(c -> {
            c.withObject("/policy").put("file", policyFile.toString()).put("watch", true).put("warnAllowance", "2s");
        });
    }

    @AfterEach
    void stop() throws IOException {
        if (proxy != null) proxy.close();
        if (origin != null) origin.close();
    }

    /** Blocks the inline "games" category; the origin's port gets {@code originAction}. */
    private String policy(String originAction) {
        return """
                {
                  "schemaVersion": 1,
                  "name": "test",
                  "defaultAction": { "action": "allow" },
                  "categorySources": [ { "format": "inline", "category": "games", "domains": ["games.test"] } ],
                  "rules": [
                    { "id": "no-games", "match": { "category": ["games"] }, "action": "block", "reason": "No <games> at work" },
                    { "id": "origin-port", "match": { "port": ["%d"] }, "action": %s, "reason": "Be careful" }
                  ]
                }
                """.formatted(origin.getPort(), originAction);
    }

    private HttpResponse<String> get(String url) throws Exception {
        return proxy.client().send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void blockedUrlGetsTheEscapedBlockPageAndNoUpstreamConnection() throws Exception {
        HttpResponse<String> r = get("http://www.games.test/play?x=%3Cscript%3E");
        assertEquals(403, r.statusCode());
        assertTrue(r.body().contains("no-games"), r.body());
        assertTrue(r.body().contains("No &lt;games&gt; at work"), "reason escaped: " + r.body());
        assertTrue(r.body().contains("games"));
        assertFalse(r.body().contains("<script>"));
        JsonNode record = proxy.awaitOnlyRecord();
        assertEquals("TCP_DENIED", record.get("result").asText());
        assertEquals("block", record.get("decision").asText());
        assertEquals("no-games", record.get("rule").asText());
        assertEquals("games", record.get("categories").get(0).asText());
        assertTrue(r.body().contains(record.get("requestId").asText()));
        assertFalse(record.get("policyVersion").isNull());
        assertEquals(0, origin.getRequestCount());
    }

    @Test
    void blockedConnectHostGets403BeforeAnyConnect() throws Exception {
        try (RawConnection c = RawConnection.open(proxy.proxyAddress())) {
            c.send("CONNECT www.games.test:443 HTTP/1.1\r\nHost: www.games.test:443\r\n\r\n");
            assertEquals(403, c.readHead().status());
        }
        JsonNode record = proxy.awaitOnlyRecord();
        assertEquals("TCP_DENIED", record.get("result").asText());
        assertEquals("www.games.test:443", record.get("url").asText());
        assertEquals("no-games", record.get("rule").asText());
    }

    @Test
    void warnContinueWorksOnceThenTheAllowanceExpires() throws Exception {
        String url = "http://127.0.0.1:" + origin.getPort() + "/page";
        HttpResponse<String> warned = get(url);
        assertEquals(403, warned.statusCode());
        Matcher link = CONTINUE_LINK.matcher(warned.body());
        assertTrue(link.find(), warned.body());
        String continueUrl = link.group(1).replace("&amp;", "&");

        HttpResponse<String> redirect = get(continueUrl);
        assertEquals(302, redirect.statusCode());
        assertEquals(url, redirect.headers().firstValue("Location").orElseThrow());

        origin.enqueue(new MockResponse.Builder().body("welcome").build());
        HttpResponse<String> allowed = get(url);
        assertEquals(200, allowed.statusCode());
        assertEquals("welcome", allowed.body());
        assertEquals(1, origin.getRequestCount());
        assertFalse(origin.takeRequest().getTarget().contains("gatehouse-continue"), "the token never reaches the origin");

        assertEquals(403, get(continueUrl).statusCode(), "a continue link works once");

        // The allowance lasts warnAllowance (2 s): poll, bounded, until the warn page is back.
        for (int i = 0; i < 60; i++) origin.enqueue(new MockResponse.Builder().body("welcome").build());
        int status = 200;
        for (int i = 0; i < 60 && status != 403; i++) {
            Thread.sleep(100);
            status = get(url).statusCode();
        }
        assertEquals(403, status, "the allowance expired");
    }

    @Test
    void reloadChangesDecisionsWithoutRestartAndABrokenReloadKeepsTheOldPolicy() throws Exception {
        String url = "http://127.0.0.1:" + origin.getPort() + "/page";
        assertEquals(403, get(url).statusCode());
        String before = proxy.gatehouse().policyVersion();

        Files.writeString(policyFile, policy("\"allow\""));
        // The folder watcher reloads within its debounce; poll, bounded.
        for (int i = 0; i < 100 && proxy.gatehouse().policyVersion().equals(before); i++) Thread.sleep(50);
        assertNotEquals(before, proxy.gatehouse().policyVersion(), "the file change was picked up");
        origin.enqueue(new MockResponse.Builder().body("now allowed").build());
        assertEquals(200, get(url).statusCode());

        String good = proxy.gatehouse().policyVersion();
        Files.writeString(policyFile, "{ \"schemaVersion\": 1, \"rules\": [ { \"id\": \"x\", \"action\": \"explode\" } ] }");
        assertFalse(proxy.gatehouse().reloadPolicy(), "a broken file is refused");
        // The folder watcher refuses the same file on its own, a debounce later; wait for that too.
        for (int i = 0; i < 100 && proxy.warnings().stream().noneMatch(l -> l.contains("(file change) failed")); i++) {
            Thread.sleep(50);
        }
        List<String> logged = proxy.takeWarnings();
        assertTrue(logged.stream().anyMatch(l -> l.contains("unknown action 'explode'")), "every problem is logged: " + logged);
        assertEquals(good, proxy.gatehouse().policyVersion());
        origin.enqueue(new MockResponse.Builder().body("still allowed").build());
        assertEquals("still allowed", get(url).body());
    }
}
