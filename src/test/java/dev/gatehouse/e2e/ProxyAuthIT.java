package dev.gatehouse.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import dev.gatehouse.auth.Commands;
import dev.gatehouse.listener.TestCertificates;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proxy authentication end to end with the htpasswd back-end, files made by Debian's {@code htpasswd}
 * (bcrypt for alice, apr1 for bob): 407 challenges, right and wrong passwords with {@code curl -x -U},
 * CONNECT, the user in the audit log (JSON and Squid format), group rules from the groups file, exempt
 * networks, the PAC file served without login, and slowed-down guessing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProxyAuthIT {
    private static final String ALICE_PASSWORD = "wonder-land-42";
    private static final String BOB_PASSWORD = "b0b's pass:word";

    @TempDir
    Path dir;
    private final MockWebServer origin = new MockWebServer();
    private GatehouseFixture proxy;
    private Path htpasswd;
    private Path groups;

    @BeforeEach
    void files() throws Exception {
        origin.start(InetAddress.getByName("127.0.0.1"), 0);
        htpasswd = dir.resolve("htpasswd");
        Commands.run("htpasswd", "-c", "-B", "-C", "5", "-b", htpasswd.toString(), "alice", ALICE_PASSWORD);
        Commands.run("htpasswd", "-m", "-b", htpasswd.toString(), "bob", BOB_PASSWORD);
        groups = dir.resolve("groups");
        Files.writeString(groups, "# test groups\nstaff: alice bob\ninterns: bob\n");
    }

    @AfterEach
    void stop() {
        if (proxy != null) proxy.close();
        origin.close();
    }

    private void start(Consumer<ObjectNode> more) {
        proxy = GatehouseFixture.start(c -> {
            ObjectNode auth = c.putObject("auth");
            auth.put("backend", "htpasswd").put("realm", "Test realm")
                    .put("htpasswdFile", htpasswd.toString()).put("groupsFile", groups.toString())
                    .put("maxFailures", 2).put("failureDelay", "1s");
            auth.putArray("networks").add("127.0.0.0/8").add("::1/128");
            c.withObject("/destinations").putArray("connectPorts").add(origin.getPort());
            more.accept(c);
        });
    }

    private String originUrl(String path) {
        return "http://127.0.0.1:" + origin.getPort() + path;
    }

    private Curl.Result curl(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("-x", "http://127.0.0.1:" + proxy.proxyPort()));
        all.addAll(List.of(args));
        return Curl.run(dir, all);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void withoutCredentialsTheProxyChallengesAndNothingReachesTheOrigin() throws Exception {
        start(c -> { });
        Curl.Result r = curl("-i", originUrl("/page"));
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("HTTP/1.1 407"), r.out());
        assertTrue(r.out().contains("Proxy-Authenticate: Basic realm=\"Test realm\", charset=\"UTF-8\""), r.out());
        assertTrue(r.out().contains("log in"), "an explaining page: " + r.out());
        JsonNode record = proxy.awaitOnlyRecord();
        assertEquals("TCP_DENIED", record.get("result").asText());
        assertEquals(407, record.get("status").asInt());
        assertEquals("auth_required", record.get("error").asText());
        assertTrue(record.get("user").isNull());
        assertEquals(0, origin.getRequestCount());
    }

    @Test
    void rightCredentialsPassTheUserIsAuditedAndTheFieldIsNeverForwarded() throws Exception {
        start(c -> { });
        origin.enqueue(new MockResponse.Builder().body("for alice").build());
        origin.enqueue(new MockResponse.Builder().body("for bob").build());
        Curl.Result alice = curl("-U", "alice:" + ALICE_PASSWORD, originUrl("/a"));
        assertEquals(0, alice.exit(), alice.err());
        assertEquals("for alice", alice.out());
        Curl.Result bob = curl("-U", "bob:" + BOB_PASSWORD, originUrl("/b")); // apr1, a colon inside the password
        assertEquals(0, bob.exit(), bob.err());
        assertEquals("for bob", bob.out());

        for (int i = 0; i < 2; i++) {
            RecordedRequest seen = origin.takeRequest(10, TimeUnit.SECONDS);
            assertNotNull(seen);
            assertEquals(null, seen.getHeaders().get("Proxy-Authorization"), "RFC 9110 §11.7.2: consumed by the proxy");
        }
        List<JsonNode> records = proxy.awaitRecords(2);
        assertEquals(List.of("alice", "bob"), records.stream().map(r -> r.get("user").asText()).toList());
        assertEquals(List.of(200, 200), records.stream().map(r -> r.get("status").asInt()).toList());
    }

    @Test
    void aWrongPasswordIsRefusedAndNeverWrittenAnywhere() throws Exception {
        start(c -> { });
        Curl.Result r = curl("-o", "/dev/null", "-w", "%{http_code}", "-U", "alice:Not-The-Password-7", originUrl("/x"));
        assertEquals("407", r.out(), r.err());
        Curl.Result unknown = curl("-o", "/dev/null", "-w", "%{http_code}", "-U", "mallory:Not-The-Password-7", originUrl("/x"));
        assertEquals("407", unknown.out(), unknown.err());
        List<JsonNode> records = proxy.awaitRecords(2);
        for (JsonNode record : records) {
            assertEquals("auth_failed", record.get("error").asText());
            assertTrue(record.get("user").isNull(), "a refused login names no user: " + record);
        }
        proxy.stop();
        String audit = Files.readString(proxy.gatehouse().auditFile());
        assertFalse(audit.contains("Not-The-Password-7"), audit);
        assertEquals(0, origin.getRequestCount());
    }

    @Test
    void malformedCredentialsAreRefusedWithAChallenge() throws Exception {
        start(c -> { });
        for (String field : List.of("Bearer abc", "Basic %%%not-base64", "Basic " + Base64.getEncoder().encodeToString("no-colon".getBytes()))) {
            try (RawConnection c = RawConnection.open(proxy.proxyAddress())) {
                c.send("GET " + originUrl("/") + " HTTP/1.1\r\nHost: 127.0.0.1:" + origin.getPort() + "\r\nProxy-Authorization: " + field + "\r\n\r\n");
                RawConnection.Response head = c.readHead();
                assertEquals(407, head.status(), field + " " + proxy.awaitRecords(1));
                assertTrue(head.header("Proxy-Authenticate").startsWith("Basic realm="), field);
            }
        }
        assertEquals(0, origin.getRequestCount());
    }

    @Test
    void connectNeedsCredentialsToo() throws Exception {
        start(c -> { });
        String authority = "127.0.0.1:" + origin.getPort();
        origin.enqueue(new MockResponse.Builder().body("through the tunnel").build());
        try (RawConnection c = RawConnection.open(proxy.proxyAddress())) {
            c.send("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n");
            RawConnection.Response challenge = c.readResponse();
            assertEquals(407, challenge.status());
            assertTrue(challenge.header("Proxy-Authenticate").contains("Test realm"));
            // Undertow ends the connection after a CONNECT it did not accept (it would read the rest as the
            // tunnel); browsers then retry with credentials on a new one.
            assertEquals("close", challenge.header("Connection"));
        }
        try (RawConnection c = RawConnection.open(proxy.proxyAddress())) {
            c.send("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\nProxy-Authorization: "
                    + basic("alice", ALICE_PASSWORD) + "\r\n\r\n");
            assertEquals(200, c.readHead().status());
            c.send("GET /tunnelled HTTP/1.1\r\nHost: " + authority + "\r\n\r\n");
            RawConnection.Response inner = c.readHead();
            assertEquals(200, inner.status());
        }
        RecordedRequest seen = origin.takeRequest(10, TimeUnit.SECONDS);
        assertEquals("/tunnelled", seen.getTarget());
        JsonNode tunnel = proxy.awaitRecord(r -> r.get("method").asText().equals("CONNECT") && r.get("status").asInt() == 200);
        assertEquals("alice", tunnel.get("user").asText());
    }

    @Test
    void groupRulesApplyToTheUsersGroups() throws Exception {
        Path policy = dir.resolve("policy.json");
        Files.writeString(policy, """
                {
                  "schemaVersion": 1,
                  "name": "groups",
                  "defaultAction": { "action": "allow" },
                  "rules": [
                    { "id": "interns-not-here", "match": { "group": ["interns"], "port": ["%d"] }, "action": "block",
                      "reason": "Interns may not use this site" }
                  ]
                }
                """.formatted(origin.getPort()));
        start(c -> c.withObject("/policy").put("file", policy.toString()));
        origin.enqueue(new MockResponse.Builder().body("staff only").build());
        Curl.Result alice = curl("-U", "alice:" + ALICE_PASSWORD, originUrl("/site"));
        assertEquals("staff only", alice.out(), alice.err());
        Curl.Result bob = curl("-U", "bob:" + BOB_PASSWORD, "-w", "%{http_code}", "-o", "/dev/null", originUrl("/site"));
        assertEquals("403", bob.out(), bob.err());
        JsonNode blocked = proxy.awaitRecord(r -> r.get("status").asInt() == 403);
        assertEquals("bob", blocked.get("user").asText());
        assertEquals("interns-not-here", blocked.get("rule").asText());
        assertEquals(1, origin.getRequestCount());
    }

    @Test
    void exemptNetworksAndThePacFileNeedNoLogin() throws Exception {
        start(c -> c.withObject("/auth").putArray("exempt").add("127.0.0.1/32"));
        origin.enqueue(new MockResponse.Builder().body("server traffic").build());
        Curl.Result r = curl(originUrl("/update"));
        assertEquals("server traffic", r.out(), r.err());
        assertTrue(proxy.awaitOnlyRecord().get("user").isNull());
    }

    @Test
    void thePacFileIsServedWithoutLogin() throws Exception {
        start(c -> { });
        Curl.Result pac = Curl.run(dir, List.of("http://127.0.0.1:" + proxy.proxyPort() + "/proxy.pac"));
        assertEquals(0, pac.exit(), pac.err());
        assertTrue(pac.out().contains("FindProxyForURL"), pac.out());
    }

    @Test
    void theSquidFormatLogCarriesTheUserForSarg() throws Exception {
        start(c -> c.withObject("/audit").put("format", "squid"));
        origin.enqueue(new MockResponse.Builder().body("ok").build());
        Curl.Result r = curl("-U", "alice:" + ALICE_PASSWORD, originUrl("/squid"));
        assertEquals("ok", r.out(), r.err());
        proxy.stop();
        List<String> lines = Files.readAllLines(proxy.gatehouse().auditFile());
        assertEquals(1, lines.size(), lines.toString());
        String[] fields = lines.getFirst().trim().split(" +");
        assertEquals("alice", fields[7], lines.getFirst());
    }

    @Test
    void repeatedFailuresFromOneClientAreSlowedDown() throws Exception {
        start(c -> { });
        for (int i = 0; i < 2; i++) {
            assertEquals("407", curl("-o", "/dev/null", "-w", "%{http_code}", "-U", "alice:guess" + i, originUrl("/")).out());
        }
        long started = System.nanoTime();
        assertEquals("407", curl("-o", "/dev/null", "-w", "%{http_code}", "-U", "alice:guess-3", originUrl("/")).out());
        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
        // A lower bound only: the configured 1 s delay must have been applied (slower is fine on a busy box).
        assertTrue(elapsedMillis >= 900, "the third failure was answered after " + elapsedMillis + " ms");
        origin.enqueue(new MockResponse.Builder().body("finally").build());
        assertEquals("finally", curl("-U", "alice:" + ALICE_PASSWORD, originUrl("/")).out(), "the right password still works");
    }

    @Test
    void aUserAddedToTheHtpasswdFileCanLogInWithoutARestart() throws Exception {
        start(c -> { });
        assertEquals("407", curl("-o", "/dev/null", "-w", "%{http_code}", "-U", "carol:carol-pw-1", originUrl("/")).out());
        Commands.run("htpasswd", "-B", "-C", "5", "-b", htpasswd.toString(), "carol", "carol-pw-1");
        // The watcher reloads within a second or so; refused logins are remembered for failureTtl (30 s), so
        // the reload must also drop remembered verdicts. Bounded polling, no timing assertion.
        for (int i = 0; i < 40; i++) origin.enqueue(new MockResponse.Builder().body("hello carol").build());
        String body = "";
        for (int i = 0; i < 40 && !body.equals("hello carol"); i++) {
            Thread.sleep(250);
            body = curl("-U", "carol:carol-pw-1", originUrl("/")).out();
        }
        assertEquals("hello carol", body);
        JsonNode record = proxy.awaitRecord(r -> r.get("status").asInt() == 200);
        assertEquals("carol", record.get("user").asText());
    }

    /** {@code POST /reload} reloads the authentication files with no policy configured, and reports a refusal. */
    @Test
    void theAdminReloadReloadsTheAuthenticationFilesAndReportsARefusal() throws Exception {
        start(c -> { });
        String good = Files.readString(htpasswd);
        HttpClient admin = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
        HttpRequest reload = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + proxy.gatehouse().adminAddress().getPort() + "/reload")).POST(HttpRequest.BodyPublishers.noBody()).build();

        Files.writeString(htpasswd, good + "dave:{SHA}refused-at-load=\n");
        HttpResponse<String> refused = admin.send(reload, HttpResponse.BodyHandlers.ofString());
        assertEquals(422, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("\"auth\":false"), refused.body());

        Files.writeString(htpasswd, good);
        HttpResponse<String> applied = admin.send(reload, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, applied.statusCode(), applied.body());
        assertTrue(applied.body().contains("\"auth\":true"), applied.body());
        Thread.sleep(1500); // the file watcher's own reloads of the broken file log too; let them finish
        assertFalse(proxy.takeWarnings().isEmpty(), "the refused files were logged");
    }

    /** Credentials over the TLS listener, as a PAC file's {@code HTTPS host:port} entry makes browsers send them. */
    @Test
    void credentialsTravelInsideTlsOnTheTlsListener() throws Exception {
        HeldCertificate ca = TestCertificates.ca("Auth Test CA");
        Path cert = dir.resolve("proxy.crt");
        Path key = dir.resolve("proxy.key");
        TestCertificates.write(cert, key, TestCertificates.server(ca, 7, false), ca);
        Path caFile = dir.resolve("ca.pem");
        Files.writeString(caFile, ca.certificatePem());
        start(c -> c.putObject("tls").put("listen", "127.0.0.1:0").put("certificateFile", cert.toString())
                .put("keyFile", key.toString()));
        String proxyUrl = "https://127.0.0.1:" + proxy.tlsProxyAddress().getPort();
        Curl.Result refused = Curl.run(dir, List.of("--proxy", proxyUrl, "--proxy-cacert", caFile.toString(),
                "-o", "/dev/null", "-w", "%{http_code}", originUrl("/tls")));
        assertEquals("407", refused.out(), refused.err());
        origin.enqueue(new MockResponse.Builder().body("over tls").build());
        Curl.Result ok = Curl.run(dir, List.of("--proxy", proxyUrl, "--proxy-cacert", caFile.toString(),
                "--proxy-user", "alice:" + ALICE_PASSWORD, originUrl("/tls")));
        assertEquals("over tls", ok.out(), ok.err());
        assertEquals("alice", proxy.awaitRecord(r -> r.get("status").asInt() == 200).get("user").asText());
    }
}
