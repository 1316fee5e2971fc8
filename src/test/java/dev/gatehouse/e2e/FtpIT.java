package dev.gatehouse.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.ftpserver.FtpServer;
import org.apache.ftpserver.FtpServerFactory;
import org.apache.ftpserver.ftplet.UserManager;
import org.apache.ftpserver.impl.DefaultFtpServer;
import org.apache.ftpserver.listener.ListenerFactory;
import org.apache.ftpserver.usermanager.PropertiesUserManagerFactory;
import org.apache.ftpserver.usermanager.impl.BaseUser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ftp://} gateway against a real FTP server (Apache FtpServer, embedded, on loopback): the JDK
 * HttpClient refuses {@code ftp} URIs, so requests go over a raw connection, as a browser sends them.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FtpIT {
    private static final String HOSTILE = "q\"uote'<img src=x onerror=alert(1)>.txt";
    @TempDir
    static Path root;
    private static FtpServer server;
    private static int ftpPort;
    private static byte[] payload;
    private GatehouseFixture proxy;

    @BeforeAll
    static void startFtpServer() throws Exception {
        payload = new byte[3 << 20];
        new Random(7).nextBytes(payload);
        Files.write(root.resolve("big.bin"), payload);
        Files.createDirectories(root.resolve("pub"));
        Files.writeString(root.resolve("pub").resolve("readme.txt"), "hello ftp");
        Files.writeString(root.resolve("pub").resolve(HOSTILE), "x");
        Files.writeString(root.resolve("pub").resolve("<script>alert(1)"), "x");

        // The test server's own noise ("Releasing unreserved passive port", an FtpServer quirk) is not the proxy's.
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.apache.ftpserver"))
                .setLevel(ch.qos.logback.classic.Level.ERROR);
        FtpServerFactory factory = new FtpServerFactory();
        ListenerFactory listener = new ListenerFactory();
        listener.setServerAddress("127.0.0.1");
        listener.setPort(0);
        factory.addListener("default", listener.createListener());
        PropertiesUserManagerFactory users = new PropertiesUserManagerFactory();
        users.setFile(Files.createTempFile(root.getParent(), "ftpusers", ".properties").toFile());
        UserManager manager = users.createUserManager();
        manager.save(user("anonymous", null));
        manager.save(user("alice", "secret"));
        factory.setUserManager(manager);
        server = factory.createServer();
        server.start();
        ftpPort = ((DefaultFtpServer) server).getListener("default").getPort();
    }

    private static BaseUser user(String name, String password) {
        BaseUser u = new BaseUser();
        u.setName(name);
        u.setPassword(password);
        u.setHomeDirectory(root.toString());
        return u;
    }

    @AfterAll
    static void stopFtpServer() {
        if (server != null) server.stop();
    }

    @BeforeEach
    void startProxy() {
        proxy = GatehouseFixture.start();
    }

    @AfterEach
    void stopProxy() {
        if (proxy != null) proxy.close();
    }

    private String url(String path) {
        return "ftp://127.0.0.1:" + ftpPort + path;
    }

    private RawConnection.Response get(String method, String url, String... headers) throws IOException {
        StringBuilder request = new StringBuilder(method).append(' ').append(url).append(" HTTP/1.1\r\nHost: 127.0.0.1:")
                .append(ftpPort).append("\r\nConnection: close\r\n");
        for (String h : headers) request.append(h).append("\r\n");
        try (RawConnection c = RawConnection.open(proxy.proxyAddress())) {
            c.socket().setSoTimeout(15_000);
            return c.send(request.append("\r\n").toString()).readResponse("HEAD".equals(method));
        }
    }

    @Test
    void aFileIsStreamedWhole() throws Exception {
        RawConnection.Response r = get("GET", url("/big.bin"));
        assertEquals(200, r.status(), r.text());
        assertEquals(Integer.toString(payload.length), r.header("Content-Length"));
        assertEquals("application/octet-stream", r.header("Content-Type"));
        assertTrue(r.header("Last-Modified").endsWith(" GMT"), r.header("Last-Modified"));
        assertArrayEquals(sha256(payload), sha256(r.body()));

        RawConnection.Response head = get("HEAD", url("/pub/readme.txt"));
        assertEquals(200, head.status());
        assertEquals("9", head.header("Content-Length"));
        assertEquals("text/plain", head.header("Content-Type"));
        assertEquals(0, head.body().length);
        JsonNode record = proxy.awaitRecord(n -> n.get("url").asText().endsWith("/big.bin"));
        assertEquals(200, record.get("status").asInt());
    }

    @Test
    void aListingEscapesHostileNames() throws Exception {
        RawConnection.Response r = get("GET", url("/pub/"));
        assertEquals(200, r.status(), r.text());
        assertEquals("text/html; charset=utf-8", r.header("Content-Type"));
        String html = r.text();
        assertTrue(html.contains("href=\"./readme.txt\""), html);
        assertTrue(html.contains("q&quot;uote&#39;&lt;img src=x onerror=alert(1)&gt;.txt"), html);
        assertTrue(html.contains("href=\"./q%22uote%27%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E.txt\""), html);
        assertTrue(html.contains("&lt;script&gt;alert(1)"), html);
        assertFalse(html.contains("<script>") || html.contains("<img"), html);
    }

    @Test
    void aDirectoryWithoutSlashRedirectsAndAMissingFileIs404() throws Exception {
        RawConnection.Response redirect = get("GET", url("/pub"));
        assertEquals(301, redirect.status());
        assertEquals("pub/", redirect.header("Location"));

        RawConnection.Response missing = get("GET", url("/pub/nothing-here.txt"));
        assertEquals(404, missing.status(), missing.text());
        assertTrue(missing.text().contains("no such file"), missing.text());
        RawConnection.Response missingDir = get("GET", url("/nothing/"));
        assertEquals(404, missingDir.status());
    }

    @Test
    void aRefusedLoginIs401WithAChallengeAndNoPasswordReachesTheAudit() throws Exception {
        RawConnection.Response refused = get("GET", url("/pub/"), "Authorization: Basic " + basic("alice:wr0ngPw"));
        assertEquals(401, refused.status(), refused.text());
        assertEquals("Basic realm=\"FTP 127.0.0.1\"", refused.header("WWW-Authenticate"));
        assertFalse(refused.text().contains("wr0ngPw"), refused.text());

        RawConnection.Response ok = get("GET", url("/pub/readme.txt"), "Authorization: Basic " + basic("alice:secret"));
        assertEquals(200, ok.status(), ok.text());
        assertEquals("hello ftp", ok.text());
        // Undertow's request-line parser refuses user info in the target; the password must not reach the audit either way.
        assertEquals(400, get("GET", "ftp://alice:secret@127.0.0.1:" + ftpPort + "/pub/readme.txt").status());

        List<JsonNode> records = proxy.awaitRecords(3);
        for (JsonNode r : records) {
            assertFalse(r.toString().contains("secret") || r.toString().contains("wr0ngPw"), r.toString());
        }
        JsonNode login = proxy.awaitRecord(r -> r.get("status").asInt() == 401);
        assertEquals(url("/pub/"), login.get("url").asText());
        assertEquals("ftp_login_refused", login.get("error").asText());
        proxy.awaitRecord(r -> r.get("status").asInt() == 200 && r.get("url").asText().equals(url("/pub/readme.txt")));
    }

    private static String basic(String credentials) {
        return Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void unreachableSilentAndRefusedServersMapTo502504And403() throws Exception {
        proxy.close();
        proxy = GatehouseFixture.start(c -> c.putObject("forwarding").put("readTimeout", "1s").put("connectTimeout", "1s"));
        int closedPort;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        RawConnection.Response refused = get("GET", "ftp://127.0.0.1:" + closedPort + "/");
        assertEquals(502, refused.status(), refused.text());
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            RawConnection.Response timeout = get("GET", "ftp://127.0.0.1:" + silent.getLocalPort() + "/"); // never greets
            assertEquals(504, timeout.status(), timeout.text());
        }
        proxy.close();
        proxy = GatehouseFixture.start(c -> c.putObject("destinations").putArray("allowPrivate"));
        RawConnection.Response denied = get("GET", url("/pub/"));
        assertEquals(403, denied.status(), denied.text());
        assertEquals("destination_denied", proxy.awaitOnlyRecord().get("error").asText());
    }

    @Test
    void policyRulesMatchTheFtpScheme() throws Exception {
        Path policy = Files.createTempFile(root.getParent(), "ftp-policy", ".json");
        Files.writeString(policy, """
                { "schemaVersion": 1, "name": "ftp-test", "defaultAction": { "action": "allow" },
                  "rules": [ { "id": "no-ftp-pub", "match": { "scheme": ["ftp"], "urlPrefix": ["ftp://127.0.0.1:%d/pub/"] },
                               "action": "block", "reason": "No FTP downloads" } ] }
                """.formatted(ftpPort));
        proxy.close();
        proxy = GatehouseFixture.start(c -> c.withObject("/policy").put("file", policy.toString()).put("watch", false));
        RawConnection.Response blocked = get("GET", url("/pub/readme.txt"));
        assertEquals(403, blocked.status(), blocked.text());
        assertEquals(200, get("GET", url("/big.bin")).status());
        JsonNode record = proxy.awaitRecord(r -> r.get("status").asInt() == 403);
        assertEquals("policy_blocked", record.get("error").asText());
    }

    @Test
    void otherMethodsAreRefused() throws Exception {
        assertEquals(501, get("DELETE", url("/pub/readme.txt")).status());
    }

    @Test
    void curlFetchesAFileThroughTheProxy() throws Exception {
        String curl = null;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (new File(dir, "curl").canExecute()) curl = new File(dir, "curl").getPath();
        }
        if (curl == null) fail("curl is not installed; run scripts/install-test-deps");
        Process p = new ProcessBuilder(curl, "-sS", "--max-time", "20", "--noproxy", "", "-x",
                "http://127.0.0.1:" + proxy.proxyPort(), url("/pub/readme.txt")).redirectErrorStream(true).start();
        assertTrue(p.waitFor(25, TimeUnit.SECONDS));
        assertEquals("hello ftp", new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        assertEquals(0, p.exitValue());
    }

    private static byte[] sha256(byte[] bytes) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(bytes);
    }
}
