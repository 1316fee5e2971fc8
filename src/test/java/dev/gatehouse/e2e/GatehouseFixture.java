package dev.gatehouse.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.app.Gatehouse;
import dev.gatehouse.config.ConfigLoader;
import dev.gatehouse.config.GatehouseConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;

/**
 * One Gatehouse for one test: listening on ephemeral loopback ports, its data directory in a fresh temp
 * dir, reachable local origins allowed ({@code destinations.allowPrivate} = loopback), {@code forwarding.via}
 * {@code gatehouse} whatever the machine is called, and its audit log
 * parsed back as JSON. Captures what the application logs: closing fails the test if anything was logged
 * above INFO.
 */
final class GatehouseFixture implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Longest a test waits for an audit record to appear. */
    private static final Duration AUDIT_WAIT = Duration.ofSeconds(15);

    private final Path dataDir;
    private final Gatehouse gatehouse;
    private final ListAppender<ILoggingEvent> logs;
    private HttpClient client;

    private GatehouseFixture(Path dataDir, Gatehouse gatehouse, ListAppender<ILoggingEvent> logs) {
        this.dataDir = dataDir;
        this.gatehouse = gatehouse;
        this.logs = logs;
    }

    static GatehouseFixture start() {
        return start(c -> { });
    }

    /** Starts with the test defaults, then lets {@code customise} change the config tree. */
    static GatehouseFixture start(Consumer<ObjectNode> customise) {
        return start(customise, Clock.systemUTC());
    }

    /** As {@link #start(Consumer)}, the cache keeping time by {@code cacheClock} (see {@link Gatehouse#start(GatehouseConfig, Clock)}). */
    static GatehouseFixture start(Consumer<ObjectNode> customise, Clock cacheClock) {
        Path dir;
        try {
            dir = Files.createTempDirectory("gatehouse-e2e");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ObjectNode config = JSON.createObjectNode();
        config.put("listen", "127.0.0.1:0");
        config.put("admin", "127.0.0.1:0");
        config.put("dataDir", dir.toString());
        config.put("shutdownTimeout", "5s");
        ObjectNode destinations = config.putObject("destinations");
        destinations.putArray("allowPrivate").add("127.0.0.1/32").add("::1/128");
        destinations.putArray("connectPorts").add(443);
        config.putObject("audit").put("rotateDaily", false);
        // The default pseudonym is this machine's host name; tests assert exact Via and X-Cache values, so they
        // name it. A test of the default removes this key.
        config.putObject("forwarding").put("via", "gatehouse");
        // No policy unless a test brings one: the shipped policy blocks HTTPS to IP literals like 127.0.0.1.
        config.putObject("policy").put("file", "").put("watch", false);
        customise.accept(config);

        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        root().addAppender(appender);
        try {
            GatehouseConfig loaded = new ConfigLoader().load("e2e", config.toString(), Map.of());
            Gatehouse gatehouse = Gatehouse.start(loaded, cacheClock);
            awaitCacheReady(gatehouse);
            return new GatehouseFixture(dir, gatehouse, appender);
        } catch (Exception e) {
            root().detachAppender(appender);
            deleteTree(dir);
            throw new IllegalStateException("Gatehouse did not start with " + config, e);
        }
    }

    /** The disk cache rebuilds its index in the background; tests start once it is done (an empty dir takes ms). */
    private static void awaitCacheReady(Gatehouse gatehouse) {
        long deadline = System.nanoTime() + AUDIT_WAIT.toNanos();
        while (!gatehouse.cacheReady()) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("the cache's disk index was not rebuilt in " + AUDIT_WAIT);
            pause();
        }
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    Gatehouse gatehouse() { return gatehouse; }

    InetSocketAddress proxyAddress() { return gatehouse.proxyAddress(); }

    int proxyPort() { return gatehouse.proxyAddress().getPort(); }

    /** The TLS proxy listener's address (a test enables it with a {@code tls} section), or null. */
    InetSocketAddress tlsProxyAddress() { return gatehouse.tlsProxyAddress(); }

    /** A JDK client configured to use this proxy for every URL (HTTP/1.1, no redirects). */
    synchronized HttpClient client() {
        if (client == null) {
            client = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .proxy(ProxySelector.of(proxyAddress()))
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .connectTimeout(Duration.ofSeconds(10))
                    .build();
        }
        return client;
    }

    /** A raw socket connected to the proxy, with a read timeout so a missing answer fails the test. */
    Socket socket() throws IOException {
        Socket s = new Socket(proxyAddress().getAddress(), proxyPort());
        s.setSoTimeout(15_000);
        return s;
    }

    /** Every audit record written so far, oldest first. */
    List<JsonNode> records() {
        List<String> lines;
        try {
            lines = Files.readAllLines(gatehouse.auditFile(), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<JsonNode> out = new ArrayList<>(lines.size());
        for (String line : lines) {
            if (line.isEmpty()) continue;
            try {
                out.add(JSON.readTree(line));
            } catch (IOException e) {
                // The writer may be in the middle of the last line; anything else is a real failure.
                if (line == lines.getLast()) break;
                throw new AssertionError("audit line is not JSON: " + line, e);
            }
        }
        return out;
    }

    /** Waits (bounded) until at least {@code n} records exist and returns them all. */
    List<JsonNode> awaitRecords(int n) {
        long deadline = System.nanoTime() + AUDIT_WAIT.toNanos();
        List<JsonNode> r = records();
        while (r.size() < n) {
            if (System.nanoTime() > deadline) fail("expected " + n + " audit records, found " + r.size() + ": " + r);
            pause();
            r = records();
        }
        return r;
    }

    /**
     * The result codes of the first {@code n} records, in the order their requests arrived (the request id's
     * counter): records are written when an access ends, so a hit answered on the IO thread can be written before
     * the record of the request just before it, whose worker thread is still letting go of it.
     */
    List<String> resultsInArrivalOrder(int n) {
        return awaitRecords(n).stream()
                .sorted(Comparator.comparingLong(r -> Long.parseLong(r.get("requestId").asText().substring(6), 36)))
                .map(r -> r.get("result").asText()).toList();
    }

    /** Waits (bounded) for the single record the test produced and checks that it is the only one. */
    JsonNode awaitOnlyRecord() {
        List<JsonNode> r = awaitRecords(1);
        assertEquals(1, r.size(), () -> "expected one audit record: " + r);
        return r.getFirst();
    }

    /** Waits (bounded) for a record matching {@code match}. */
    JsonNode awaitRecord(Predicate<JsonNode> match) {
        long deadline = System.nanoTime() + AUDIT_WAIT.toNanos();
        while (true) {
            List<JsonNode> r = records();
            for (JsonNode n : r) if (match.test(n)) return n;
            if (System.nanoTime() > deadline) fail("no matching audit record among " + r);
            pause();
        }
    }

    /** Every event logged since the start, as "LEVEL logger: message". */
    List<String> logged() {
        synchronized (logs) {
            return logs.list.stream().map(e -> e.getLevel() + " " + e.getLoggerName() + ": " + e.getFormattedMessage()).toList();
        }
    }

    /** Events logged above INFO since the start, as "LEVEL logger: message". */
    List<String> warnings() {
        synchronized (logs) {
            return logs.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                    .map(e -> e.getLevel() + " " + e.getLoggerName() + ": " + e.getFormattedMessage()).toList();
        }
    }

    /**
     * Takes the events logged above INFO so far out of the close() check, returning them: for a test
     * whose subject is an operator error that must be logged (a broken policy reload, say).
     */
    List<String> takeWarnings() {
        synchronized (logs) {
            List<String> taken = warnings();
            logs.list.removeIf(e -> e.getLevel().isGreaterOrEqual(Level.WARN));
            return taken;
        }
    }

    void assertNothingLoggedAboveInfo() {
        assertEquals(List.of(), warnings(), "normal traffic must log nothing above INFO");
    }

    static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /**
     * Stops the proxy (drain, audit flushed), removes the data dir, and fails the test if anything was
     * logged above INFO from start to stop: denied, failed and aborted accesses are everyday traffic for
     * a proxy and belong in the audit log, not in the operator's error log.
     */
    @Override
    public void close() {
        List<String> warnings;
        try {
            if (client != null) client.shutdownNow();
            gatehouse.close();
        } finally {
            warnings = warnings();
            root().detachAppender(logs);
            deleteTree(dataDir);
        }
        assertEquals(List.of(), warnings, "nothing may be logged above INFO");
    }

    /** Stops the proxy but keeps the data dir, so the test can read the final audit log. */
    void stop() {
        gatehouse.close();
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp dir is harmless
        }
    }
}
