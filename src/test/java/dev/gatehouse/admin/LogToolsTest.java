package dev.gatehouse.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.app.Gatehouse;
import dev.gatehouse.config.ConfigLoader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Authenticator;
import java.net.InetAddress;
import java.net.PasswordAuthentication;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The administrators' log tools read Gatehouse's Squid-format audit log unchanged: a log made by real
 * traffic under the shipped policy (pages, a 404, a 502, a page blocked by category, a denied CONNECT, a
 * tunnel, a proxy login refused then accepted) is fed to GoAccess and SARG (Debian's), and every line must
 * be parsed; SARG reports the logged-in user on her own. Commands and checks as in
 * ECOSYSTEM.md §4.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LogToolsTest {
    @TempDir
    static Path dir;

    private Path accessLog;
    private List<String> lines;

    @BeforeAll
    void produceAnAuditLogFromRealTraffic() throws Exception {
        requireTools("goaccess", "sarg");
        try (TestOrigin origin = new TestOrigin()) {
            Gatehouse gatehouse = start(dir, "squid", origin);
            try {
                HttpClient client = client(gatehouse, false);
                String base = "http://127.0.0.1:" + origin.port();
                assertEquals(200, get(client, base + "/page.html"));
                assertEquals(200, get(client, base + "/page.html?q=1"));
                mixedTraffic(client, gatehouse, origin);
                // One logged-in user, from the one address that must log in: SARG then reports per user.
                assertEquals(200, get(client(gatehouse, true), base + "/page.html?by=alice"));
                awaitTunnelsClosed(gatehouse);
            } finally {
                gatehouse.close(); // flushes the audit log
            }
            accessLog = gatehouse.auditFile();
        }
        lines = Files.readAllLines(accessLog, StandardCharsets.UTF_8);
        // alice's page: a 407, then the page with her credentials
        assertEquals(10, lines.size(), String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(l -> l.contains(" TCP_DENIED/407 ")), String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(l -> l.contains("by=alice alice ")), String.join("\n", lines));
        for (String expected : List.of("TCP_MISS/200", "TCP_MISS/404", "TCP_MISS/502", "TCP_DENIED/403", "TCP_TUNNEL/200")) {
            assertTrue(lines.stream().anyMatch(l -> l.contains(" " + expected + " ")), expected + " missing:\n" + String.join("\n", lines));
        }
    }

    @Test
    void goAccessParsesEveryLine() throws Exception {
        Path report = dir.resolve("goaccess.json");
        Result r = run(List.of("goaccess", accessLog.toString(), "--no-global-config",
                "--log-format=%x.%^ %~%L %h %^/%s %b %m %U %e %^ %M", "--date-format=%s", "--time-format=%s",
                "-o", report.toString()));
        assertEquals(0, r.exit, r.output);
        JsonNode general = new ObjectMapper().readTree(report.toFile()).get("general");
        assertEquals(0, general.get("failed_requests").asLong(), general.toString());
        assertEquals(lines.size(), general.get("valid_requests").asLong(), general.toString());
    }

    @Test
    void sargReadsEveryLineAndReportsTheDeniedOne() throws Exception {
        Path out = Files.createDirectories(dir.resolve("sargout"));
        Path tmp = Files.createDirectories(dir.resolve("sargtmp"));
        Path conf = dir.resolve("sarg.conf");
        Files.writeString(conf, "access_log " + accessLog + "\noutput_dir " + out + "\ntemporary_dir " + tmp + "\nresolve_ip no\n");
        Result r = run(List.of("sarg", "-f", conf.toString(), "-x"));
        assertEquals(0, r.exit, r.output);
        int n = lines.size();
        assertTrue(r.output.contains("Records read: " + n + ", written: " + n + ", excluded: 0"), r.output);
        assertTrue(r.output.contains("squid log format: " + n + " entries") || r.output.contains("Squid log format: " + n + " entries"), r.output);
        Path denied;
        try (Stream<Path> files = Files.walk(out)) {
            denied = files.filter(p -> p.getFileName().toString().equals("denied.html")).findFirst()
                    .orElseThrow(() -> new AssertionError("sarg wrote no denied.html:\n" + r.output));
        }
        try (Stream<Path> files = Files.walk(out)) {
            assertTrue(files.anyMatch(p -> p.getFileName().toString().equals("alice") && Files.isDirectory(p)),
                    "sarg wrote no per-user report for alice under " + out);
        }
        String deniedReport = Files.readString(denied);
        assertTrue(deniedReport.contains("127.0.0.1:25"), "the denied CONNECT is not in " + denied);
        assertTrue(deniedReport.contains("www.casino.example"), "the blocked page is not in " + denied);
    }

    static void requireTools(String... tools) {
        for (String tool : tools) {
            if (Stream.of(System.getenv("PATH").split(":")).noneMatch(p -> Files.isExecutable(Path.of(p, tool)))) {
                throw new AssertionError(tool + " is missing: run scripts/install-test-deps (Debian packages goaccess, sarg)");
            }
        }
    }

    static String json(Object path) {
        return path.toString().replace("\\", "\\\\");
    }

    /**
     * Starts Gatehouse on loopback with the shipped policy, the audit log in {@code auditFormat} under
     * {@code dir}, CONNECT allowed to {@code origin}'s port, and a login (alice, alice-pw) required from 127.0.0.2.
     */
    static Gatehouse start(Path dir, String auditFormat, TestOrigin origin) throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Path htpasswd = dir.resolve("htpasswd");
        // bcrypt of "alice-pw" at cost 5, as htpasswd -nbB -C 5 writes it
        Files.writeString(htpasswd, "alice:$2y$05$TOmxhvFSZLLW3HSZ0f2NpemRsXYyP1DyIGTi9ScTCLXqYApIQbZHu\n");
        String config = """
                {"listen": "127.0.0.1:0", "admin": "127.0.0.1:0", "dataDir": "%s",
                 "destinations": {"allowPrivate": ["127.0.0.0/8"], "connectPorts": [443, %d]},
                 "audit": {"format": "%s"},
                 "auth": {"backend": "htpasswd", "htpasswdFile": "%s", "networks": ["127.0.0.2/32"], "watch": false},
                 "policy": {"file": "%s", "watch": false}}
                """.formatted(json(data), origin.port(), auditFormat, json(htpasswd), json(AdminServerTest.SHIPPED_POLICY));
        return Gatehouse.start(new ConfigLoader().load("test", config, Map.of()));
    }

    /** A client through {@code gatehouse}: from 127.0.0.1, or as alice from 127.0.0.2 (a 407, then her login). */
    static HttpClient client(Gatehouse gatehouse, boolean asAlice) throws IOException {
        HttpClient.Builder b = HttpClient.newBuilder().proxy(ProxySelector.of(gatehouse.proxyAddress()))
                .connectTimeout(Duration.ofSeconds(5));
        if (asAlice) {
            b.localAddress(InetAddress.getByName("127.0.0.2")).authenticator(new Authenticator() {
                @Override
                protected PasswordAuthentication getPasswordAuthentication() {
                    return new PasswordAuthentication("alice", "alice-pw".toCharArray());
                }
            });
        }
        return b.build();
    }

    /**
     * Six accesses of different kinds: a 64 KiB download, a 404, a 502 (nothing listening), a page blocked by
     * category (403), a CONNECT denied by port (403) and a tunnel to {@code origin}.
     */
    static void mixedTraffic(HttpClient client, Gatehouse gatehouse, TestOrigin origin) throws Exception {
        String base = "http://127.0.0.1:" + origin.port();
        assertEquals(200, get(client, base + "/data.bin"));
        assertEquals(404, get(client, base + "/missing"));
        assertEquals(502, get(client, "http://127.0.0.1:" + GatehouseProcess.freePort() + "/"));
        assertEquals(403, get(client, "http://www.casino.example/roulette")); // the sample gambling list
        assertTrue(connect(gatehouse.proxyAddress().getPort(), "127.0.0.1:25").startsWith("HTTP/1.1 403"));
        String tunnelled = connect(gatehouse.proxyAddress().getPort(), "localhost:" + origin.port());
        assertTrue(tunnelled.startsWith("HTTP/1.1 200") && tunnelled.contains(TestOrigin.TITLE), tunnelled);
    }

    static int get(HttpClient client, String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Sends CONNECT; when it is accepted, fetches /page.html through the tunnel. Returns all that came back. */
    static String connect(int proxyPort, String target) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), proxyPort)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            out.write(("CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String head = readHead(in);
            if (!head.startsWith("HTTP/1.1 200")) return head;
            out.write(("GET /page.html HTTP/1.1\r\nHost: " + target + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return head + new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static String readHead(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 16_384 && !b.toString().endsWith("\r\n\r\n"); i++) {
            int c = in.read();
            if (c < 0) break;
            b.append((char) c);
        }
        return b.toString();
    }

    /** A tunnel's audit record is written when it closes, which follows the client's close shortly. */
    static void awaitTunnelsClosed(Gatehouse gatehouse) throws InterruptedException {
        for (int i = 0; i < 200 && gatehouse.openTunnels() > 0; i++) Thread.sleep(10);
    }

    record Result(int exit, String output) {}

    private static Result run(List<String> command) throws Exception {
        return run(command, dir);
    }

    /** Runs a log tool, its output (both streams) gathered in a file under {@code dir}. */
    static Result run(List<String> command, Path dir) throws Exception {
        Path log = Files.createTempFile(dir, "tool", ".out");
        Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command.get(0) + " did not finish within 60 s:\n" + Files.readString(log));
        }
        return new Result(p.exitValue(), Files.readString(log));
    }
}
