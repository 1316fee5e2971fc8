package dev.gatehouse.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interim (1xx) responses from the origin through the proxy (RFC 9110 §15.2): a proxy must forward them to an
 * HTTP/1.1 client (and must not to an HTTP/1.0 one), with the final response's hop-by-hop rules (§7.6.1). The
 * origin writes its bytes on a raw socket and the client reads them on one, so every 1xx on the wire is seen.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class InterimResponsesIT extends RawOriginCase {
    private static final String EARLY_HINTS = "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload; as=style\r\n\r\n";
    private static final String HELLO = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello";

    @TempDir
    Path tmp;

    private void start(RawOrigin.Behaviour behaviour) throws IOException {
        origin = new RawOrigin(behaviour);
        proxy = GatehouseFixture.start();
    }

    /** An origin that answers each request it reads with {@code answer}, on every connection. */
    private void originAnswering(String answer) throws IOException {
        start((s, index, o) -> {
            InputStream in = s.getInputStream();
            List<String> head;
            while ((head = RawOrigin.readHead(in)) != null) {
                RawOrigin.readBody(in, head);
                RawOrigin.write(s, answer);
            }
        });
    }

    private String get(String path, String version) {
        return "GET " + origin.url(path) + " " + version + "\r\nHost: 127.0.0.1:" + origin.port() + "\r\n\r\n";
    }

    @Test
    void earlyHintsReachTheClientAsTheyArriveThenTheFinalResponse() throws Exception {
        CountDownLatch hintsSeen = new CountDownLatch(1);
        start((s, index, o) -> {
            RawOrigin.readHead(s.getInputStream());
            RawOrigin.write(s, EARLY_HINTS);
            // The final response waits until the client has the hints: they must not wait for it.
            o.post(hintsSeen.await(20, TimeUnit.SECONDS) ? "hints relayed" : "hints held back");
            RawOrigin.write(s, HELLO);
        });

        try (RawConnection c = RawConnection.open(proxy.proxyAddress())) {
            c.send(get("/page", "HTTP/1.1"));
            RawConnection.Response hints = c.readHead();
            hintsSeen.countDown();
            assertEquals(103, hints.status());
            assertEquals("</style.css>; rel=preload; as=style", hints.header("Link"));
            assertEquals("1.1 gatehouse", hints.header("Via"), "a proxy adds Via to each message it forwards (RFC 9110 §7.6.3)");
            RawConnection.Response r = c.readResponse();
            assertEquals(200, r.status());
            assertEquals("hello", r.text());
            assertNull(r.header("Link"), "the hint stays with the 103");
        }
        assertEquals("hints relayed", origin.nextEvent());
        JsonNode record = proxy.awaitOnlyRecord();
        assertEquals(200, record.get("status").asInt(), record::toString);
        assertEquals("TCP_MISS", record.get("result").asText(), record::toString);
        assertTrue(record.path("error").isMissingNode() || record.get("error").isNull(), record::toString);
        proxy.assertNothingLoggedAboveInfo();
    }

    @Test
    void processingAndEarlyHintsInARowAreAllRelayed() throws Exception {
        originAnswering("HTTP/1.1 102 Processing\r\n\r\n" + EARLY_HINTS + "HTTP/1.1 103 Early Hints\r\nLink: </app.js>; rel=preload\r\n\r\n" + HELLO);

        try (RawConnection c = RawConnection.open(proxy.proxyAddress())) {
            c.send(get("/slow", "HTTP/1.1"));
            assertEquals(102, c.readHead().status());
            assertEquals("</style.css>; rel=preload; as=style", c.readHead().header("Link"));
            assertEquals("</app.js>; rel=preload", c.readHead().header("Link"));
            assertEquals("hello", c.readResponse().text());
        }
    }

    @Test
    void anHttp10ClientGetsNoInterimResponse() throws Exception {
        originAnswering(EARLY_HINTS + HELLO);

        try (RawConnection c = RawConnection.open(proxy.proxyAddress())) {
            c.send(get("/old", "HTTP/1.0"));
            RawConnection.Response first = c.readHead();
            assertEquals(200, first.status(), "RFC 9110 §15.2: a server must not send a 1xx response to an HTTP/1.0 client");
            assertNull(first.header("Link"));
        }
        assertEquals(200, proxy.awaitOnlyRecord().get("status").asInt());
    }

    @Test
    void hopByHopFieldsOfAnInterimResponseAreRemoved() throws Exception {
        originAnswering("HTTP/1.1 103 Early Hints\r\nConnection: foo\r\nfoo: origin-secret\r\nKeep-Alive: timeout=5\r\n"
                + "Link: </style.css>; rel=preload\r\n\r\n" + HELLO);

        try (RawConnection c = RawConnection.open(proxy.proxyAddress())) {
            c.send(get("/hop", "HTTP/1.1"));
            RawConnection.Response hints = c.readHead();
            assertEquals(103, hints.status());
            assertEquals("</style.css>; rel=preload", hints.header("Link"));
            assertFalse(hints.headerNames().contains("foo"), hints::toString);
            assertFalse(hints.headerNames().contains("connection"), hints::toString);
            assertFalse(hints.headerNames().contains("keep-alive"), hints::toString);
            assertEquals("hello", c.readResponse().text());
        }
    }

    /** The proxy sent the client its own 100 when it read the body (RFC 9110 §10.1.1); the origin's is not a second. */
    @Test
    void anUploadGetsOneContinueFromTheProxyAndTheOriginsOtherInterimResponses() throws Exception {
        originAnswering("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\r\n\r\n" + HELLO);

        try (RawConnection c = RawConnection.open(proxy.proxyAddress())) {
            c.send("PUT " + origin.url("/upload") + " HTTP/1.1\r\nHost: 127.0.0.1:" + origin.port()
                    + "\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            assertEquals(100, c.readHead().status());
            c.send("12345");
            assertEquals(102, c.readHead().status(), "the origin's 100 is not passed on as a second one");
            RawConnection.Response r = c.readResponse();
            assertEquals(200, r.status());
            assertEquals("hello", r.text());
        }
        assertEquals(200, proxy.awaitOnlyRecord().get("status").asInt());
    }

    @Test
    void aClientThatLeftBeforeTheInterimResponseIsAuditedOnceAsAborted() throws Exception {
        CountDownLatch clientGone = new CountDownLatch(1);
        start((s, index, o) -> {
            InputStream in = s.getInputStream();
            List<String> head;
            while ((head = RawOrigin.readHead(in)) != null) {
                if (head.getFirst().contains("/gone")) {
                    o.post("asked");
                    clientGone.await(20, TimeUnit.SECONDS);
                    RawOrigin.write(s, EARLY_HINTS);
                    Thread.sleep(200);
                    RawOrigin.write(s, "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + "x".repeat(100_000));
                } else {
                    RawOrigin.write(s, HELLO);
                }
            }
        });

        Socket client = proxy.socket();
        client.getOutputStream().write(get("/gone", "HTTP/1.1").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertEquals("asked", origin.nextEvent());
        client.setSoLinger(true, 0); // a reset: the proxy's next write to it fails at once
        client.close();
        Thread.sleep(200);
        clientGone.countDown();

        JsonNode record = proxy.awaitOnlyRecord();
        assertEquals("TCP_MISS_ABORTED", record.get("result").asText(), record::toString);
        assertEquals("client_aborted", record.get("error").asText(), record::toString);
        // The proxy is still well: the next client is answered.
        RawConnection.Response next = RawConnection.roundTrip(proxy.proxyAddress(), get("/next", "HTTP/1.1"));
        assertEquals("hello", next.text());
        assertEquals(2, proxy.awaitRecords(2).size());
        GatehouseFixture.pause();
        assertEquals(2, proxy.records().size(), "one record per access");
    }

    /**
     * A reused origin connection that ends after an interim response is not taken for a stale one and retried on
     * another: the client already has the interim response and would get it twice, and the origin did answer.
     */
    @Test
    void anOriginThatClosesAfterAnInterimResponseIsNotAskedAgain() throws Exception {
        start((s, index, o) -> {
            InputStream in = s.getInputStream();
            List<String> head;
            int n = 0;
            while ((head = RawOrigin.readHead(in)) != null) {
                o.post(index + ": " + head.getFirst());
                if (index == 0 && n++ == 0) {
                    RawOrigin.write(s, HELLO);
                } else if (index == 0) {
                    RawOrigin.write(s, EARLY_HINTS);
                    return; // closes
                } else {
                    RawOrigin.write(s, "HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\nretried");
                }
            }
        });

        try (RawConnection c = RawConnection.open(proxy.proxyAddress())) {
            assertEquals("hello", c.send(get("/first", "HTTP/1.1")).readResponse().text());
            c.send(get("/second", "HTTP/1.1"));
            assertEquals(103, c.readHead().status());
            RawConnection.Response r = c.readHead();
            assertEquals(502, r.status(), r::toString);
        }
        assertEquals("0: GET /first HTTP/1.1", origin.nextEvent());
        assertEquals("0: GET /second HTTP/1.1", origin.nextEvent(), "the pooled connection was reused");
        assertNull(origin.events().poll(300, TimeUnit.MILLISECONDS), "the request was not sent again");
    }

    /** Interim responses are never stored (RFC 9111 §3): a hit has none, as the cache answers it alone. */
    @Test
    void aCacheHitHasNoInterimResponse() throws Exception {
        originAnswering(EARLY_HINTS + "HTTP/1.1 200 OK\r\nCache-Control: max-age=600\r\nContent-Length: 5\r\n\r\nhello");

        try (RawConnection c = RawConnection.open(proxy.proxyAddress())) {
            c.send(get("/cached", "HTTP/1.1"));
            assertEquals(103, c.readHead().status());
            assertEquals("hello", c.readResponse().text());
            c.send(get("/cached", "HTTP/1.1"));
            RawConnection.Response hit = c.readHead();
            assertEquals(200, hit.status());
            assertNull(hit.header("Link"));
        }
        assertEquals(List.of("TCP_MISS", "TCP_MEM_HIT"), proxy.resultsInArrivalOrder(2));
    }

    /**
     * The cache's revalidation is its own conditional request: an interim response to it is not relayed (a 304 is
     * answered from the store); only the live forwarded path relays them.
     */
    @Test
    void aRevalidationRelaysNoInterimResponse() throws Exception {
        start((s, index, o) -> {
            InputStream in = s.getInputStream();
            List<String> head;
            while ((head = RawOrigin.readHead(in)) != null) {
                if (RawOrigin.field(head, "If-None-Match") != null) {
                    RawOrigin.write(s, EARLY_HINTS + "HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\nCache-Control: max-age=0\r\n\r\n");
                } else {
                    RawOrigin.write(s, "HTTP/1.1 200 OK\r\nETag: \"v1\"\r\nCache-Control: max-age=0\r\nContent-Length: 5\r\n\r\nhello");
                }
            }
        });

        try (RawConnection c = RawConnection.open(proxy.proxyAddress())) {
            assertEquals("hello", c.send(get("/stale", "HTTP/1.1")).readResponse().text());
            c.send(get("/stale", "HTTP/1.1"));
            RawConnection.Response r = c.readHead();
            assertEquals(200, r.status(), r::toString);
            assertNull(r.header("Link"));
        }
        assertEquals(List.of("TCP_MISS", "TCP_REFRESH_UNMODIFIED"), proxy.resultsInArrivalOrder(2));
    }

    /** What an administrator sees first: curl shows the 103 ahead of the 200. */
    @Test
    void curlThroughTheProxyShowsTheEarlyHints() throws Exception {
        originAnswering(EARLY_HINTS + HELLO);

        Curl.Result r = Curl.run(tmp, List.of("-v", "-x", "http://127.0.0.1:" + proxy.proxyPort(), origin.url("/curl")));

        assertEquals(0, r.exit(), r.err());
        assertEquals("hello", r.out());
        int hints = r.err().indexOf("< HTTP/1.1 103 Early Hints");
        assertTrue(hints >= 0, r.err());
        assertTrue(r.err().indexOf("< Link: </style.css>; rel=preload; as=style") > hints, r.err());
        assertTrue(r.err().indexOf("< HTTP/1.1 200 OK") > hints, r.err());
    }
}
