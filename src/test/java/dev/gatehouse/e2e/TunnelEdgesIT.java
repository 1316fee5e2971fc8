package dev.gatehouse.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * CONNECT at its edges, through real sockets: request forms that are not {@code host:port}, CONNECT with
 * content or in HTTP/1.0, bytes the client sends before the 200, either side closing or resetting first,
 * a client that stops reading. Each case checks what both ends saw, the tunnel registry and the one audit
 * record.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TunnelEdgesIT extends RawOriginCase {
    private void startBefore(RawOrigin o) {
        origin = o;
        proxy = GatehouseFixture.start(c -> c.withObject("/destinations").putArray("connectPorts").add(443).add(o.port()));
    }

    private String authority() {
        return "127.0.0.1:" + origin.port();
    }

    private String connectHead(String version) {
        return "CONNECT " + authority() + " " + version + "\r\nHost: " + authority() + "\r\n\r\n";
    }

    /** Echoes every byte; reports how many once the client side half-closed. */
    private static RawOrigin echo() throws IOException {
        return ConnectTunnelIT.echoOrigin(InetAddress.getLoopbackAddress());
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }

    private void awaitNoOpenTunnels() {
        for (int i = 0; i < 500 && proxy.gatehouse().openTunnels() > 0; i++) GatehouseFixture.pause();
        assertEquals(0, proxy.gatehouse().openTunnels());
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.0.0.1:", "127.0.0.1:0", "127.0.0.1:65536", "127.0.0.1:+PORT",
            "user@127.0.0.1:PORT", "::1:PORT", "http://127.0.0.1:PORT", "127.0.0.1:PORT/path", "127.0.0.1:PORT?q",
            "[::1:PORT", "<b>x</b>:PORT"})
    void aConnectTargetThatIsNotHostAndPortIs400AndNeverConnects(String form) throws Exception {
        startBefore(echo());
        String target = form.replace("PORT", Integer.toString(origin.port()));

        RawConnection.Response r = RawConnection.roundTrip(proxy.proxyAddress(),
                "CONNECT " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");

        assertEquals(400, r.status(), target);
        assertFalse(r.text().contains("<b>"), () -> "the page escapes the target: " + r.text());
        assertEquals(0, origin.connections(), target);
        JsonNode record = proxy.awaitOnlyRecord();
        assertEquals(400, record.get("status").asInt(), record::toString);
    }

    @Test
    void aLowerCaseConnectIsNotATunnel() throws Exception {
        startBefore(echo());

        RawConnection.Response r = RawConnection.roundTrip(proxy.proxyAddress(),
                "connect " + authority() + " HTTP/1.1\r\nHost: " + authority() + "\r\n\r\n");

        assertNotEquals(200, r.status(), "method names are case-sensitive (RFC 9110 §9.1)");
        assertEquals(0, origin.connections());
        JsonNode record = proxy.awaitOnlyRecord();
        assertEquals(r.status(), record.get("status").asInt(), record::toString);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Content-Length: 5", "Transfer-Encoding: chunked"})
    void aConnectWithContentIs400AndNeverConnects(String framing) throws Exception {
        startBefore(echo());
        String body = framing.startsWith("Content") ? "hello" : "5\r\nhello\r\n0\r\n\r\n";

        RawConnection.Response r;
        try (RawConnection c = RawConnection.open(proxy.proxyAddress())) {
            c.send("CONNECT " + authority() + " HTTP/1.1\r\nHost: " + authority() + "\r\n" + framing + "\r\n\r\n" + body);
            r = c.readHead();
        }

        // RFC 9110 §9.3.6: a CONNECT request has no content; framing fields on one make its bytes ambiguous
        // (body to drop, or the first bytes of the tunnel?), so it is refused rather than guessed at.
        assertEquals(400, r.status());
        assertEquals(0, origin.connections());
        JsonNode record = proxy.awaitOnlyRecord();
        assertEquals(400, record.get("status").asInt(), record::toString);
    }

    /**
     * A client may send its first tunnel bytes right behind the CONNECT head. When the CONNECT is refused,
     * those bytes are not a request: read as one, they would be forwarded (a request smuggled behind the
     * refusal) or give a second, bogus record. The proxy closes after the refusal, as Jetty's
     * {@code ConnectHandler} does.
     */
    @Test
    void bytesBehindARefusedConnectAreNeverReadAsARequest() throws Exception {
        startBefore(echo());
        String denied = "127.0.0.1:" + (origin.port() == 1 ? 2 : 1);
        String behind = "GET " + origin.url("/smuggled") + " HTTP/1.1\r\nHost: " + authority() + "\r\n\r\n";

        RawConnection.Response refusal;
        boolean closed;
        try (RawConnection c = RawConnection.open(proxy.proxyAddress())) {
            c.send("CONNECT " + denied + " HTTP/1.1\r\nHost: " + denied + "\r\n\r\n" + behind);
            refusal = c.readResponse();
            closed = c.awaitClosed();
        }

        assertEquals(403, refusal.status());
        assertEquals("close", refusal.header("Connection"));
        assertTrue(closed, "the connection ends with the refusal");
        assertEquals(0, origin.connections(), "nothing behind the CONNECT was forwarded");
        JsonNode record = proxy.awaitOnlyRecord();
        assertEquals("port_denied", record.get("error").asText(), record::toString);
    }

    @Test
    void anHttp10ConnectIsTunnelled() throws Exception {
        startBefore(echo());

        byte[] back;
        try (RawConnection c = RawConnection.open(proxy.proxyAddress())) {
            c.send(connectHead("HTTP/1.0"));
            assertEquals(200, c.readHead().status());
            c.send("ping");
            c.socket().shutdownOutput();
            back = readAll(c.input());
        }

        assertEquals("pingbye after 4", new String(back, StandardCharsets.US_ASCII));
        assertEquals("TCP_TUNNEL", proxy.awaitOnlyRecord().get("result").asText());
    }

    @Test
    void theTwoHundredHasNoFramingFields() throws Exception {
        startBefore(echo());

        RawConnection.Response head;
        try (RawConnection c = RawConnection.open(proxy.proxyAddress())) {
            c.send(connectHead("HTTP/1.1"));
            head = c.readHead();
        }

        assertEquals(200, head.status());
        // RFC 9110 §9.3.6: a server MUST NOT send Transfer-Encoding or Content-Length in a 2xx to CONNECT.
        assertFalse(head.headerNames().contains("content-length"), head.headers()::toString);
        assertFalse(head.headerNames().contains("transfer-encoding"), head.headers()::toString);
    }

    @Test
    void bytesSentBeforeTheTwoHundredReachTheOriginOnceInOrderAndAreCountedOnce() throws Exception {
        startBefore(echo());
        byte[] hello = new byte[517]; // a TLS ClientHello's size, sent with the CONNECT head as some clients do
        new Random(3).nextBytes(hello);
        byte[] later = "after the 200".getBytes(StandardCharsets.US_ASCII);
        byte[] head = connectHead("HTTP/1.1").getBytes(StandardCharsets.US_ASCII);
        byte[] first = new byte[head.length + hello.length];
        System.arraycopy(head, 0, first, 0, head.length);
        System.arraycopy(hello, 0, first, head.length, hello.length);

        byte[] back;
        try (RawConnection c = RawConnection.open(proxy.proxyAddress())) {
            c.send(first);
            assertEquals(200, c.readHead().status());
            c.send(later);
            c.socket().shutdownOutput();
            back = readAll(c.input());
        }

        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(hello);
        expected.write(later);
        expected.write(("bye after " + (hello.length + later.length)).getBytes(StandardCharsets.US_ASCII));
        assertArrayEquals(expected.toByteArray(), back);
        JsonNode record = proxy.awaitOnlyRecord();
        assertEquals(head.length + hello.length + later.length, record.get("bytesFromClient").asLong(), record::toString);
        awaitNoOpenTunnels();
    }

    /** A client that sends the CONNECT head, its data and its FIN at once (printf ... | nc -N) still gets its answer. */
    @Test
    void aClientThatSendsItsDataAndFinBeforeTheTwoHundredGetsTheWholeAnswer() throws Exception {
        startBefore(echo());

        byte[] back;
        try (RawConnection c = RawConnection.open(proxy.proxyAddress())) {
            c.send(connectHead("HTTP/1.1") + "ping");
            c.socket().shutdownOutput();
            assertEquals(200, c.readHead().status());
            back = readAll(c.input());
        }

        assertEquals("pingbye after 4", new String(back, StandardCharsets.US_ASCII));
        assertEquals("echoed 4", origin.nextEvent());
        JsonNode record = proxy.awaitOnlyRecord();
        assertTrue(record.get("error").isNull(), record::toString);
        assertEquals(connectHead("HTTP/1.1").length() + 4, record.get("bytesFromClient").asLong(), record::toString);
        awaitNoOpenTunnels();
    }

    @Test
    void anOriginThatClosesWithoutAWordClosesTheClientSide() throws Exception {
        startBefore(new RawOrigin((s, i, o) -> o.post("closing")));

        try (RawConnection c = RawConnection.open(proxy.proxyAddress())) {
            c.send(connectHead("HTTP/1.1"));
            assertEquals(200, c.readHead().status());
            // The origin's FIN becomes the client's end of stream; the client then closes too.
            assertEquals(-1, c.input().read());
        }

        JsonNode record = proxy.awaitOnlyRecord();
        assertEquals("TCP_TUNNEL", record.get("result").asText(), record::toString);
        assertTrue(record.get("error").isNull(), record::toString);
        awaitNoOpenTunnels();
    }

    @Test
    void aClientResetClosesTheOriginSide() throws Exception {
        startBefore(new RawOrigin((s, i, o) -> {
            s.setSoTimeout(0);
            s.getOutputStream().write("hi".getBytes(StandardCharsets.US_ASCII));
            try {
                while (s.getInputStream().read() >= 0) {
                    // until the proxy closes
                }
            } catch (IOException reset) {
                // a reset passed on is a close too
            }
            o.post("closed");
        }));

        RawConnection c = RawConnection.open(proxy.proxyAddress());
        c.send(connectHead("HTTP/1.1"));
        assertEquals(200, c.readHead().status());
        assertEquals("hi", new String(c.input().readNBytes(2), StandardCharsets.US_ASCII));
        c.socket().setSoLinger(true, 0);
        c.close(); // RST

        assertEquals("closed", origin.nextEvent());
        JsonNode record = proxy.awaitOnlyRecord();
        assertEquals("TCP_TUNNEL", record.get("result").asText(), record::toString);
        assertTrue(record.get("bytesToClient").asLong() >= "HTTP/1.1 200 \r\n\r\nhi".length(), record::toString);
        awaitNoOpenTunnels();
    }

    @Test
    void anOriginResetClosesTheClientSide() throws Exception {
        startBefore(new RawOrigin((s, i, o) -> {
            s.getInputStream().read();
            s.setSoLinger(true, 0);
            s.close();
        }));

        try (RawConnection c = RawConnection.open(proxy.proxyAddress())) {
            c.send(connectHead("HTTP/1.1"));
            assertEquals(200, c.readHead().status());
            c.send("x");
            assertTrue(c.awaitClosed(), "the client side is closed when the origin resets");
        }

        JsonNode record = proxy.awaitOnlyRecord();
        assertEquals("TCP_TUNNEL", record.get("result").asText(), record::toString);
        assertEquals("tunnel_error", record.get("error").asText(), record::toString);
        awaitNoOpenTunnels();
    }

    @Test
    void aClientThatStopsReadingStopsTheOriginWithinTheBuffers() throws Exception {
        AtomicLong written = new AtomicLong();
        startBefore(new RawOrigin((s, i, o) -> {
            s.setSoTimeout(0);
            OutputStream out = s.getOutputStream();
            byte[] chunk = new byte[64 * 1024];
            try {
                for (int n = 0; n < 4096; n++) { // 256 MiB, far more than any buffer on the way
                    out.write(chunk);
                    written.addAndGet(chunk.length);
                }
                o.post("wrote everything");
            } catch (IOException e) {
                o.post("stopped");
            }
        }));

        try (RawConnection c = RawConnection.open(proxy.proxyAddress())) {
            c.socket().setReceiveBufferSize(64 * 1024);
            c.send(connectHead("HTTP/1.1"));
            assertEquals(200, c.readHead().status());
            long seen = -1;
            // Wait until the origin's writes stall: the same count twice, 500 ms apart.
            for (int i = 0; i < 40 && written.get() != seen; i++) {
                seen = written.get();
                Thread.sleep(500);
            }
            assertEquals(seen, written.get(), "the origin's writes stall while the client reads nothing");
            assertTrue(seen < 64L << 20, "the proxy holds a bounded amount, not the stream: " + seen);
        }
        assertEquals("stopped", origin.nextEvent());
        awaitNoOpenTunnels();
    }

    @Test
    void aBlockedHostWrittenInCapitalsWithATrailingDotIsStillBlocked(@TempDir Path dir) throws Exception {
        Path policy = dir.resolve("policy.json");
        Files.writeString(policy, """
                { "schemaVersion": 1, "name": "test", "defaultAction": { "action": "allow" },
                  "rules": [ { "id": "no-games", "match": { "domain": ["games.test"] }, "action": "block", "reason": "No <games>" } ] }
                """);
        proxy = GatehouseFixture.start(c -> c.withObject("/policy").put("file", policy.toString()));

        RawConnection.Response r = RawConnection.roundTrip(proxy.proxyAddress(),
                "CONNECT WWW.Games.Test.:443 HTTP/1.1\r\nHost: WWW.Games.Test.:443\r\n\r\n");

        assertEquals(403, r.status());
        assertEquals("close", r.header("Connection"));
        assertFalse(r.text().contains("<games>"), r::text);
        JsonNode record = proxy.awaitOnlyRecord();
        assertEquals("TCP_DENIED", record.get("result").asText(), record::toString);
        assertEquals("no-games", record.get("rule").asText(), record::toString);
        assertTrue(r.text().contains(record.get("requestId").asText()));
    }

    /**
     * Past {@code limits.maxClientConnections} the listener stops accepting: a further client waits in the
     * backlog (as Squid does when out of descriptors), unanswered and not yet an access, and is served and
     * audited once a tunnel closes. (XNIO's per-IO-thread accounting stops one short of the configured number.)
     */
    @Test
    void aConnectionOverTheLimitWaitsAndIsServedWhenATunnelCloses() throws Exception {
        origin = echo();
        int limit = 4;
        proxy = GatehouseFixture.start(c -> {
            c.withObject("/destinations").putArray("connectPorts").add(origin.port());
            c.withObject("/limits").put("maxClientConnections", limit);
        });
        List<RawConnection> open = new ArrayList<>();
        try {
            RawConnection waiting = null;
            while (waiting == null) {
                RawConnection c = RawConnection.open(proxy.proxyAddress());
                open.add(c);
                c.send(connectHead("HTTP/1.1"));
                c.socket().setSoTimeout(1000);
                try {
                    assertEquals(200, c.readHead().status());
                } catch (SocketTimeoutException atTheLimit) {
                    waiting = c;
                }
            }
            int tunnels = open.size() - 1;
            assertTrue(tunnels >= 1 && tunnels <= limit, "tunnels open at the limit: " + tunnels);
            waiting.socket().setSoTimeout(15_000);

            open.getFirst().socket().shutdownOutput(); // the first tunnel ends
            assertTrue(open.getFirst().awaitClosed());
            assertEquals(200, waiting.readHead().status());
            waiting.send("late");
            waiting.socket().shutdownOutput();
            assertEquals("latebye after 4", new String(readAll(waiting.input()), StandardCharsets.US_ASCII));
            for (RawConnection c : open) c.close();
            assertEquals(open.size(), proxy.awaitRecords(open.size()).size(), "every tunnel, the late one too, is audited");
        } finally {
            for (RawConnection c : open) c.close();
        }
    }
}
