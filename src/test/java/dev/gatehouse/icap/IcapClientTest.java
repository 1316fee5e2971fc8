package dev.gatehouse.icap;

import static dev.gatehouse.icap.FakeIcapServer.answer;
import static dev.gatehouse.icap.FakeIcapServer.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.http.Failure;
import dev.gatehouse.upstream.UpstreamResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The RESPMOD client against {@link FakeIcapServer} on loopback: what it writes, and what it makes of each answer. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class IcapClientTest {
    private static final ScanRequest REQUEST = new ScanRequest("GET", "http://origin.test/file.bin",
            List.of(Map.entry("Host", "origin.test"), Map.entry("User-Agent", "test")));
    private static final String PAGE = "<h1>VIRUS FOUND</h1>";
    private FakeIcapServer server;
    private IcapClient client;

    @AfterEach
    void close() throws IOException {
        if (client != null) client.close();
        if (server != null) server.close();
    }

    private IcapClient client(String url, boolean bypass) {
        client = IcapClient.from(new GatehouseConfig.Icap(url, "", bypass, Duration.ofSeconds(1), 4, 0,
                new GatehouseConfig.IcapSkip(List.of("video/"))));
        return client;
    }

    private IcapClient client(boolean bypass) {
        return client(server.url("scan"), bypass);
    }

    private static UpstreamResponse origin(byte[] body) {
        return origin(body, "application/octet-stream");
    }

    private static UpstreamResponse origin(byte[] body, String type) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Content-Type", List.of(type));
        headers.put("Content-Length", List.of(Integer.toString(body.length)));
        headers.put("Connection", List.of("keep-alive, X-Hop"));
        headers.put("X-Hop", List.of("dropped"));
        headers.put("Keep-Alive", List.of("timeout=5"));
        return new UpstreamResponse(200, headers, new ByteArrayInputStream(body), InetAddress.getLoopbackAddress());
    }

    private static byte[] random(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return b;
    }

    private static byte[] read(ScanResult result) throws IOException {
        try (UpstreamResponse r = result.response()) {
            return r.body().readAllBytes();
        }
    }

    /** A service that asks for the rest after the preview (100 Continue), then sends the response back as it came. */
    private static FakeIcapServer.Script echoAfterContinue() {
        return new FakeIcapServer.Script() {
            @Override
            public byte[] afterPreview(FakeIcapServer.Received r) {
                return null; // 100 Continue
            }

            @Override
            public byte[] afterRest(FakeIcapServer.Received r) {
                return answer("", r.responseHead(), r.body());
            }
        };
    }

    /** An origin's body that comes {@code chunk} bytes at a time, each after a pause of {@code pauseMillis}. */
    private static java.io.InputStream trickle(byte[] body, int chunk, long pauseMillis) {
        return new java.io.InputStream() {
            private int at;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (at == body.length) return -1;
                try {
                    Thread.sleep(pauseMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                int n = Math.min(Math.min(len, chunk), body.length - at);
                System.arraycopy(body, at, b, off, n);
                at += n;
                return n;
            }
        };
    }

    @Test
    void aBodyWithinThePreviewGoesWithIeofAndAllow204AndBothHeadsAtTheirOffsets() throws Exception {
        server = new FakeIcapServer(r -> bytes("ICAP/1.0 204 No Content\r\nISTag: \"fake-1\"\r\n\r\n"));
        ScanResult result = client(false).scan(REQUEST, origin(bytes("hello")));
        assertEquals(ScanOutcome.CLEAN, result.outcome());
        assertEquals("hello", new String(read(result)));

        FakeIcapServer.Received r = server.respmods().getFirst();
        assertEquals("5", r.field("Preview"));
        assertEquals("204", r.field("Allow")); // the whole body is held here: a 204 costs nothing
        assertTrue(r.previewIeof());
        assertEquals("hello", new String(r.preview()));
        // The server cut the heads at the Encapsulated offsets: each is a whole head on its own.
        assertEquals("GET http://origin.test/file.bin HTTP/1.1\r\nHost: origin.test\r\nUser-Agent: test\r\n\r\n", r.requestHead());
        assertEquals("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 5\r\n\r\n", r.responseHead());
        assertEquals("127.0.0.1:" + server.url("").split(":")[2].replace("/", ""), r.field("Host"));
    }

    @Test
    void a204ToThePreviewSendsTheOriginalWholeAndNothingMoreGoesToTheService() throws Exception {
        server = new FakeIcapServer(r -> bytes("ICAP/1.0 204 No Content\r\n\r\n"));
        byte[] body = random(100);
        ScanResult result = client(false).scan(REQUEST, origin(body));
        assertEquals(ScanOutcome.CLEAN, result.outcome());
        assertTrue(result.storable());
        assertArrayEquals(body, read(result)); // the 8 preview bytes held here, then the rest from the origin
        FakeIcapServer.Received r = server.respmods().getFirst();
        assertFalse(r.previewIeof());
        assertNull(r.field("Allow")); // the rest would go unbuffered: no 204 after it
        assertEquals(8, r.preview().length);
    }

    @Test
    void a100ContinueStreamsTheRestAndTheEchoedResponseIsClean() throws Exception {
        byte[] body = random(100_000);
        server = new FakeIcapServer(echoAfterContinue());
        ScanResult result = client(false).scan(REQUEST, origin(body));
        assertEquals(ScanOutcome.CLEAN, result.outcome());
        assertArrayEquals(body, read(result));
        assertArrayEquals(body, server.respmods().getFirst().body());
    }

    @Test
    void anInfectedAnswerIsAdaptedNamesTheThreatAndIsNotStorable() throws Exception {
        server = new FakeIcapServer(r -> answer("X-Infection-Found: Type=0; Resolution=2; Threat=Eicar-Test-Signature;\r\n",
                "HTTP/1.0 403 Forbidden\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n", bytes(PAGE)));
        ScanResult result = client(false).scan(REQUEST, origin(random(100)));
        assertEquals(ScanOutcome.ADAPTED, result.outcome());
        assertEquals("Eicar-Test-Signature", result.virus());
        assertFalse(result.storable());
        assertEquals(403, result.response().status());
        assertEquals(PAGE, new String(read(result)));
    }

    @Test
    void xVirusIdNamesTheThreatWhenThereIsNoInfectionFoundField() throws Exception {
        server = new FakeIcapServer(r -> answer("X-Virus-ID: Win.Test.EICAR_HDB-1\r\n",
                "HTTP/1.1 403 Forbidden\r\n\r\n", bytes(PAGE)));
        ScanResult result = client(false).scan(REQUEST, origin(random(100)));
        assertEquals("Win.Test.EICAR_HDB-1", result.virus());
        read(result);
    }

    @Test
    void aMalformedAnswerFailsClosed() throws Exception {
        server = new FakeIcapServer(r -> bytes("HTTP/1.1 200 OK\r\n\r\n"));
        IcapException e = assertThrows(IcapException.class, () -> client(false).scan(REQUEST, origin(random(100))));
        assertEquals(Failure.ICAP_MALFORMED, e.failure());
    }

    @Test
    void anEncapsulatedOffsetThatDisagreesWithTheHeadIsMalformed() throws Exception {
        server = new FakeIcapServer(r -> bytes("ICAP/1.0 200 OK\r\nEncapsulated: res-hdr=0, res-body=5\r\n\r\n"
                + "HTTP/1.1 200 OK\r\n\r\n0\r\n\r\n"));
        IcapException e = assertThrows(IcapException.class, () -> client(false).scan(REQUEST, origin(random(100))));
        assertEquals(Failure.ICAP_MALFORMED, e.failure());
        assertTrue(e.getMessage().contains("Encapsulated"), e.getMessage());
    }

    @Test
    void a204AfterTheWholeBodyWasSentIsRefused() throws Exception {
        server = new FakeIcapServer(new FakeIcapServer.Script() {
            @Override
            public byte[] afterPreview(FakeIcapServer.Received r) {
                return null;
            }

            @Override
            public byte[] afterRest(FakeIcapServer.Received r) {
                return bytes("ICAP/1.0 204 No Content\r\n\r\n");
            }
        });
        IcapException e = assertThrows(IcapException.class, () -> client(true).scan(REQUEST, origin(random(100))));
        assertEquals(Failure.ICAP_MALFORMED, e.failure()); // not bypassed either: the body went to the service
    }

    @Test
    void withBypassAFailedServiceSendsTheOriginalWhole() throws Exception {
        server = new FakeIcapServer(r -> bytes("ICAP/1.0 500 Server Error\r\n\r\n"));
        byte[] body = random(100);
        ScanResult result = client(true).scan(REQUEST, origin(body));
        assertEquals(ScanOutcome.BYPASSED, result.outcome());
        assertEquals(Failure.ICAP_ERROR, result.failure().failure());
        assertFalse(result.storable());
        assertArrayEquals(body, read(result));
    }

    @Test
    void anUnreachableServiceFailsOrIsBypassed() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        String url = "icap://127.0.0.1:" + closedPort + "/scan";
        IcapException e = assertThrows(IcapException.class, () -> client(url, false).scan(REQUEST, origin(random(10))));
        assertEquals(Failure.ICAP_UNREACHABLE, e.failure());
        client.close();
        byte[] body = random(10);
        ScanResult result = client(url, true).scan(REQUEST, origin(body));
        assertEquals(ScanOutcome.BYPASSED, result.outcome());
        assertArrayEquals(body, read(result));
    }

    @Test
    void aSilentServiceTimesOut() throws Exception {
        server = new FakeIcapServer(r -> {
            try {
                Thread.sleep(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new byte[0];
        });
        IcapException e = assertThrows(IcapException.class, () -> client(false).scan(REQUEST, origin(random(100))));
        assertEquals(Failure.ICAP_TIMEOUT, e.failure());
    }

    @Test
    void withoutAPreviewTheWholeBodyStreamsWhileTheAnswerIsRead() throws Exception {
        byte[] body = random(3 << 20);
        server = new FakeIcapServer(r -> answer("", r.responseHead(), r.body()));
        server.options = "ICAP/1.0 200 OK\r\nMethods: RESPMOD\r\nEncapsulated: null-body=0\r\n\r\n";
        ScanResult result = client(false).scan(REQUEST, origin(body));
        assertArrayEquals(body, read(result));
        FakeIcapServer.Received r = server.respmods().getFirst();
        assertNull(r.field("Preview"));
        assertNull(r.field("Allow"));
    }

    /**
     * A scanner answers once it has the whole body: while a slow origin still sends it (3 s here, three times the
     * ICAP timeout), the service's silence is not a timeout.
     */
    @Test
    void theServicesSilenceWhileASlowBodyIsStillBeingSentIsNoTimeout() throws Exception {
        byte[] body = random(30_000);
        server = new FakeIcapServer(r -> answer("", r.responseHead(), r.body()));
        server.options = "ICAP/1.0 200 OK\r\nMethods: RESPMOD\r\nEncapsulated: null-body=0\r\n\r\n";
        java.io.InputStream trickle = trickle(body, 3000, 300);
        UpstreamResponse slow = origin(body).withBody(trickle);
        ScanResult result = client(false).scan(REQUEST, slow);
        assertArrayEquals(body, read(result));
    }

    @Test
    void connectionsAreKeptAliveAndOptionsAskedAgainAfterTheirTtl() throws Exception {
        server = new FakeIcapServer(r -> bytes("ICAP/1.0 204 No Content\r\n\r\n"));
        client(false).scan(REQUEST, origin(bytes("one"))).response().body().readAllBytes();
        client.scan(REQUEST, origin(bytes("two"))).response().body().readAllBytes();
        assertEquals(1, server.connections());
        assertEquals(1, server.received.stream().filter(r -> r.method().equals("OPTIONS")).count());

        server.options = server.options.replace("Options-TTL: 3600", "Options-TTL: 0");
        client.close();
        client(false).scan(REQUEST, origin(bytes("three"))).response().body().readAllBytes();
        client.scan(REQUEST, origin(bytes("four"))).response().body().readAllBytes();
        assertEquals(3, server.received.stream().filter(r -> r.method().equals("OPTIONS")).count());
    }

    /** The service closed a kept-alive connection just as it was reused: the RESPMOD goes again on a new one. */
    @Test
    void aKeptAliveConnectionTheServiceClosedIsRetriedOnANewOne() throws Exception {
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        server = new FakeIcapServer(r -> calls.incrementAndGet() == 2 ? FakeIcapServer.CLOSE : bytes("ICAP/1.0 204 No Content\r\n\r\n"));
        assertEquals("one", new String(read(client(false).scan(REQUEST, origin(bytes("one"))))));
        byte[] body = random(100);
        assertArrayEquals(body, read(client.scan(REQUEST, origin(body))));
        assertEquals(3, server.respmods().size());
        assertEquals(2, server.connections());
    }

    @Test
    void skippedTypesAreNotSent() throws Exception {
        server = new FakeIcapServer(r -> bytes("ICAP/1.0 204 No Content\r\n\r\n"));
        ScanResult result = client(false).scan(REQUEST, origin(bytes("movie"), "Video/mp4"));
        assertEquals(ScanOutcome.SKIPPED, result.outcome());
        assertEquals("movie", new String(read(result)));
        assertTrue(server.respmods().isEmpty());
    }

    @Test
    void aServiceWithoutRespmodIsAnError() throws Exception {
        server = new FakeIcapServer(r -> bytes("ICAP/1.0 204 No Content\r\n\r\n"));
        server.options = "ICAP/1.0 200 OK\r\nMethods: REQMOD\r\nEncapsulated: null-body=0\r\n\r\n";
        IcapException e = assertThrows(IcapException.class, () -> client(false).scan(REQUEST, origin(bytes("x"))));
        assertEquals(Failure.ICAP_MALFORMED, e.failure());
    }
    /**
     * A service's OPTIONS may ask for any preview size (a misconfigured or hostile one: a gigabyte). The preview is held
     * in memory until the service answers, so it is bounded here (RFC 3507 §4.5 lets a client send less than asked):
     * the rest streams, and the whole body is never held.
     */
    @Test
    void aHugePreviewAskedForIsCappedSoTheBodyIsNotHeldInMemory() throws Exception {
        server = new FakeIcapServer(echoAfterContinue());
        server.options = server.options.replace("Preview: 8", "Preview: 1000000000");
        byte[] body = random(RespmodExchange.MAX_PREVIEW_BYTES * 4);
        ScanResult result = client(false).scan(REQUEST, origin(body));
        assertArrayEquals(body, read(result));
        FakeIcapServer.Received r = server.respmods().getFirst();
        assertEquals(RespmodExchange.MAX_PREVIEW_BYTES, r.preview().length, "the preview held in memory");
        assertFalse(r.previewIeof());
        assertEquals(Integer.toString(RespmodExchange.MAX_PREVIEW_BYTES), r.field("Preview"));
    }
    /**
     * The service may take up to the timeout (1 s here) after the last byte of the body to answer (a scanner checks the
     * whole file then): that silence is measured from the body's end, not from whenever the read that waits for the
     * answer began. Here the body ends 0.8 s into that read and the service answers 0.5 s later.
     */
    @Test
    void theServiceHasTheWholeTimeoutAfterTheBodyEndedToAnswer() throws Exception {
        byte[] body = random(2_000);
        server = new FakeIcapServer(r -> {
            try {
                Thread.sleep(500); // scanning
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return answer("", r.responseHead(), r.body());
        });
        server.options = "ICAP/1.0 200 OK\r\nMethods: RESPMOD\r\nEncapsulated: null-body=0\r\n\r\n";
        java.io.InputStream late = trickle(body, body.length, 800);
        ScanResult result = client(false).scan(REQUEST, origin(body).withBody(late));
        assertArrayEquals(body, read(result));
    }
}
