package dev.gatehouse.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real client administrators try first: {@code curl -x} for a plain GET, an upload large enough
 * for curl to send {@code Expect: 100-continue}, HTTPS through CONNECT, and a refused destination.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CurlSmokeIT {
    private final MockWebServer origin = new MockWebServer();
    private GatehouseFixture proxy;
    @TempDir
    Path tmp;

    @BeforeEach
    void start() throws IOException {
        origin.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    @AfterEach
    void stop() {
        if (proxy != null) proxy.close();
        origin.close();
    }

    private Curl.Result curl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("-x", "http://127.0.0.1:" + proxy.proxyPort()));
        command.addAll(List.of(args));
        return Curl.run(tmp, command);
    }

    @Test
    void curlGetsAPagePostsAnUploadAndIsRefusedTheProxyItself() throws Exception {
        proxy = GatehouseFixture.start();
        origin.enqueue(new MockResponse.Builder().addHeader("Content-Type", "text/plain").body("hello curl").build());
        origin.enqueue(new MockResponse.Builder().body("got it").build());
        String base = "http://127.0.0.1:" + origin.getPort();

        Curl.Result get = curl("-i", base + "/hello");
        assertEquals(0, get.exit(), get.err());
        assertTrue(get.out().startsWith("HTTP/1.1 200"), get.out());
        assertTrue(get.out().toLowerCase().contains("via: 1.1 gatehouse"), get.out());
        assertTrue(get.out().endsWith("hello curl"), get.out());
        RecordedRequest seen = origin.takeRequest(10, TimeUnit.SECONDS);
        assertNotNull(seen);
        assertEquals(null, seen.getHeaders().get("Proxy-Connection"));

        byte[] upload = new byte[3 << 20]; // above curl's threshold for Expect: 100-continue
        new Random(1).nextBytes(upload);
        Path file = tmp.resolve("upload.bin");
        Files.write(file, upload);
        Curl.Result post = curl("-o", "/dev/null", "-w", "%{http_code}", "--data-binary", "@" + file, base + "/upload");
        assertEquals(0, post.exit(), post.err());
        assertEquals("200", post.out());
        RecordedRequest uploaded = origin.takeRequest(10, TimeUnit.SECONDS);
        assertNotNull(uploaded);
        assertEquals(upload.length, uploaded.getBodySize());

        Curl.Result self = curl("-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:" + proxy.proxyPort() + "/");
        assertEquals(0, self.exit(), self.err());
        assertEquals("403", self.out());

        List<JsonNode> records = proxy.awaitRecords(3);
        assertEquals(List.of(200, 200, 403), records.stream().map(r -> r.get("status").asInt()).toList());
        assertEquals(List.of("GET", "POST", "GET"), records.stream().map(r -> r.get("method").asText()).toList());
    }

    @Test
    void curlTunnelsHttpsThroughConnect() throws Exception {
        HeldCertificate certificate = new HeldCertificate.Builder().addSubjectAlternativeName("127.0.0.1").build();
        MockWebServer tls = new MockWebServer();
        try (tls) {
            tls.useHttps(new HandshakeCertificates.Builder().heldCertificate(certificate).build().sslSocketFactory());
            tls.start(InetAddress.getByName("127.0.0.1"), 0);
            tls.enqueue(new MockResponse.Builder().body("secure hello").build());
            proxy = GatehouseFixture.start(c -> c.withObject("/destinations").putArray("connectPorts").add(tls.getPort()));
            Path ca = tmp.resolve("origin.pem");
            Files.writeString(ca, certificate.certificatePem());

            Curl.Result r = curl("--cacert", ca.toString(), "https://127.0.0.1:" + tls.getPort() + "/s");

            assertEquals(0, r.exit(), r.err());
            assertEquals("secure hello", r.out());
        }
        JsonNode record = proxy.awaitOnlyRecord();
        assertEquals("CONNECT", record.get("method").asText());
        assertEquals("TCP_TUNNEL", record.get("result").asText());
    }
}
