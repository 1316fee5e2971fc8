package dev.gatehouse.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.listener.TestCertificates;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.SSLSocket;
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
 * The TLS proxy listener ({@code tls.listen}) through real sockets: curl with {@code --proxy https://},
 * TLS-in-TLS to an https origin, a JDK {@link SSLSocket} tunnelling to an echo origin with half-close,
 * failed handshakes (an untrusted proxy certificate, plain HTTP, a stalled hello) audited once each with
 * one summarising warning, connections without a request left out of the audit, start-up errors, and the
 * certificate swapped while running. The test CA
 * and certificates are made fresh by okhttp-tls for each run and written as PEM files to a temp dir.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsListenerIT {
    private static final HeldCertificate CA = TestCertificates.ca("Gatehouse Test CA");
    private final MockWebServer origin = new MockWebServer();
    private GatehouseFixture proxy;
    private RawOrigin rawOrigin;
    @TempDir
    Path tmp;
    private Path cert;
    private Path key;
    private Path caPem;

    @BeforeEach
    void start() throws IOException {
        origin.start(InetAddress.getByName("127.0.0.1"), 0);
        cert = tmp.resolve("proxy.crt");
        key = tmp.resolve("proxy.key");
        caPem = tmp.resolve("ca.pem");
        TestCertificates.write(caPem, CA.certificatePem());
    }

    @AfterEach
    void stop() throws IOException {
        if (proxy != null) proxy.close();
        if (rawOrigin != null) rawOrigin.close();
        origin.close();
    }

    /** Starts Gatehouse with the TLS listener on an ephemeral port, serving the pair in {@code cert}/{@code key}. */
    private GatehouseFixture startTlsProxy(int... connectPorts) {
        return startTlsProxy(c -> { }, connectPorts);
    }

    private GatehouseFixture startTlsProxy(Consumer<ObjectNode> customise, int... connectPorts) {
        return GatehouseFixture.start(c -> {
            var ports = c.withObject("/destinations").putArray("connectPorts");
            for (int p : connectPorts) ports.add(p);
            c.putObject("tls").put("listen", "127.0.0.1:0").put("certificateFile", cert.toString())
                    .put("keyFile", key.toString()).put("reloadCheck", "50ms");
            customise.accept(c);
        });
    }

    private Curl.Result curlViaTlsProxy(Path proxyCa, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("--proxy", "https://127.0.0.1:" + proxy.tlsProxyAddress().getPort(),
                "--proxy-cacert", proxyCa.toString()));
        command.addAll(List.of(args));
        return Curl.run(tmp, command);
    }

    /** A TLS connection to the proxy's TLS listener, trusting the test CA, handshake done. */
    private SSLSocket tlsSocket(String... protocols) throws IOException {
        HandshakeCertificates trust = new HandshakeCertificates.Builder().addTrustedCertificate(CA.certificate()).build();
        InetSocketAddress a = proxy.tlsProxyAddress();
        SSLSocket s = (SSLSocket) trust.sslSocketFactory().createSocket(a.getAddress(), a.getPort());
        s.setSoTimeout(15_000);
        if (protocols.length > 0) s.setEnabledProtocols(protocols);
        s.startHandshake();
        return s;
    }

    private long servedSerial() throws IOException {
        try (SSLSocket s = tlsSocket()) {
            return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSerialNumber().longValueExact();
        }
    }

    /** Replaces a file the way renewal tools do: a new file renamed over the old one. */
    private void replace(Path file, String text) throws IOException {
        Path next = Files.createTempFile(tmp, "next", ".pem");
        TestCertificates.write(next, text);
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void curlGetsAPageThroughTheTlsProxyAndTheAuditCountsHttpBytes() throws Exception {
        TestCertificates.write(cert, key, TestCertificates.server(CA, 1, false), CA);
        proxy = startTlsProxy(443);
        origin.enqueue(new MockResponse.Builder().addHeader("Content-Type", "text/plain").body("hello over tls").build());

        Curl.Result r = curlViaTlsProxy(caPem, "-w", "\n%{size_request} %{size_header} %{size_download}",
                "http://127.0.0.1:" + origin.getPort() + "/hello");

        assertEquals(0, r.exit(), r.err());
        String[] lines = r.out().split("\n");
        assertEquals("hello over tls", lines[0]);
        RecordedRequest seen = origin.takeRequest(10, TimeUnit.SECONDS);
        assertNotNull(seen);
        assertEquals("/hello", seen.getTarget());
        JsonNode record = proxy.awaitOnlyRecord();
        assertEquals("GET", record.get("method").asText());
        assertEquals(200, record.get("status").asInt());
        assertEquals("http://127.0.0.1:" + origin.getPort() + "/hello", record.get("url").asText());
        // The tap sits above TLS: the record counts the HTTP bytes curl sent and received, not TLS records.
        String[] sizes = lines[1].split(" ");
        assertEquals(Long.parseLong(sizes[0]), record.get("bytesFromClient").asLong(), record::toString);
        assertEquals(Long.parseLong(sizes[1]) + Long.parseLong(sizes[2]), record.get("bytesToClient").asLong(), record::toString);
    }

    @Test
    void curlTunnelsHttpsInsideTheTlsProxyConnection() throws Exception {
        TestCertificates.write(cert, key, TestCertificates.server(CA, 1, false), CA);
        HeldCertificate originCertificate = new HeldCertificate.Builder().addSubjectAlternativeName("127.0.0.1").build();
        MockWebServer https = new MockWebServer();
        try (https) {
            https.useHttps(new HandshakeCertificates.Builder().heldCertificate(originCertificate).build().sslSocketFactory());
            https.start(InetAddress.getByName("127.0.0.1"), 0);
            https.enqueue(new MockResponse.Builder().body("tls in tls").build());
            proxy = startTlsProxy(https.getPort());
            Path originCa = tmp.resolve("origin.pem");
            TestCertificates.write(originCa, originCertificate.certificatePem());

            Curl.Result r = curlViaTlsProxy(caPem, "--cacert", originCa.toString(), "https://127.0.0.1:" + https.getPort() + "/s");

            assertEquals(0, r.exit(), r.err());
            assertEquals("tls in tls", r.out());
            RecordedRequest seen = https.takeRequest(10, TimeUnit.SECONDS);
            assertNotNull(seen);
            assertNotNull(seen.getHandshake(), "the origin saw its own TLS session inside the proxy's");
        }
        JsonNode record = proxy.awaitOnlyRecord();
        assertEquals("CONNECT", record.get("method").asText());
        assertEquals("TCP_TUNNEL", record.get("result").asText());
        assertTrue(record.get("bytesToClient").asLong() > 500, "the origin's handshake is counted: " + record);
    }

    @Test
    void aJdkClientTunnelsThroughTheTlsProxyAndHalfCloses() throws Exception {
        TestCertificates.write(cert, key, TestCertificates.server(CA, 1, true), CA);
        rawOrigin = ConnectTunnelIT.echoOrigin(InetAddress.getLoopbackAddress());
        proxy = startTlsProxy(rawOrigin.port());
        byte[] payload = new byte[300_000];
        new Random(11).nextBytes(payload);
        String authority = "127.0.0.1:" + rawOrigin.port();
        String head = "CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n";

        byte[] back;
        try (SSLSocket s = tlsSocket(); RawConnection c = new RawConnection(s)) {
            assertEquals("TLSv1.3", s.getSession().getProtocol());
            c.send(head);
            assertEquals(200, c.readHead().status());
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    s.getOutputStream().write(payload);
                    s.shutdownOutput(); // TLS 1.3 close_notify closes one direction only (RFC 8446 §6.1)
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            c.input().transferTo(out);
            back = out.toByteArray();
            writer.join(10_000);
        }

        byte[] bye = ("bye after " + payload.length).getBytes(StandardCharsets.US_ASCII);
        assertEquals(payload.length + bye.length, back.length);
        assertArrayEquals(payload, java.util.Arrays.copyOf(back, payload.length));
        assertArrayEquals(bye, java.util.Arrays.copyOfRange(back, payload.length, back.length));
        JsonNode record = proxy.awaitOnlyRecord();
        assertEquals("TCP_TUNNEL", record.get("result").asText());
        assertEquals(head.length() + payload.length, record.get("bytesFromClient").asLong(), record::toString);
    }

    @Test
    void tls12IsServedAndAnAbsoluteFormGetWorksOnARawSocket() throws Exception {
        TestCertificates.write(cert, key, TestCertificates.server(CA, 1, false), CA);
        proxy = startTlsProxy(443);
        origin.enqueue(new MockResponse.Builder().body("over 1.2").build());

        RawConnection.Response page;
        try (SSLSocket s = tlsSocket("TLSv1.2"); RawConnection c = new RawConnection(s)) {
            assertEquals("TLSv1.2", s.getSession().getProtocol());
            String url = "http://127.0.0.1:" + origin.getPort() + "/raw";
            page = c.send("GET " + url + " HTTP/1.1\r\nHost: 127.0.0.1:" + origin.getPort() + "\r\nConnection: close\r\n\r\n").readResponse();
        }

        assertEquals(200, page.status());
        assertEquals("over 1.2", page.text());
        assertEquals(200, proxy.awaitOnlyRecord().get("status").asInt());
    }

    /** The 103 is written beneath Undertow's response conduit: on this listener that is above TLS, and counted. */
    @Test
    void earlyHintsReachAClientOfTheTlsListenerAndAreCounted() throws Exception {
        TestCertificates.write(cert, key, TestCertificates.server(CA, 1, false), CA);
        rawOrigin = new RawOrigin((s, index, o) -> {
            RawOrigin.readHead(s.getInputStream());
            RawOrigin.write(s, "HTTP/1.1 103 Early Hints\r\nLink: </s.css>; rel=preload\r\n\r\n"
                    + "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello");
        });
        proxy = startTlsProxy(443);

        long received;
        try (SSLSocket s = tlsSocket(); RawConnection c = new RawConnection(s)) {
            c.send("GET " + rawOrigin.url("/hints") + " HTTP/1.1\r\nHost: 127.0.0.1:" + rawOrigin.port() + "\r\nConnection: close\r\n\r\n");
            RawConnection.Response hints = c.readHead();
            assertEquals(103, hints.status());
            assertEquals("</s.css>; rel=preload", hints.header("Link"));
            assertEquals("hello", c.readResponse().text());
            received = c.bytesRead();
        }

        JsonNode record = proxy.awaitOnlyRecord();
        assertEquals(200, record.get("status").asInt(), record::toString);
        assertEquals(received, record.get("bytesToClient").asLong(), record::toString);
    }

    @Test
    void plainHttpOnTheTlsPortIsClosedUnansweredAndAuditedOnceAsAFailedHandshake() throws Exception {
        TestCertificates.write(cert, key, TestCertificates.server(CA, 1, false), CA);
        proxy = startTlsProxy(443);
        String request = "GET http://127.0.0.1:" + origin.getPort() + "/ HTTP/1.1\r\nHost: x\r\n\r\n";

        try (RawConnection plain = RawConnection.open(proxy.tlsProxyAddress())) {
            plain.send(request);
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            try {
                plain.input().transferTo(answer);
            } catch (java.net.SocketException reset) {
                // the proxy may reset rather than close: either way no HTTP answer
            }
            assertTrue(!answer.toString(StandardCharsets.ISO_8859_1).startsWith("HTTP/"), answer::toString);
        }
        proxy.stop(); // every connection closed and every record written: the count below is final

        List<JsonNode> records = proxy.records();
        assertEquals(1, records.size(), records::toString);
        assertHandshakeFailure(records.getFirst());
        assertEquals(request.length(), records.getFirst().get("bytesFromClient").asLong(), "the raw bytes the client sent");
        assertEquals(0, origin.getRequestCount());
        assertOneHandshakeWarning();
    }

    @Test
    void theTlsPortServesThePacFileAndRefusesItself() throws Exception {
        TestCertificates.write(cert, key, TestCertificates.server(CA, 1, false), CA);
        proxy = startTlsProxy(443);

        RawConnection.Response pac;
        try (SSLSocket s = tlsSocket(); RawConnection c = new RawConnection(s)) {
            pac = c.send("GET /proxy.pac HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").readResponse();
        }

        RawConnection.Response self;
        String selfUrl = "http://127.0.0.1:" + proxy.tlsProxyAddress().getPort() + "/";
        try (SSLSocket s = tlsSocket(); RawConnection c = new RawConnection(s)) {
            self = c.send("GET " + selfUrl + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").readResponse();
        }

        assertEquals(200, pac.status());
        assertTrue(pac.text().contains("function FindProxyForURL"), pac.text());
        assertEquals(403, self.status(), "the TLS listener is one of the proxy's own addresses: " + self.text());
        assertEquals(0, origin.getRequestCount());
        List<JsonNode> records = proxy.awaitRecords(2);
        assertEquals(List.of("/proxy.pac", selfUrl), records.stream().map(r -> r.get("url").asText()).toList());
    }

    @Test
    void stalledHandshakesAndSlowHeadersInsideTlsAreCutOff() throws Exception {
        TestCertificates.write(cert, key, TestCertificates.server(CA, 1, false), CA);
        proxy = startTlsProxy(c -> c.putObject("limits").put("headerReadTimeout", "1s").put("keepAliveTimeout", "1s"), 443);

        try (RawConnection stalled = RawConnection.open(proxy.tlsProxyAddress())) {
            stalled.send(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00}); // a ClientHello record header, then nothing
            assertTrue(stalled.awaitClosed(), "a handshake that never completes is cut off");
        }
        try (SSLSocket s = tlsSocket(); RawConnection slow = new RawConnection(s)) {
            slow.send("GET http://127.0.0.1:" + origin.getPort() + "/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
            assertTrue(slow.awaitClosed(), "a header that never ends is cut off after limits.headerReadTimeout");
        }

        // The tap sits above TLS, so the cut-off request is audited as on the plain listener; the cut-off
        // handshake has its own record, with the five bytes that arrived.
        proxy.stop();
        List<JsonNode> records = proxy.records();
        assertEquals(2, records.size(), records::toString);
        JsonNode handshake = records.stream().filter(r -> r.get("error").asText().startsWith("tls")).findFirst().orElseThrow();
        assertHandshakeFailure(handshake);
        assertEquals(5, handshake.get("bytesFromClient").asLong(), handshake::toString);
        JsonNode header = records.stream().filter(r -> r != handshake).findFirst().orElseThrow();
        assertEquals("NONE_NONE", header.get("result").asText(), header::toString);
        assertEquals("transaction_end_before_headers", header.get("error").asText(), header::toString);
        assertEquals(0, origin.getRequestCount());
        assertOneHandshakeWarning();
    }

    @Test
    void curlRefusesAProxyWhoseCertificateItsCaDidNotSign() throws Exception {
        TestCertificates.write(cert, key, TestCertificates.server(CA, 1, false), CA);
        proxy = startTlsProxy(443);
        Path otherCa = tmp.resolve("other-ca.pem");
        TestCertificates.write(otherCa, TestCertificates.ca("Someone Else").certificatePem());
        origin.enqueue(new MockResponse.Builder().body("trusted").build());
        String url = "http://127.0.0.1:" + origin.getPort() + "/";

        Curl.Result refused = curlViaTlsProxy(otherCa, url);
        Curl.Result refusedAgain = curlViaTlsProxy(otherCa, url);
        HandshakeCertificates otherTrust = new HandshakeCertificates.Builder()
                .addTrustedCertificate(TestCertificates.ca("Someone Else Again").certificate()).build();
        InetSocketAddress a = proxy.tlsProxyAddress();
        try (SSLSocket jdk = (SSLSocket) otherTrust.sslSocketFactory().createSocket(a.getAddress(), a.getPort())) {
            jdk.setSoTimeout(15_000);
            assertThrows(javax.net.ssl.SSLHandshakeException.class, jdk::startHandshake);
        }
        Curl.Result trusted = curlViaTlsProxy(caPem, url);

        assertEquals(60, refused.exit(), "curl's 'peer certificate cannot be authenticated': " + refused.err());
        assertEquals(60, refusedAgain.exit(), refusedAgain.err());
        assertEquals(0, trusted.exit(), trusted.err());
        assertEquals("trusted", trusted.out());
        assertEquals(1, origin.getRequestCount(), "the refused handshakes sent nothing on");
        proxy.stop(); // every connection closed and every record written: the counts below are final

        // Each refused handshake is one access that failed: one record each, beside the trusted request's.
        List<JsonNode> records = proxy.records();
        assertEquals(4, records.size(), records::toString);
        List<JsonNode> failed = records.stream().filter(r -> !r.get("error").isNull()).toList();
        assertEquals(3, failed.size(), records::toString);
        for (JsonNode r : failed) {
            assertHandshakeFailure(r);
            assertTrue(r.get("bytesFromClient").asLong() > 100, "a ClientHello at least: " + r);
            assertTrue(r.get("bytesToClient").asLong() > 300, "our certificate went out: " + r);
        }
        JsonNode served = records.stream().filter(r -> r.get("error").isNull()).findFirst().orElseThrow();
        assertEquals(200, served.get("status").asInt(), served::toString);
        // Three failures, one warning: the rest are in the audit log and at DEBUG.
        List<String> warnings = assertOneHandshakeWarning();
        assertTrue(warnings.getFirst().contains("from 127.0.0.1: "), warnings::toString);
        assertTrue(warnings.getFirst().contains("unknown_ca"), "curl's alert is named: " + warnings);
    }

    @Test
    void aConnectionThatSendsNoByteAndACompletedHandshakeWithoutARequestLeaveNoRecord() throws Exception {
        TestCertificates.write(cert, key, TestCertificates.server(CA, 1, false), CA);
        proxy = startTlsProxy(443);
        origin.enqueue(new MockResponse.Builder().body("after the probes").build());

        try (RawConnection probe = RawConnection.open(proxy.tlsProxyAddress())) {
            probe.socket().shutdownOutput(); // a TCP health check: connect, close, no byte
            assertTrue(probe.awaitClosed(), "the proxy closes its side too");
        }
        assertEquals(1, servedSerial(), "a full handshake, then the client closes without a request");
        Curl.Result good = curlViaTlsProxy(caPem, "http://127.0.0.1:" + origin.getPort() + "/good");
        assertEquals(0, good.exit(), good.err());
        proxy.awaitRecord(r -> r.get("url").asText().endsWith("/good"));
        proxy.stop(); // the probes' connections are closed by now at the latest, and their records (if any) written

        List<JsonNode> records = proxy.records();
        assertEquals(1, records.size(), "only the request is an access: " + records);
        assertEquals(200, records.getFirst().get("status").asInt(), records::toString);
        assertTrue(records.getFirst().get("error").isNull(), records::toString);
    }

    /** A failed handshake's record: nothing parsed or answered, as Squid logs an unreadable request. */
    private static void assertHandshakeFailure(JsonNode r) {
        assertEquals("NONE_NONE", r.get("result").asText(), r::toString);
        assertEquals(0, r.get("status").asInt(), r::toString);
        assertEquals("error:tls-handshake-failed", r.get("url").asText(), r::toString);
        assertEquals("tls_handshake_failed", r.get("error").asText(), r::toString);
        assertEquals("127.0.0.1", r.get("client").asText(), r::toString);
        assertTrue(r.get("method").isNull(), r::toString);
        assertEquals("HIER_NONE", r.get("hierarchy").asText(), r::toString);
    }

    /** Takes the warnings out of the close() check: exactly one, the TLS summary, however many handshakes failed. */
    private List<String> assertOneHandshakeWarning() {
        List<String> warnings = proxy.takeWarnings();
        assertEquals(1, warnings.size(), warnings::toString);
        assertTrue(warnings.getFirst().startsWith("WARN dev.gatehouse.listener.TlsWatchedEngine: tls: "), warnings::toString);
        return warnings;
    }

    @Test
    void startFailsNamingTheFileAndTheProblem() {
        HeldCertificate leaf = TestCertificates.server(CA, 1, false);
        TestCertificates.write(cert, leaf.certificatePem());
        TestCertificates.write(key, leaf.privateKeyPkcs8Pem().replace("M", "!"));
        assertTrue(startFailure().contains("tls: " + key + ": "));

        TestCertificates.write(key, TestCertificates.server(CA, 2, false).privateKeyPkcs8Pem());
        assertTrue(startFailure().contains("tls: " + cert + ": certificate does not match key " + key));
    }

    private String startFailure() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> proxy = startTlsProxy(443));
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().startsWith("tls: ")) return t.getMessage();
        }
        return fail("no tls error in the cause chain", e);
    }

    @Test
    void aReplacedPairIsServedToNewHandshakesAndABrokenOneIsLoggedAndIgnored() throws Exception {
        TestCertificates.write(cert, key, TestCertificates.server(CA, 1, false), CA);
        proxy = startTlsProxy(443);
        origin.enqueue(new MockResponse.Builder().body("on the old session").build());
        assertEquals(1, servedSerial());

        try (SSLSocket before = tlsSocket(); RawConnection c = new RawConnection(before)) {
            HeldCertificate next = TestCertificates.server(CA, 2, true);
            replace(cert, next.certificatePem() + CA.certificatePem());
            replace(key, next.privateKeyPkcs8Pem());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (servedSerial() != 2) {
                if (System.nanoTime() > deadline) fail("the new certificate was not served within 15 s");
                GatehouseFixture.pause();
            }
            // The connection made before the swap keeps its session and still works.
            String url = "http://127.0.0.1:" + origin.getPort() + "/old";
            RawConnection.Response r = c.send("GET " + url + " HTTP/1.1\r\nHost: 127.0.0.1:" + origin.getPort()
                    + "\r\nConnection: close\r\n\r\n").readResponse();
            assertEquals(200, r.status());
            assertEquals("on the old session", r.text());
            assertEquals(1, ((X509Certificate) before.getSession().getPeerCertificates()[0]).getSerialNumber().longValueExact());
        }

        replace(key, "-----BEGIN PRIVATE KEY-----\nnot base64 at all!\n-----END PRIVATE KEY-----\n");
        List<String> warnings = awaitWarning(key.toString());
        assertEquals(1, warnings.size(), warnings::toString);
        assertTrue(warnings.getFirst().startsWith("ERROR dev.gatehouse.listener.TlsReloader: tls: " + key + ": "), warnings::toString);
        assertEquals(2, servedSerial(), "the broken replacement is not served");
        assertEquals(200, proxy.awaitRecord(rec -> rec.get("url").asText().endsWith("/old")).get("status").asInt(),
                "the request on the pre-swap session was audited");
    }

    /** Waits (bounded) until a WARN/ERROR mentioning {@code text} was logged, and takes the warnings. */
    private List<String> awaitWarning(String text) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (proxy.warnings().stream().noneMatch(w -> w.contains(text))) {
            if (System.nanoTime() > deadline) fail("nothing logged about " + text + ": " + proxy.warnings());
            GatehouseFixture.pause();
        }
        return proxy.takeWarnings();
    }
}
