package dev.gatehouse.admin;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Gatehouse run as its own process ({@code java ... dev.gatehouse.app.Main run --config FILE}), the way an
 * administrator runs it, with a private hosts file ({@code -Djdk.net.hosts.file}) so that test host names
 * such as {@code origin.gatehouse.test} resolve to loopback for the proxy only, without touching
 * {@code /etc/hosts}. Browsers bypass proxies for loopback names and addresses, so a browser test needs
 * such a name.
 */
final class GatehouseProcess implements AutoCloseable {
    private final Process process;
    private final Path output;
    final int proxyPort;
    final int adminPort;
    final Path auditLog;

    private GatehouseProcess(Process process, Path output, int proxyPort, int adminPort, Path auditLog) {
        this.process = process;
        this.output = output;
        this.proxyPort = proxyPort;
        this.adminPort = adminPort;
        this.auditLog = auditLog;
    }

    /**
     * Starts Gatehouse with {@code configJson}, in which {@code PROXY_PORT}, {@code ADMIN_PORT} and
     * {@code DATA_DIR} are replaced, and waits until {@code /readyz} answers.
     *
     * @param proxyPort a free port for the proxy listener (see {@link #freePort()})
     * @param hosts lines of the hosts file the proxy resolves names with
     */
    static GatehouseProcess start(Path dir, int proxyPort, String configJson, List<String> hosts) throws Exception {
        int adminPort = freePort();
        Path data = Files.createDirectories(dir.resolve("data"));
        Path config = dir.resolve("gatehouse.json");
        Files.writeString(config, configJson.replace("PROXY_PORT", String.valueOf(proxyPort))
                .replace("ADMIN_PORT", String.valueOf(adminPort)).replace("DATA_DIR", data.toString()));
        Path hostsFile = dir.resolve("hosts");
        Files.write(hostsFile, hosts);
        Path output = dir.resolve("gatehouse.out");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-Djdk.net.hosts.file=" + hostsFile, "-Djdk.httpclient.allowRestrictedHeaders=host",
                "-cp", System.getProperty("java.class.path"), "dev.gatehouse.app.Main", "run", "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        GatehouseProcess g = new GatehouseProcess(p, output, proxyPort, adminPort, data.resolve("log/access.log"));
        g.awaitReady();
        return g;
    }

    private void awaitReady() throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        for (int i = 0; i < 300; i++) {
            if (!process.isAlive()) throw new AssertionError("gatehouse exited with " + process.exitValue() + ":\n" + output());
            try {
                HttpResponse<Void> r = client.send(HttpRequest.newBuilder(URI.create(admin("/readyz")))
                        .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) return;
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("gatehouse not ready within 30 s:\n" + output());
    }

    String admin(String path) {
        return "http://127.0.0.1:" + adminPort + path;
    }

    String proxy(String path) {
        return "http://127.0.0.1:" + proxyPort + path;
    }

    /** The audit log's lines, waiting (bounded) until one contains {@code expected}. */
    List<String> auditLinesOnceContaining(String expected) throws Exception {
        List<String> lines = List.of();
        for (int i = 0; i < 100; i++) {
            lines = Files.exists(auditLog) ? Files.readAllLines(auditLog, StandardCharsets.UTF_8) : List.of();
            if (lines.stream().anyMatch(l -> l.contains(expected))) return lines;
            Thread.sleep(50);
        }
        throw new AssertionError("no audit line contains '" + expected + "' within 5 s; the log has:\n" + String.join("\n", lines));
    }

    String output() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** SIGTERM (graceful: the audit log is flushed), then a kill if it does not stop in time. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
