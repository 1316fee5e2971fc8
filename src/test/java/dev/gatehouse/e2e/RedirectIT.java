package dev.gatehouse.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.auth.Commands;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The policy's {@code redirect} action through real sockets, with a user logged in through the proxy
 * ({@code curl -x -U}): a GET or HEAD gets {@code 302 Found} to the rule's location with the request's values
 * encoded into it, the origin is never contacted, the audit record says {@code TCP_REDIRECT/302}; a CONNECT to the
 * same destination is refused with 403, as a block.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedirectIT {
    private static final String PASSWORD = "redirect-me-42";

    @TempDir
    Path dir;
    private final MockWebServer origin = new MockWebServer();
    private GatehouseFixture proxy;

    @BeforeEach
    void start() throws Exception {
        origin.start(InetAddress.getByName("127.0.0.1"), 0);
        Path htpasswd = dir.resolve("htpasswd");
        Commands.run("htpasswd", "-c", "-m", "-b", htpasswd.toString(), "alice", PASSWORD);
        Path groups = dir.resolve("groups");
        Files.writeString(groups, "staff: alice\n");
        Path policy = dir.resolve("policy.json");
        Files.writeString(policy, """
                {
                  "schemaVersion": 1,
                  "name": "redirect",
                  "defaultAction": { "action": "allow" },
                  "rules": [
                    { "id": "to-intranet", "match": { "port": ["%d"] }, "action": "redirect", "reason": "Ask IT & wait",
                      "location": "https://intranet.example/blocked?url={url}&user={user}&groups={groups}&client={client}&rule={rule}&reason={reason}" }
                  ]
                }
                """.formatted(origin.getPort()));
        proxy = GatehouseFixture.start(c -> {
            ObjectNode auth = c.putObject("auth");
            auth.put("backend", "htpasswd").put("realm", "Test realm")
                    .put("htpasswdFile", htpasswd.toString()).put("groupsFile", groups.toString());
            auth.putArray("networks").add("127.0.0.0/8").add("::1/128");
            c.withObject("/destinations").putArray("connectPorts").add(origin.getPort());
            c.withObject("/policy").put("file", policy.toString());
        });
    }

    @AfterEach
    void stop() {
        if (proxy != null) proxy.close();
        origin.close();
    }

    private Curl.Result curl(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("-x", "http://127.0.0.1:" + proxy.proxyPort(), "-U", "alice:" + PASSWORD));
        all.addAll(List.of(args));
        return Curl.run(dir, all);
    }

    private String expectedLocation(String encodedUrl) {
        return "https://intranet.example/blocked?url=" + encodedUrl + "&user=alice&groups=staff&client=127.0.0.1"
                + "&rule=to-intranet&reason=Ask%20IT%20%26%20wait";
    }

    @Test
    void aGetIsRedirectedWithTheRequestInTheLocationAndNeverReachesTheOrigin() throws Exception {
        String url = "http://127.0.0.1:" + origin.getPort() + "/play?q=a%20b&lang=%C3%A9";
        Curl.Result r = curl("-i", url);
        assertEquals(0, r.exit(), r.err());
        String location = expectedLocation("http%3A%2F%2F127.0.0.1%3A" + origin.getPort()
                + "%2Fplay%3Fq%3Da%2520b%26lang%3D%25C3%25A9");
        assertTrue(r.out().startsWith("HTTP/1.1 302 Found\r\n"), r.out());
        assertTrue(r.out().contains("\r\nLocation: " + location + "\r\n"), r.out());
        assertTrue(r.out().contains("\r\nCache-Control: no-store\r\n"), r.out());
        assertTrue(r.out().contains("<a href=\"" + location.replace("&", "&amp;") + "\">"), "an escaped link: " + r.out());

        JsonNode record = proxy.awaitOnlyRecord();
        assertEquals("TCP_REDIRECT", record.get("result").asText());
        assertEquals(302, record.get("status").asInt());
        assertEquals("redirect", record.get("decision").asText());
        assertEquals("to-intranet", record.get("rule").asText());
        assertEquals("alice", record.get("user").asText());
        assertEquals(0, origin.getRequestCount());
    }

    @Test
    void aHeadIsRedirectedToo() throws Exception {
        Curl.Result r = curl("-I", "http://127.0.0.1:" + origin.getPort() + "/");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("HTTP/1.1 302 Found\r\n"), r.out());
        assertTrue(r.out().contains("\r\nLocation: " + expectedLocation("http%3A%2F%2F127.0.0.1%3A" + origin.getPort()
                + "%2F") + "\r\n"), r.out());
        assertEquals("TCP_REDIRECT", proxy.awaitOnlyRecord().get("result").asText());
        assertEquals(0, origin.getRequestCount());
    }

    @Test
    void aConnectToTheSameDestinationIsRefusedAsABlock() throws Exception {
        String credentials = Base64.getEncoder().encodeToString(("alice:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        String authority = "127.0.0.1:" + origin.getPort();
        try (RawConnection c = RawConnection.open(proxy.proxyAddress())) {
            c.send("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\nProxy-Authorization: Basic "
                    + credentials + "\r\n\r\n");
            assertEquals(403, c.readHead().status());
        }
        JsonNode record = proxy.awaitOnlyRecord();
        assertEquals("TCP_DENIED", record.get("result").asText());
        assertEquals(403, record.get("status").asInt());
        assertEquals("redirect", record.get("decision").asText());
        assertEquals("to-intranet", record.get("rule").asText());
        assertEquals(0, origin.getRequestCount());
    }
}
