package dev.gatehouse.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Clients that are slow, idle, or leave early: the header read timeout (slowloris) and keep-alive
 * timeout close the connection, a client that abandons an upload or a CONNECT is audited and the
 * upstream side released, and a connection stays usable after an error page.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ClientBehaviourIT extends RawOriginCase {
    private static RawOrigin okOrigin() throws IOException {
        return new RawOrigin((s, i, o) -> {
            InputStream in = s.getInputStream();
            for (List<String> head; (head = RawOrigin.readHead(in)) != null; ) {
                String length = RawOrigin.field(head, "Content-Length");
                if (length != null) in.readNBytes(Integer.parseInt(length));
                RawOrigin.write(s, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            }
        });
    }

    @Test
    void slowRequestHeaderIsCutOffAndAudited() throws Exception {
        origin = okOrigin();
        proxy = GatehouseFixture.start(c -> c.putObject("limits").put("headerReadTimeout", "1s"));

        try (RawConnection c = RawConnection.open(proxy.proxyAddress())) {
            c.send("GET " + origin.url("/") + " HTTP/1.1\r\nHost: 127.0.0.1:" + origin.port() + "\r\nX-Slow: ");
            assertTrue(c.awaitClosed(), "a header that never ends is cut off after limits.headerReadTimeout");
        }

        JsonNode record = proxy.awaitOnlyRecord();
        assertEquals("NONE_NONE", record.get("result").asText(), record::toString);
        assertEquals(0, origin.connections());
    }

    @Test
    void idleKeepAliveConnectionIsClosedWithoutARecord() throws Exception {
        origin = okOrigin();
        proxy = GatehouseFixture.start(c -> c.putObject("limits").put("keepAliveTimeout", "1s"));

        try (RawConnection c = RawConnection.open(proxy.proxyAddress())) {
            c.send("GET " + origin.url("/") + " HTTP/1.1\r\nHost: 127.0.0.1:" + origin.port() + "\r\n\r\n");
            assertEquals(200, c.readResponse().status());
            assertTrue(c.awaitClosed(), "an idle keep-alive connection is closed after limits.keepAliveTimeout");
        }

        proxy.stop();
        assertEquals(1, proxy.records().size(), "the idle close itself is no access");
    }

    @Test
    void connectionStaysUsableAfterAnErrorPage() throws Exception {
        origin = okOrigin();
        proxy = GatehouseFixture.start();
        int down;
        try (ServerSocket s = new ServerSocket(0)) {
            down = s.getLocalPort();
        }

        try (RawConnection c = RawConnection.open(proxy.proxyAddress())) {
            c.send("GET http://127.0.0.1:" + down + "/ HTTP/1.1\r\nHost: 127.0.0.1:" + down + "\r\n\r\n");
            assertEquals(502, c.readResponse().status());
            c.send("HEAD http://127.0.0.1:" + down + "/ HTTP/1.1\r\nHost: 127.0.0.1:" + down + "\r\n\r\n");
            assertEquals(502, c.readResponse(true).status());
            c.send("GET " + origin.url("/") + " HTTP/1.1\r\nHost: 127.0.0.1:" + origin.port() + "\r\n\r\n");
            assertEquals("ok", c.readResponse().text());
        }
        assertEquals(List.of(502, 502, 200), proxy.awaitRecords(3).stream().map(r -> r.get("status").asInt()).toList());
    }

    @Test
    void clientAbandonsAnUpload_recordSaysAbortedAndUpstreamIsReleased() throws Exception {
        origin = new RawOrigin((s, i, o) -> {
            InputStream in = s.getInputStream();
            RawOrigin.readHead(in);
            long got = 0;
            try {
                for (int n; (n = in.read(new byte[8192])) >= 0; ) got += n;
                o.post("upstream closed after " + got);
            } catch (IOException e) {
                o.post("upstream closed after " + got);
            }
        });
        proxy = GatehouseFixture.start();

        try (RawConnection c = RawConnection.open(proxy.proxyAddress())) {
            c.send("POST " + origin.url("/upload") + " HTTP/1.1\r\nHost: 127.0.0.1:" + origin.port()
                    + "\r\nContent-Length: 10000000\r\n\r\n");
            c.send(new byte[100_000]);
            c.socket().setSoLinger(true, 0);
        }

        String event = origin.nextEvent();
        assertTrue(event.startsWith("upstream closed after "), event);
        assertTrue(Long.parseLong(event.substring("upstream closed after ".length())) < 10_000_000, event);
        JsonNode record = proxy.awaitOnlyRecord();
        assertEquals("TCP_MISS_ABORTED", record.get("result").asText(), record::toString);
        assertEquals("client_aborted", record.get("error").asText(), record::toString);
        assertEquals(0, record.get("status").asInt(), "no response was sent: " + record);
        assertTrue(record.get("bytesFromClient").asLong() > 0, record::toString);
    }

    /** Repeated: the client's close races the upgrade to a tunnel (once seen leaving a splice open). */
    @RepeatedTest(10)
    void clientLeavingRightAfterConnectIsAudited() throws Exception {
        origin = new RawOrigin((s, i, o) -> {
            s.setSoTimeout(0);
            o.post(s.getInputStream().read() < 0 ? "closed" : "byte");
        });
        proxy = GatehouseFixture.start(c -> c.withObject("/destinations").putArray("connectPorts").add(origin.port()));

        try (RawConnection c = RawConnection.open(proxy.proxyAddress())) {
            c.send("CONNECT 127.0.0.1:" + origin.port() + " HTTP/1.1\r\nHost: 127.0.0.1:" + origin.port() + "\r\n\r\n");
        }

        assertEquals("closed", origin.nextEvent(), "the upstream side of the tunnel is closed too");
        JsonNode record = proxy.awaitOnlyRecord();
        assertEquals("CONNECT", record.get("method").asText());
        for (int i = 0; i < 250 && proxy.gatehouse().openTunnels() > 0; i++) GatehouseFixture.pause();
        assertEquals(0, proxy.gatehouse().openTunnels(), record::toString);
    }

    @Test
    void aConnectionThatNeverSendsAByteIsClosedWithoutARecord() throws Exception {
        origin = okOrigin();
        proxy = GatehouseFixture.start(c -> c.putObject("limits").put("keepAliveTimeout", "1s"));

        try (RawConnection c = RawConnection.open(proxy.proxyAddress())) {
            assertTrue(c.awaitClosed(), "a connection that sends nothing is closed after limits.keepAliveTimeout");
        }

        proxy.stop();
        assertEquals(0, proxy.records().size(), "a connection without a byte is no access");
    }

    @Test
    void http10KeepAliveIsHonouredAndItsAbsenceCloses() throws Exception {
        origin = okOrigin();
        proxy = GatehouseFixture.start();
        String get = "GET " + origin.url("/") + " HTTP/1.0\r\nHost: 127.0.0.1:" + origin.port() + "\r\n";

        try (RawConnection c = RawConnection.open(proxy.proxyAddress())) {
            c.send(get + "Connection: keep-alive\r\n\r\n");
            assertEquals("ok", c.readResponse().text());
            c.send(get + "\r\n");
            assertEquals("ok", c.readResponse().text());
            assertTrue(c.awaitClosed(), "an HTTP/1.0 request without keep-alive ends the connection");
        }
        assertEquals(2, proxy.awaitRecords(2).size());
    }

    @Test
    void connectionCloseFromTheClientIsHonoured() throws Exception {
        origin = okOrigin();
        proxy = GatehouseFixture.start();

        try (RawConnection c = RawConnection.open(proxy.proxyAddress())) {
            c.send("GET " + origin.url("/") + " HTTP/1.1\r\nHost: 127.0.0.1:" + origin.port() + "\r\nConnection: close\r\n\r\n");
            RawConnection.Response r = c.readResponse();
            assertEquals("ok", r.text());
            assertEquals("close", r.header("Connection"));
            assertTrue(c.awaitClosed());
        }
    }

    @Test
    void aConnectPipelinedBehindAGetStillTunnels() throws Exception {
        origin = new RawOrigin((s, i, o) -> {
            InputStream in = s.getInputStream();
            if (i == 0) { // the GET
                for (List<String> head; (head = RawOrigin.readHead(in)) != null; ) {
                    RawOrigin.write(s, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
                }
                return;
            }
            byte[] all = in.readAllBytes(); // the tunnel: echo what came once the client half-closed
            s.getOutputStream().write(all);
            o.post("tunnel got " + new String(all, java.nio.charset.StandardCharsets.US_ASCII));
        });
        proxy = GatehouseFixture.start(c -> c.withObject("/destinations").putArray("connectPorts").add(origin.port()));
        String authority = "127.0.0.1:" + origin.port();

        String heads = "GET " + origin.url("/") + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n"
                + "CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n";
        String back;
        try (RawConnection c = RawConnection.open(proxy.proxyAddress())) {
            c.send(heads);
            assertEquals("ok", c.readResponse().text());
            assertEquals(200, c.readHead().status());
            c.send("tunnel bytes");
            c.socket().shutdownOutput();
            back = new String(c.input().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
        }

        assertEquals("tunnel bytes", back);
        assertEquals("tunnel got tunnel bytes", origin.nextEvent());
        List<JsonNode> records = proxy.awaitRecords(2);
        assertEquals(2, records.size(), records::toString);
        JsonNode tunnel = records.stream().filter(r -> r.get("method").asText().equals("CONNECT")).findFirst().orElseThrow();
        assertEquals("TCP_TUNNEL", tunnel.get("result").asText(), tunnel::toString);
        // Both heads came in one read, so the tap gives them to the first exchange; between the two records,
        // every byte is counted once.
        long counted = records.stream().mapToLong(r -> r.get("bytesFromClient").asLong()).sum();
        assertEquals(heads.length() + "tunnel bytes".length(), counted, records::toString);
    }
}
