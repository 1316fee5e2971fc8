package dev.gatehouse.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.app.Gatehouse;
import dev.gatehouse.config.ConfigLoader;
import dev.gatehouse.pac.PacFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin listener over real sockets, with real traffic through the proxy feeding its figures. */
class AdminServerTest {
    /** The policy shipped in policies/ (blocks the sample gambling and malware lists). */
    static final Path SHIPPED_POLICY = Path.of(System.getProperty("gatehouse.repo", "."), "policies", "default.json").toAbsolutePath();

    @TempDir
    Path dir;

    private TestOrigin origin;
    private Gatehouse gatehouse;
    private final HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void stop() {
        if (gatehouse != null) gatehouse.close();
        if (origin != null) origin.close();
    }

    private void start(String extraConfig) throws Exception {
        origin = new TestOrigin();
        String json = """
                {"listen": "127.0.0.1:0", "admin": "127.0.0.1:0", "dataDir": "%s",
                 "destinations": {"allowPrivate": ["127.0.0.0/8"], "connectPorts": [%d]},
                 "audit": {"format": "squid"},
                 "policy": {"file": "%s", "watch": false} %s}
                """.formatted(dir.toString().replace("\\", "\\\\"), origin.port(), SHIPPED_POLICY.toString().replace("\\", "\\\\"), extraConfig);
        gatehouse = Gatehouse.start(new ConfigLoader().load("test", json, Map.of()));
    }

    @Test
    void metricsAndStatsCountTheTrafficTheAuditLogRecords() throws Exception {
        start("");
        HttpClient viaProxy = HttpClient.newBuilder().proxy(ProxySelector.of(gatehouse.proxyAddress()))
                .connectTimeout(Duration.ofSeconds(5)).build();
        for (String path : new String[] {"/page.html", "/page.html", "/missing"}) {
            HttpResponse<String> r = viaProxy.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + origin.port() + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(path.equals("/missing") ? 404 : 200, r.statusCode());
        }
        HttpResponse<String> blocked = viaProxy.send(HttpRequest.newBuilder(URI.create("http://www.casino.example/poker")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, blocked.statusCode());
        awaitWritten(4);

        String metrics = get("/metrics", null).body();
        assertTrue(metrics.contains("proxy_requests_total{method=\"GET\",result=\"TCP_MISS\",status_class=\"2xx\"} 2.0"), metrics);
        assertTrue(metrics.contains("proxy_requests_total{method=\"GET\",result=\"TCP_MISS\",status_class=\"4xx\"} 1.0"), metrics);
        assertTrue(metrics.contains("proxy_request_duration_seconds_bucket{outcome=\"miss\",le=\"60.0\"} 3"), metrics);
        assertTrue(metrics.contains("proxy_bytes_total{direction=\"to_client\",outcome=\"miss\"}"), metrics);
        assertTrue(metrics.contains("proxy_tunnels_active 0.0"), metrics);
        assertTrue(metrics.contains("proxy_audit_queue_depth"), metrics);
        assertTrue(metrics.contains("proxy_cache_hit_ratio 0.0"), metrics);
        assertTrue(metrics.contains("jvm_memory_used_bytes"), metrics);
        assertTrue(metrics.contains("proxy_blocks_total{category=\"gambling\",rule=\"no-gambling\"} 1.0"), metrics);
        assertTrue(metrics.contains("proxy_requests_total{method=\"GET\",result=\"TCP_DENIED\",status_class=\"4xx\"} 1.0"), metrics);

        JsonNode stats = new ObjectMapper().readTree(get("/stats", null).body());
        assertEquals(4, stats.at("/totals/requests").asLong());
        assertEquals(3, stats.at("/totals/misses").asLong());
        assertEquals(0, stats.at("/totals/hits").asLong());
        assertEquals(1, stats.at("/totals/blocked").asLong());
        assertEquals("gambling", stats.at("/topBlockedCategories/0/name").asText());
        assertEquals("www.casino.example", stats.at("/topBlockedHosts/0/name").asText());
        assertEquals("127.0.0.1", stats.at("/topClients/0/name").asText());
        assertEquals(4, stats.at("/topClients/0/count").asLong());
        assertEquals(TrafficStats.WINDOW_MINUTES * 60 / TrafficStats.BUCKET_SECONDS, stats.at("/rates/series").size());
        assertEquals("memory", stats.at("/cache/tiers/0/name").asText(), stats::toString);
        assertEquals("disk", stats.at("/cache/tiers/1/name").asText(), stats::toString);
        assertEquals(268435456, stats.at("/cache/tiers/0/maxBytes").asLong());
        assertEquals("default", stats.at("/policy/name").asText());
        assertTrue(stats.at("/policy/lastReloadApplied").asBoolean());
        assertTrue(metrics.contains("proxy_policy_reload_ok 1.0"), metrics);
    }

    @Test
    void openConnectionsAndTunnelsAreShownWhileOpen() throws Exception {
        start("");
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), gatehouse.proxyAddress().getPort())) {
            client.setSoTimeout(10_000);
            client.getOutputStream().write(("CONNECT localhost:" + origin.port() + " HTTP/1.1\r\nHost: localhost\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] head = new byte[12];
            assertEquals(12, client.getInputStream().readNBytes(head, 0, 12));
            assertEquals("HTTP/1.1 200", new String(head, StandardCharsets.US_ASCII));
            JsonNode now = awaitNow(n -> n.get("activeTunnels").asInt() == 1);
            assertEquals(1, now.get("activeConnections").asInt(), now.toString());
            assertTrue(get("/metrics", null).body().contains("proxy_tunnels_active 1.0"));
        }
        JsonNode now = awaitNow(n -> n.get("activeTunnels").asInt() == 0 && n.get("activeConnections").asInt() == 0);
        assertEquals(0, now.get("activeConnections").asInt());
    }

    /** The live figures of /stats once {@code condition} holds (bounded wait: closing runs on IO threads). */
    private JsonNode awaitNow(java.util.function.Predicate<JsonNode> condition) throws Exception {
        JsonNode now = null;
        for (int i = 0; i < 200; i++) {
            now = new ObjectMapper().readTree(get("/stats", null).body()).get("now");
            if (condition.test(now)) return now;
            Thread.sleep(10);
        }
        throw new AssertionError("live figures never reached the expected state: " + now);
    }

    @Test
    void pacAndDashboardAreServedOnTheAdminListener() throws Exception {
        start("");
        for (String path : new String[] {"/proxy.pac", "/wpad.dat"}) {
            HttpResponse<String> pac = get(path, null);
            assertEquals(200, pac.statusCode());
            assertEquals(PacFile.CONTENT_TYPE, pac.headers().firstValue("Content-Type").orElse(""));
            assertTrue(pac.body().contains("function FindProxyForURL"), pac.body());
        }
        HttpResponse<String> dashboard = get("/", null);
        assertEquals(200, dashboard.statusCode());
        assertTrue(dashboard.body().contains("<title>Gatehouse"), dashboard.body());
        assertEquals(404, get("/nope", null).statusCode());
    }

    @Test
    void credentialsGuardMetricsStatsAndDashboardButNotHealthOrPac() throws Exception {
        start(", \"adminAuth\": {\"token\": \"0123456789abcdef0123\", \"user\": \"ops\", \"password\": \"s3cret\"}");
        for (String path : new String[] {"/metrics", "/stats", "/", "/dashboard"}) {
            HttpResponse<String> denied = get(path, null);
            assertEquals(401, denied.statusCode(), path);
            assertTrue(denied.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic realm="), path);
            assertEquals(401, get(path, "Bearer wrong-token-wrong-token").statusCode(), path);
            assertEquals(401, get(path, basic("ops", "wrong")).statusCode(), path);
            assertEquals(200, get(path, "Bearer 0123456789abcdef0123").statusCode(), path);
            assertEquals(200, get(path, basic("ops", "s3cret")).statusCode(), path);
        }
        for (String path : new String[] {"/healthz", "/readyz", "/proxy.pac", "/wpad.dat"}) {
            assertEquals(200, get(path, null).statusCode(), path);
        }
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> get(String path, String authorization) throws Exception {
        InetSocketAddress admin = gatehouse.adminAddress();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.getPort() + path)).timeout(Duration.ofSeconds(10));
        if (authorization != null) b.header("Authorization", authorization);
        return plain.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Records are counted right after the exchange completes, which may be just after the client saw the response. */
    private void awaitWritten(long n) throws Exception {
        for (int i = 0; i < 200; i++) {
            JsonNode stats = new ObjectMapper().readTree(get("/stats", null).body());
            if (stats.at("/totals/requests").asLong() >= n) return;
            Thread.sleep(10);
        }
        throw new AssertionError("fewer than " + n + " accesses were counted within 2 s");
    }
}
