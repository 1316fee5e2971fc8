package dev.gatehouse.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * CONNECT through real sockets (after Undertow's HttpTunnelingViaConnectTestCase): a TLS origin behind
 * the tunnel, half-close, IPv6 literals, the port allow-list, the idle timeout, and the tunnel's audit
 * record with its byte counts. The TLS origin uses a throwaway certificate made by okhttp-tls for each
 * run; no keystore is stored.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConnectTunnelIT {
    private GatehouseFixture proxy;
    private RawOrigin origin;
    private MockWebServer tlsOrigin;

    @AfterEach
    void stop() throws IOException {
        if (proxy != null) proxy.close();
        if (origin != null) origin.close();
        if (tlsOrigin != null) tlsOrigin.close();
    }

    private GatehouseFixture proxyAllowingPort(int port) {
        return GatehouseFixture.start(c -> c.withObject("/destinations").putArray("connectPorts").add(443).add(port));
    }

    /** Sends CONNECT, checks the 200, and returns the bytes of the request head sent. */
    private static int connect(RawConnection c, String authority) throws IOException {
        String head = "CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n";
        c.send(head);
        RawConnection.Response established = c.readHead();
        assertEquals(200, established.status());
        return head.length();
    }

    /** An origin that echoes every byte back, and says goodbye only after the client half-closed. */
    static RawOrigin echoOrigin(InetAddress bind) throws IOException {
        return new RawOrigin(bind, (s, i, o) -> {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            byte[] b = new byte[16 * 1024];
            long total = 0;
            for (int n; (n = in.read(b)) >= 0; total += n) out.write(b, 0, n);
            out.write(("bye after " + total).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            o.post("echoed " + total);
        });
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }

    @Test
    void tunnelCarriesTlsToAnHttpsOrigin() throws Exception {
        HeldCertificate certificate = new HeldCertificate.Builder().addSubjectAlternativeName("127.0.0.1").build();
        tlsOrigin = new MockWebServer();
        tlsOrigin.useHttps(new HandshakeCertificates.Builder().heldCertificate(certificate).build().sslSocketFactory());
        tlsOrigin.start(InetAddress.getByName("127.0.0.1"), 0);
        tlsOrigin.enqueue(new MockResponse.Builder().body("secret page").build());
        proxy = proxyAllowingPort(tlsOrigin.getPort());
        String authority = "127.0.0.1:" + tlsOrigin.getPort();
        HandshakeCertificates trust = new HandshakeCertificates.Builder().addTrustedCertificate(certificate.certificate()).build();

        RawConnection.Response page;
        try (RawConnection c = RawConnection.open(proxy.proxyAddress())) {
            connect(c, authority);
            SSLSocket tls = (SSLSocket) trust.sslSocketFactory().createSocket(c.socket(), "127.0.0.1", tlsOrigin.getPort(), true);
            try (RawConnection inside = new RawConnection(tls)) {
                inside.send("GET /secure HTTP/1.1\r\nHost: " + authority + "\r\nConnection: close\r\n\r\n");
                page = inside.readResponse();
            }
        }

        assertEquals(200, page.status());
        assertEquals("secret page", page.text());
        RecordedRequest seen = tlsOrigin.takeRequest(10, TimeUnit.SECONDS);
        assertNotNull(seen);
        assertNotNull(seen.getHandshake(), "the origin saw TLS end to end");
        assertEquals("/secure", seen.getTarget());
        JsonNode record = proxy.awaitOnlyRecord();
        assertEquals("CONNECT", record.get("method").asText());
        assertEquals(authority, record.get("url").asText());
        assertEquals("TCP_TUNNEL", record.get("result").asText());
        assertEquals("HIER_DIRECT", record.get("hierarchy").asText());
        assertEquals(200, record.get("status").asInt());
        assertTrue(record.get("bytesToClient").asLong() > 500, "the server's TLS handshake is counted: " + record);
        assertTrue(record.get("bytesFromClient").asLong() > 200, record::toString);
        proxy.assertNothingLoggedAboveInfo();
    }

    @Test
    void aBulkTransferThatFillsEveryBufferArrivesWholeBothWays() throws Exception {
        origin = echoOrigin(InetAddress.getLoopbackAddress());
        proxy = proxyAllowingPort(origin.port());
        byte[] payload = new byte[16 << 20]; // far beyond the socket buffers and the relay's buffers
        new Random(11).nextBytes(payload);

        byte[] back;
        try (RawConnection c = RawConnection.open(proxy.proxyAddress())) {
            connect(c, "127.0.0.1:" + origin.port());
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    c.socket().getOutputStream().write(payload);
                    c.socket().shutdownOutput();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            Thread.sleep(300); // nobody reads yet: both relay directions stall on full sinks and must resume
            back = readAll(c.input());
            writer.join();
        }

        byte[] bye = ("bye after " + payload.length).getBytes(StandardCharsets.US_ASCII);
        assertEquals(payload.length + bye.length, back.length);
        assertArrayEquals(payload, java.util.Arrays.copyOf(back, payload.length));
        assertEquals("TCP_TUNNEL", proxy.awaitOnlyRecord().get("result").asText());
        awaitNoOpenTunnels();
    }

    @Test
    void halfCloseReachesTheOriginAndTheRestStillComesBack() throws Exception {
        origin = echoOrigin(InetAddress.getLoopbackAddress());
        proxy = proxyAllowingPort(origin.port());
        byte[] payload = new byte[300_000];
        new Random(7).nextBytes(payload);

        int connectHead;
        byte[] back;
        try (RawConnection c = RawConnection.open(proxy.proxyAddress())) {
            connectHead = connect(c, "127.0.0.1:" + origin.port());
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    c.socket().getOutputStream().write(payload);
                    c.socket().shutdownOutput(); // half-close: "I am done sending", still reading
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            back = readAll(c.input());
            writer.join();
        }

        byte[] bye = ("bye after " + payload.length).getBytes(StandardCharsets.US_ASCII);
        assertEquals(payload.length + bye.length, back.length);
        assertArrayEquals(payload, java.util.Arrays.copyOf(back, payload.length));
        assertEquals("echoed " + payload.length, origin.nextEvent());
        JsonNode record = proxy.awaitOnlyRecord();
        assertEquals("TCP_TUNNEL", record.get("result").asText());
        assertEquals(connectHead + payload.length, record.get("bytesFromClient").asLong(), record::toString);
        long toClient = record.get("bytesToClient").asLong();
        long answerHead = toClient - back.length;
        assertTrue(answerHead >= "HTTP/1.1 200 \r\n\r\n".length() && answerHead < 300, "200 head plus tunnel bytes: " + record);
        assertTrue(record.get("error").isNull(), record::toString);
        awaitNoOpenTunnels();
    }

    @Test
    void ipv6LiteralTargetIsTunnelled() throws Exception {
        InetAddress v6 = InetAddress.getByName("::1");
        try (ServerSocket probe = new ServerSocket(0, 1, v6)) {
            Assumptions.assumeTrue(probe.getInetAddress() instanceof Inet6Address);
        } catch (IOException e) {
            Assumptions.abort("this machine has no IPv6 loopback: " + e.getMessage());
        }
        origin = echoOrigin(v6);
        proxy = proxyAllowingPort(origin.port());
        String authority = "[::1]:" + origin.port();

        byte[] back;
        try (RawConnection c = RawConnection.open(proxy.proxyAddress())) {
            connect(c, authority);
            c.send("ping");
            c.socket().shutdownOutput();
            back = readAll(c.input());
        }

        assertEquals("pingbye after 4", new String(back, StandardCharsets.US_ASCII));
        JsonNode record = proxy.awaitOnlyRecord();
        assertEquals(authority, record.get("url").asText());
        assertEquals("::1", record.get("upstream").asText(), "RFC 5952 text, as log analysers and people expect");
    }

    @Test
    void portNotAllowed_returns403() throws Exception {
        origin = echoOrigin(InetAddress.getLoopbackAddress());
        proxy = GatehouseFixture.start(); // connectPorts: 443 only

        RawConnection.Response r = RawConnection.roundTrip(proxy.proxyAddress(), "CONNECT 127.0.0.1:" + origin.port() + " HTTP/1.1\r\nHost: 127.0.0.1:" + origin.port() + "\r\n\r\n");

        assertEquals(403, r.status());
        assertEquals(0, origin.connections());
        JsonNode record = proxy.awaitOnlyRecord();
        assertEquals("TCP_DENIED", record.get("result").asText());
        assertEquals("port_denied", record.get("error").asText());
        assertTrue(r.text().contains(record.get("requestId").asText()));
    }

    @Test
    void idleTunnelIsClosedAfterTheIdleTimeout() throws Exception {
        origin = new RawOrigin((s, i, o) -> {
            s.setSoTimeout(0);
            o.post(s.getInputStream().read() < 0 ? "closed by the proxy" : "unexpected byte");
        });
        proxy = GatehouseFixture.start(c -> {
            c.withObject("/destinations").putArray("connectPorts").add(origin.port());
            c.putObject("tunnel").put("idleTimeout", "1s");
        });

        try (RawConnection c = RawConnection.open(proxy.proxyAddress())) {
            connect(c, "127.0.0.1:" + origin.port());
            assertTrue(c.awaitClosed(), "the proxy closes a tunnel idle for longer than tunnel.idleTimeout");
        }

        assertEquals("closed by the proxy", origin.nextEvent());
        JsonNode record = proxy.awaitOnlyRecord();
        assertEquals("idle_timeout", record.get("error").asText(), record::toString);
        assertEquals("TCP_TUNNEL", record.get("result").asText());
        awaitNoOpenTunnels();
    }

    @Test
    void unreachableTunnelTarget_returns502() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        proxy = proxyAllowingPort(port);

        RawConnection.Response r = RawConnection.roundTrip(proxy.proxyAddress(), "CONNECT 127.0.0.1:" + port + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n");

        assertEquals(502, r.status());
        JsonNode record = proxy.awaitOnlyRecord();
        assertEquals("connect_refused", record.get("error").asText());
        assertTrue(r.text().contains(record.get("requestId").asText()));
    }

    /**
     * A listener on 127.0.0.1 that accepts nothing, its accept queue full (a backlog of 1 queues two): Linux
     * drops the SYNs it cannot queue, so a connect to it neither succeeds nor fails, as to a host that is down.
     */
    static ServerSocket silentListener(List<AutoCloseable> open) throws IOException {
        ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
        open.add(s);
        for (int i = 0; i < 3; i++) {
            SocketChannel filler = SocketChannel.open();
            filler.configureBlocking(false);
            filler.connect(s.getLocalSocketAddress());
            open.add(filler);
        }
        return s;
    }

    /** Starts the proxy with a 1 s connect timeout, allowing the port of a silent listener; returns that port. */
    private int proxyBeforeASilentTarget(List<AutoCloseable> open) throws IOException {
        return proxyBeforeASilentTarget(open, "1s");
    }

    private int proxyBeforeASilentTarget(List<AutoCloseable> open, String connectTimeout) throws IOException {
        int port = silentListener(open).getLocalPort();
        proxy = GatehouseFixture.start(c -> {
            c.withObject("/destinations").putArray("connectPorts").add(port);
            c.putObject("tunnel").put("connectTimeout", connectTimeout);
        });
        return port;
    }

    private static void closeAll(List<AutoCloseable> open) throws Exception {
        for (AutoCloseable c : open) c.close();
    }

    @Test
    void aTargetThatDoesNotAnswer_returns504AfterTheConnectTimeout() throws Exception {
        List<AutoCloseable> open = new ArrayList<>();
        try {
            int port = proxyBeforeASilentTarget(open);

            RawConnection.Response r = RawConnection.roundTrip(proxy.proxyAddress(), "CONNECT 127.0.0.1:" + port + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n");

            assertEquals(504, r.status());
            JsonNode record = proxy.awaitOnlyRecord();
            assertEquals("connect_timeout", record.get("error").asText(), record::toString);
            assertEquals("HIER_DIRECT", record.get("hierarchy").asText(), record::toString);
            assertTrue(r.text().contains(record.get("requestId").asText()));
        } finally {
            closeAll(open);
        }
    }

    /**
     * The connect is called off when the client leaves, not left to finish (the timeout here is far beyond the test's
     * waits) and then answered with a 200 to no one, or a tunnel spliced to a gone client: the access is recorded
     * once, as a tunnel cut off before it began.
     */
    @Test
    void aClientThatLeavesDuringTheConnectIsRecordedOnce() throws Exception {
        List<AutoCloseable> open = new ArrayList<>();
        try {
            int port = proxyBeforeASilentTarget(open, "600s");

            try (RawConnection c = RawConnection.open(proxy.proxyAddress())) {
                c.send("CONNECT 127.0.0.1:" + port + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n");
            }

            JsonNode record = proxy.awaitOnlyRecord();
            assertEquals("CONNECT", record.get("method").asText(), record::toString);
            assertEquals("TCP_TUNNEL_ABORTED", record.get("result").asText(), record::toString);
            assertEquals(0, record.get("status").asInt(), record::toString);
            assertEquals("client_aborted", record.get("error").asText(), record::toString);
            assertEquals("HIER_DIRECT", record.get("hierarchy").asText(), record::toString);
            assertTrue(record.get("upstream").isNull(), "no origin was reached: " + record);
            awaitNoOpenTunnels();
        } finally {
            closeAll(open);
        }
    }

    @Test
    void aNameTargetIsResolvedAndTunnelled() throws Exception {
        origin = echoOrigin(InetAddress.getByName("127.0.0.1"));
        proxy = proxyAllowingPort(origin.port());

        byte[] back;
        try (RawConnection c = RawConnection.open(proxy.proxyAddress())) {
            connect(c, "localhost:" + origin.port());
            c.send("ping");
            c.socket().shutdownOutput();
            back = readAll(c.input());
        }

        assertEquals("pingbye after 4", new String(back, StandardCharsets.US_ASCII));
        JsonNode record = proxy.awaitOnlyRecord();
        assertEquals("TCP_TUNNEL", record.get("result").asText(), record::toString);
        assertEquals("HIER_DIRECT", record.get("hierarchy").asText(), record::toString);
        assertEquals("127.0.0.1", record.get("upstream").asText(), record::toString);
        awaitNoOpenTunnels();
    }

    private void awaitNoOpenTunnels() {
        for (int i = 0; i < 500 && proxy.gatehouse().openTunnels() > 0; i++) GatehouseFixture.pause();
        assertEquals(0, proxy.gatehouse().openTunnels());
    }

}
