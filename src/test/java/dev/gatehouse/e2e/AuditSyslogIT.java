package dev.gatehouse.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.gatehouse.audit.SyslogCollector;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code audit.syslog} through real sockets: each access reaches an in-test TCP collector (and a real rsyslogd) as one
 * octet-counted RFC 5424 message whose MSG is the audit file's line; a collector that is down at start gets the
 * records once it listens; one that accepts and never reads slows no request, and the file still has every record.
 */
// A separate thread: a syslog copy that blocked the audit writer would hold the test (and the proxy's close) forever.
@Timeout(value = 90, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AuditSyslogIT {
    /** {@code <166>1 TIMESTAMP HOSTNAME gatehouse PROCID access - MSG}: local4.info, RFC 5424 version 1. */
    private static final Pattern MESSAGE = Pattern.compile(
            "<166>1 \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) [!-~]{1,255} gatehouse \\d+ access - (.*)",
            Pattern.DOTALL);

    private HttpServer origin;

    @BeforeEach
    void startOrigin() throws IOException {
        origin = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        origin.createContext("/", exchange -> {
            byte[] body = "ok".getBytes(StandardCharsets.US_ASCII);
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        origin.start();
    }

    @AfterEach
    void stopOrigin() {
        origin.stop(0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + origin.getAddress().getPort() + path;
    }

    private static Consumer<ObjectNode> syslogTo(String target, int queueCapacity) {
        return c -> ((ObjectNode) c.get("audit")).putObject("syslog").put("target", target).put("queueCapacity", queueCapacity);
    }

    private static void get(GatehouseFixture proxy, String url) throws IOException, InterruptedException {
        HttpResponse<String> r = proxy.client().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
    }

    /** The MSG of an RFC 5424 message, after checking its header. */
    private static String msg(String message) {
        Matcher m = MESSAGE.matcher(message);
        assertTrue(m.matches(), message);
        return m.group(2);
    }

    private static List<String> fileLines(GatehouseFixture proxy) throws IOException {
        return Files.readAllLines(proxy.gatehouse().auditFile(), StandardCharsets.UTF_8).stream().filter(l -> !l.isEmpty()).toList();
    }

    @Test
    void eachAccessArrivesAsOneFramedMessageWithTheFilesLine() throws Exception {
        try (SyslogCollector collector = SyslogCollector.start();
             GatehouseFixture proxy = GatehouseFixture.start(syslogTo(collector.target(), 1000))) {
            for (int i = 0; i < 5; i++) get(proxy, url("/page-" + i + "?q=jürgen"));
            List<String> messages = collector.await(5, 15);
            proxy.awaitRecords(5);
            List<String> sent = messages.stream().map(AuditSyslogIT::msg).toList();
            assertEquals(fileLines(proxy), sent, "the same lines, in the same order");
            Thread.sleep(200);
            assertEquals(0, collector.pending(), "one message per access");
            assertEquals(1, collector.connectionCount(), "one connection for all of them");
            String metrics = adminGet(proxy, "/metrics");
            assertTrue(metrics.contains("proxy_audit_syslog_sent_total 5.0"), metrics);
            assertTrue(metrics.contains("proxy_audit_syslog_dropped_total 0.0"), metrics);
        }
    }

    @Test
    void theCopyMayUseAnotherFormatThanTheFile() throws Exception {
        try (SyslogCollector collector = SyslogCollector.start();
             GatehouseFixture proxy = GatehouseFixture.start(syslogTo(collector.target(), 1000)
                     .andThen(c -> ((ObjectNode) c.get("audit").get("syslog")).put("format", "squid")))) {
            get(proxy, url("/squid"));
            String line = msg(collector.await(1, 15).getFirst());
            assertTrue(line.matches("\\d+\\.\\d{3} +\\d+ 127\\.0\\.0\\.1 TCP_MISS/200 \\d+ GET " + Pattern.quote(url("/squid")) + " .*"), line);
            assertTrue(proxy.awaitOnlyRecord().has("result"), "the file stays JSON");
        }
    }

    @Test
    void aCollectorThatIsDownAtStartGetsTheRecordsOnceItListens() throws Exception {
        int port = SyslogCollector.freePort();
        try (GatehouseFixture proxy = GatehouseFixture.start(syslogTo("tcp://127.0.0.1:" + port, 1000))) {
            for (int i = 0; i < 3; i++) get(proxy, url("/early-" + i));
            proxy.awaitRecords(3);
            try (SyslogCollector collector = SyslogCollector.startOn(port)) {
                List<String> sent = collector.await(3, 20).stream().map(AuditSyslogIT::msg).toList();
                assertEquals(fileLines(proxy), sent);
                get(proxy, url("/later"));
                assertTrue(msg(collector.await(1, 15).getFirst()).contains("/later"));
            }
            List<String> warnings = proxy.takeWarnings();
            assertTrue(!warnings.isEmpty() && warnings.stream().allMatch(w -> w.contains("syslog: cannot reach tcp://127.0.0.1:" + port)),
                    warnings.toString());
        }
    }

    @Test
    void aStalledCollectorSlowsNoRequestAndTheFileKeepsEveryRecord() throws Exception {
        int requests = 300;
        // 30 KB lines, 9 MB in all: more than loopback TCP buffers for a peer that never reads (about 3 MB here).
        String longQuery = "?" + "x".repeat(30_000);
        try (SyslogCollector collector = SyslogCollector.stalled();
             GatehouseFixture proxy = GatehouseFixture.start(syslogTo(collector.target(), 16)
                     .andThen(c -> c.putObject("limits").put("maxUrlLength", 65536).put("maxHeaderBytes", 131072)))) {
            long started = System.nanoTime();
            for (int i = 0; i < requests; i++) get(proxy, url("/stalled-" + i + longQuery));
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertTrue(tookMillis < 30_000, requests + " requests took " + tookMillis + " ms");
            proxy.awaitRecords(requests);
            String metrics = adminGet(proxy, "/metrics");
            Matcher dropped = Pattern.compile("proxy_audit_syslog_dropped_total (\\d+)\\.0").matcher(metrics);
            assertTrue(dropped.find(), metrics);
            assertTrue(Long.parseLong(dropped.group(1)) > 0, "dropped " + dropped.group(1) + ": "
                    + metrics.lines().filter(l -> l.startsWith("proxy_audit")).toList());
            assertTrue(metrics.contains("proxy_audit_syslog_connected 1.0"), metrics);
            long stopStarted = System.nanoTime();
            proxy.stop();
            long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopStarted);
            assertTrue(stopMillis < 10_000, "shutdown took " + stopMillis + " ms with a stalled collector");
            List<String> lines = fileLines(proxy);
            assertEquals(requests, lines.size(), "the file has every record");
            Pattern path = Pattern.compile("/stalled-(\\d+)\\?");
            assertEquals(IntStream.range(0, requests).boxed().toList(), lines.stream()
                    .map(l -> path.matcher(l)).filter(Matcher::find).map(m -> Integer.parseInt(m.group(1))).sorted().toList(),
                    "one record per request");
            List<String> warnings = proxy.takeWarnings();
            assertTrue(warnings.stream().anyMatch(w -> w.matches(".*syslog: \\d+ audit records not sent to tcp://127\\.0\\.0\\.1:\\d+ since start.*")),
                    warnings.toString());
        }
    }

    @Test
    void aRealRsyslogdReceivesTheFilesLines() throws Exception {
        try (Rsyslogd rsyslogd = Rsyslogd.start();
             GatehouseFixture proxy = GatehouseFixture.start(syslogTo("tcp://127.0.0.1:" + rsyslogd.port(), 1000))) {
            for (int i = 0; i < 3; i++) get(proxy, url("/rsyslog-" + i + "?user=jürgen"));
            proxy.awaitRecords(3);
            assertEquals(fileLines(proxy), rsyslogd.awaitLines(3, 20));
        }
    }

    /**
     * rsyslogd from Debian, unprivileged in the foreground: imtcp on an ephemeral port (written to a file), every
     * message's MSG written to a file as it is ({@code %msg%}), the BOM of a UTF-8 MSG left out as rsyslog does.
     */
    private record Rsyslogd(Path dir, Process process, int port) implements AutoCloseable {
        private static final Path RSYSLOGD = Path.of("/usr/sbin/rsyslogd");

        static Rsyslogd start() throws IOException, InterruptedException {
            if (!Files.isExecutable(RSYSLOGD)) throw new AssertionError("rsyslogd is missing: run scripts/install-test-deps");
            Path dir = Files.createTempDirectory("gatehouse-rsyslog");
            Path conf = dir.resolve("rsyslog.conf");
            Files.writeString(conf, """
                    global(workDirectory="%1$s")
                    module(load="imtcp")
                    input(type="imtcp" address="127.0.0.1" port="0" listenPortFileName="%1$s/port" ruleset="audit")
                    template(name="msgOnly" type="string" string="%%msg%%\\n")
                    ruleset(name="audit") { action(type="omfile" file="%1$s/received.log" template="msgOnly") }
                    """.formatted(dir));
            Process process = new ProcessBuilder(RSYSLOGD.toString(), "-n", "-f", conf.toString(), "-i", dir.resolve("pid").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("rsyslogd.out").toFile()).start();
            Path portFile = dir.resolve("port");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!Files.exists(portFile) || Files.readString(portFile).isBlank()) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new AssertionError("rsyslogd did not start: " + Files.readString(dir.resolve("rsyslogd.out")));
                }
                Thread.sleep(20);
            }
            return new Rsyslogd(dir, process, Integer.parseInt(Files.readString(portFile).strip()));
        }

        List<String> awaitLines(int n, int seconds) throws IOException, InterruptedException {
            Path received = dir.resolve("received.log");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            List<String> lines = new ArrayList<>();
            while (lines.size() < n) {
                if (System.nanoTime() > deadline) throw new AssertionError("rsyslogd wrote " + lines.size() + " of " + n + " lines: " + lines);
                Thread.sleep(50);
                if (Files.exists(received)) {
                    lines = Files.readAllLines(received, StandardCharsets.UTF_8).stream().map(l -> l.replace("\uFEFF", "")).toList();
                }
            }
            return lines;
        }

        @Override
        public void close() throws IOException, InterruptedException {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String adminGet(GatehouseFixture proxy, String path) throws IOException, InterruptedException {
        InetSocketAddress admin = proxy.gatehouse().adminAddress();
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.getPort() + path)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        }
    }
}
