package dev.gatehouse.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.app.Gatehouse;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * With {@code "audit": {"format": "combined"}}, web-log tools read Gatehouse's audit log as an NCSA combined
 * log: real traffic through the proxy (a browser-like page view with Referer and User-Agent, a 404, a 502, a
 * page blocked by category, a denied CONNECT, a tunnel, a logged-in user, a malformed request line and a
 * hostile User-Agent) gives one line per access, and GoAccess's {@code COMBINED} format parses every one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CombinedLogToolsTest {
    private static final String BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
    /** Nine fields, the request, Referer and User-Agent quoted with no quote or backslash inside, then code:hierarchy. */
    private static final Pattern COMBINED_LINE = Pattern.compile("^\\S+ - \\S+ \\[\\d{2}/[A-Z][a-z]{2}/\\d{4}:\\d{2}:\\d{2}:\\d{2} [+-]\\d{4}\\] "
            + "\"\\S+ \\S+ HTTP/\\d\\.\\d\" \\d+ \\d+ \"[^\"\\\\]*\" \"[^\"\\\\]*\" [A-Z_]+:[A-Z_]+$");

    @TempDir
    static Path dir;

    private Path accessLog;
    private List<String> lines;

    @BeforeAll
    void produceACombinedAuditLogFromRealTraffic() throws Exception {
        LogToolsTest.requireTools("goaccess");
        try (TestOrigin origin = new TestOrigin()) {
            Gatehouse gatehouse = LogToolsTest.start(dir, "combined", origin);
            try {
                int proxyPort = gatehouse.proxyAddress().getPort();
                HttpClient client = LogToolsTest.client(gatehouse, false);
                String base = "http://127.0.0.1:" + origin.port();
                HttpRequest pageView = HttpRequest.newBuilder(URI.create(base + "/page.html")).timeout(Duration.ofSeconds(10))
                        .header("User-Agent", BROWSER).header("Referer", base + "/index.html").build();
                assertEquals(200, client.send(pageView, HttpResponse.BodyHandlers.discarding()).statusCode());
                LogToolsTest.mixedTraffic(client, gatehouse, origin);
                // Quotes and a backslash to close the quoted field, and UTF-8 bytes (é) as a client may send them.
                String hostile = raw(proxyPort, ("GET " + base + "/page.html?ua=hostile HTTP/1.1\r\nHost: 127.0.0.1:" + origin.port()
                        + "\r\nUser-Agent: evil\" 200 1 \"x\\\" caf").getBytes(StandardCharsets.US_ASCII),
                        new byte[] {(byte) 0xC3, (byte) 0xA9},
                        "\r\nReferer: http://ref.test/\"\\\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertTrue(hostile.startsWith("HTTP/1.1 200"), hostile);
                String malformed = raw(proxyPort, "BAD REQUEST LINE\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertTrue(malformed.startsWith("HTTP/1.1 400"), malformed);
                assertEquals(200, LogToolsTest.get(LogToolsTest.client(gatehouse, true), base + "/page.html?by=alice"));
                LogToolsTest.awaitTunnelsClosed(gatehouse);
            } finally {
                gatehouse.close(); // flushes the audit log
            }
            accessLog = gatehouse.auditFile();
        }
        lines = Files.readAllLines(accessLog, StandardCharsets.UTF_8);
        String all = String.join("\n", lines);
        // alice's page: a 407, then the page with her credentials
        assertEquals(11, lines.size(), all);
        for (String line : lines) {
            assertTrue(COMBINED_LINE.matcher(line).matches(), "not a combined line: " + line + "\nin\n" + all);
        }
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("127.0.0.1 - - [") && l.contains("/page.html HTTP/1.1\" 200 ")
                && l.endsWith("/index.html\" \"" + BROWSER + "\" TCP_MISS:HIER_DIRECT")), all);
        assertTrue(lines.stream().anyMatch(l -> l.contains(" \"CONNECT localhost:") && l.endsWith(" TCP_TUNNEL:HIER_DIRECT")), all);
        assertTrue(lines.stream().anyMatch(l -> l.contains(" \"CONNECT 127.0.0.1:25 HTTP/1.1\" 403 ")
                && l.endsWith(" TCP_DENIED:HIER_NONE")), all);
        assertTrue(lines.stream().anyMatch(l -> l.contains(" \"GET http://www.casino.example/roulette HTTP/1.1\" 403 ")), all);
        assertTrue(lines.stream().anyMatch(l -> l.contains("\" 502 ")), all);
        assertTrue(lines.stream().anyMatch(l -> l.contains(" \"- error:invalid-request HTTP/0.0\" 400 ")
                && l.endsWith(" \"-\" \"-\" NONE_NONE:HIER_NONE")), all);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("127.0.0.2 - alice [") && l.contains("by=alice HTTP/1.1\" 200 ")), all);
        assertTrue(lines.stream().anyMatch(l -> l.contains("?ua=hostile HTTP/1.1\" 200 ")
                && l.contains(" \"http://ref.test/%22%5C\" \"evil%22 200 1 %22x%5C%22 caf%C3%A9\" TCP_")), all);
    }

    @Test
    void goAccessParsesEveryLineAsCombined() throws Exception {
        Path report = dir.resolve("goaccess.json");
        LogToolsTest.Result r = LogToolsTest.run(List.of("goaccess", accessLog.toString(), "--no-global-config",
                "--log-format=COMBINED", "-o", report.toString()), dir);
        assertEquals(0, r.exit(), r.output());
        JsonNode general = new ObjectMapper().readTree(report.toFile()).get("general");
        assertEquals(0, general.get("failed_requests").asLong(), general.toString());
        assertEquals(lines.size(), general.get("valid_requests").asLong(), general.toString());
        assertEquals(lines.size(), general.get("total_requests").asLong(), general.toString());
    }

    /** Sends {@code parts} on a new connection to the proxy and returns what came back until it closed. */
    private static String raw(int proxyPort, byte[]... parts) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), proxyPort)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            for (byte[] part : parts) out.write(part);
            out.flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
