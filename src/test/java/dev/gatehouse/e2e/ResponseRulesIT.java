package dev.gatehouse.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.auth.Commands;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The policy's request {@code header} matcher and its response rules through real sockets: a curl User-Agent
 * refused before any upstream connection; a program download refused on the origin's head (asked, not relayed,
 * not stored), and on a cache hit stored before the reload that added the rule; a declared size over the limit;
 * the same response passing for a user outside the rule's group. Users and groups come from htpasswd.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ResponseRulesIT {
    private static final String EXE = "application/x-msdownload";
    /** Blocks curl and wget by User-Agent, programs for staff, and anything declared over 1 MB. */
    private static final String RULES = """
            "rules": [
              { "id": "no-curl", "match": { "header": { "name": "User-Agent", "regex": "(?i)^(curl|wget)/" } }, "action": "block" }
            ],
            "responseRules": [
              { "id": "no-exe", "match": { "contentType": ["application/x-msdownload", "application/x-msi"], "group": ["staff"] },
                "action": "block", "reason": "Programs must come from the software centre" },
              { "id": "big", "match": { "contentLength": { "over": "1MB" } }, "action": "block" }
            ]""";
    private static final String NO_RULES = "\"rules\": []";

    @TempDir
    Path dir;
    private Path policyFile;
    private MockWebServer origin;
    private GatehouseFixture proxy;

    @BeforeEach
    void start() throws Exception {
        origin = new MockWebServer();
        origin.start(InetAddress.getByName("127.0.0.1"), 0);
        Path htpasswd = dir.resolve("htpasswd");
        Commands.run("htpasswd", "-c", "-m", "-b", htpasswd.toString(), "alice", "alice-pw");
        Commands.run("htpasswd", "-m", "-b", htpasswd.toString(), "bob", "bob-pw");
        Path groups = dir.resolve("groups");
        Files.writeString(groups, "staff: alice\nguests: bob\n");
        policyFile = dir.resolve("policy.json");
        writePolicy(RULES);
        proxy = GatehouseFixture.start(c -> {
            c.putObject("policy").put("file", policyFile.toString()).put("watch", false);
            c.putObject("auth").put("backend", "htpasswd").put("htpasswdFile", htpasswd.toString())
                    .put("groupsFile", groups.toString()).putArray("networks").add("127.0.0.0/8");
        });
    }

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) proxy.close();
        if (origin != null) origin.close();
    }

    private void writePolicy(String rules) throws Exception {
        Files.writeString(policyFile, """
                { "schemaVersion": 1, "name": "response rules", "defaultAction": { "action": "allow" },
                %s }
                """.formatted(rules));
    }

    private String url(String path) {
        return "http://127.0.0.1:" + origin.getPort() + path;
    }

    private static MockResponse download(String type, String body) {
        return new MockResponse.Builder().addHeader("Content-Type", type).addHeader("Cache-Control", "max-age=600")
                .body(body).build();
    }

    /** A GET through the proxy as {@code user} (password: user + "-pw") with a browser's User-Agent. */
    private RawConnection.Response get(String user, String path) throws Exception {
        return get(user, path, "Mozilla/5.0 (X11; Linux x86_64; rv:131.0) Gecko/20100101 Firefox/131.0");
    }

    private RawConnection.Response get(String user, String path, String agent) throws Exception {
        String credentials = Base64.getEncoder().encodeToString((user + ":" + user + "-pw").getBytes(StandardCharsets.UTF_8));
        return RawConnection.roundTrip(proxy.proxyAddress(), "GET " + url(path) + " HTTP/1.1\r\nHost: 127.0.0.1:" + origin.getPort()
                + "\r\nProxy-Authorization: Basic " + credentials + "\r\nUser-Agent: " + agent + "\r\nConnection: close\r\n\r\n");
    }

    private static String body(RawConnection.Response r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    /** The first record written: asked after the test's first request only. */
    private JsonNode firstRecord() {
        return proxy.awaitRecords(1).get(0);
    }

    @Test
    void curlsUserAgentIsBlockedBeforeTheOriginAndABrowsersIsNot() throws Exception {
        Curl.Result curl = Curl.run(dir, List.of("-s", "-i", "-x", "http://127.0.0.1:" + proxy.proxyPort(),
                "-U", "alice:alice-pw", url("/page")));
        assertTrue(curl.out().startsWith("HTTP/1.1 403"), curl.out());
        assertTrue(curl.out().contains("no-curl"), curl.out());
        JsonNode record = firstRecord();
        assertEquals("TCP_DENIED", record.get("result").asText());
        assertEquals("no-curl", record.get("rule").asText());
        assertEquals(0, origin.getRequestCount());

        origin.enqueue(new MockResponse.Builder().body("hello browser").build());
        RawConnection.Response browser = get("alice", "/page");
        assertEquals(200, browser.status());
        assertEquals("hello browser", body(browser));
        assertEquals(1, origin.getRequestCount());
    }

    @Test
    void aProgramDownloadIsRefusedOnTheOriginsHeadNotRelayedAndNotStored() throws Exception {
        origin.enqueue(download(EXE, "MZ-program-bytes"));
        origin.enqueue(download(EXE, "MZ-program-bytes"));

        RawConnection.Response first = get("alice", "/setup.bin");
        assertEquals(403, first.status());
        String page = body(first);
        assertTrue(page.contains("no-exe") && page.contains("Programs must come from the software centre"), page);
        assertTrue(page.contains(EXE), "the page names the refused type: " + page);
        assertFalse(page.contains("MZ-program-bytes"), "not a byte of the body is relayed");
        assertEquals(1, origin.getRequestCount(), "the origin was asked");
        JsonNode record = firstRecord();
        assertEquals("TCP_DENIED", record.get("result").asText());
        assertEquals(403, record.get("status").asInt());
        assertEquals("block", record.get("decision").asText());
        assertEquals("no-exe", record.get("rule").asText());
        assertEquals("policy_blocked", record.get("error").asText());
        assertEquals("HIER_DIRECT", record.get("hierarchy").asText(), "the origin was asked");

        RawConnection.Response second = get("alice", "/setup.bin");
        assertEquals(403, second.status());
        assertEquals(2, origin.getRequestCount(), "nothing was stored: the origin is asked again");
        assertFalse(proxy.gatehouse().purge(url("/setup.bin")), "no stored entry");
    }

    @Test
    void theSameResponsePassesForAUserOutsideTheRulesGroupAndItsHitIsStillRefusedToStaff() throws Exception {
        origin.enqueue(download(EXE, "MZ-program-bytes"));

        RawConnection.Response guest = get("bob", "/tool.bin");
        assertEquals(200, guest.status());
        assertEquals("MZ-program-bytes", body(guest));
        assertEquals("TCP_MISS", firstRecord().get("result").asText());

        RawConnection.Response staff = get("alice", "/tool.bin");
        assertEquals(403, staff.status());
        assertFalse(body(staff).contains("MZ-program-bytes"));
        JsonNode record = proxy.awaitRecord(r -> "alice".equals(r.get("user").asText()));
        assertEquals("TCP_DENIED", record.get("result").asText());
        assertEquals("no-exe", record.get("rule").asText());
        assertEquals("HIER_NONE", record.get("hierarchy").asText(), "answered from the cache, refused there");

        RawConnection.Response guestAgain = get("bob", "/tool.bin");
        assertEquals(200, guestAgain.status());
        assertEquals("MZ-program-bytes", body(guestAgain));
        // Records are written as exchanges complete, not necessarily in request order: find them by content.
        assertTrue(proxy.awaitRecords(3).stream().anyMatch(r -> "bob".equals(r.get("user").asText())
                && r.get("result").asText().contains("HIT")), "bob's second request is a hit");
        assertEquals(1, origin.getRequestCount());
    }

    @Test
    void aResponseStoredBeforeAReloadThatAddsTheRuleIsRefusedOnTheNextHit() throws Exception {
        writePolicy(NO_RULES);
        assertTrue(proxy.gatehouse().reloadPolicy());
        origin.enqueue(download(EXE, "MZ-program-bytes"));
        assertEquals("MZ-program-bytes", body(get("alice", "/old.bin")));
        assertEquals("MZ-program-bytes", body(get("alice", "/old.bin")));
        assertTrue(proxy.awaitRecords(2).stream().anyMatch(r -> r.get("result").asText().contains("HIT")), "stored");

        writePolicy(RULES);
        assertTrue(proxy.gatehouse().reloadPolicy());
        RawConnection.Response refused = get("alice", "/old.bin");
        assertEquals(403, refused.status());
        JsonNode record = proxy.awaitRecord(r -> r.get("status").asInt() == 403);
        assertEquals("TCP_DENIED", record.get("result").asText());
        assertEquals("no-exe", record.get("rule").asText());
        assertEquals(1, origin.getRequestCount(), "refused from the store, the origin not asked");
        assertTrue(proxy.gatehouse().purge(url("/old.bin")), "still stored: a later policy may allow it again");
    }

    @Test
    void aDeclaredLengthOverTheLimitIsRefusedAndAnUndeclaredOneIsNot() throws Exception {
        String big = "x".repeat(1_000_001);
        origin.enqueue(new MockResponse.Builder().addHeader("Content-Type", "text/plain").body(big).build());
        RawConnection.Response sized = get("bob", "/big.txt");
        assertEquals(403, sized.status());
        assertTrue(body(sized).contains("big"));
        assertEquals("big", firstRecord().get("rule").asText());
        assertEquals(1, origin.getRequestCount());

        // Chunked: no length declared, so the rule cannot decide on the head; the response goes through (documented).
        origin.enqueue(new MockResponse.Builder().addHeader("Content-Type", "text/plain")
                .chunkedBody(new Buffer().writeUtf8(big), 64 * 1024).build());
        RawConnection.Response chunked = get("bob", "/big-chunked.txt");
        assertEquals(200, chunked.status());
        assertEquals(big.length(), chunked.body().length);
    }
}
