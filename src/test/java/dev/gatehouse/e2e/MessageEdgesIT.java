package dev.gatehouse.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The edges of HTTP/1.1 message framing through the proxy (RFC 9112 §6.3, RFC 9110 §6.4.1, §15.2): an origin
 * on a raw socket sends each odd but possible response byte for byte, and the test checks what the client
 * got, what a reused origin connection carries next, what the cache kept and what the audit log says.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MessageEdgesIT extends RawOriginCase {
    /**
     * An origin that answers the requests on each connection, in order of arrival over all connections, with
     * {@code answers} (raw bytes), posting "connection index: request line" for each request; after the last
     * answer it answers "HTTP/1.1 200 OK" with body "fresh" (the request that must not see leftovers).
     */
    private void originAnswering(String... answers) throws IOException {
        BlockingQueue<String> queue = new LinkedBlockingQueue<>(List.of(answers));
        origin = new RawOrigin((s, index, o) -> {
            InputStream in = s.getInputStream();
            List<String> head;
            while ((head = RawOrigin.readHead(in)) != null) {
                o.post(index + ": " + head.getFirst());
                String length = RawOrigin.field(head, "Content-Length");
                if (length != null) in.readNBytes(Integer.parseInt(length));
                String answer = queue.poll();
                RawOrigin.write(s, answer != null ? answer : "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfresh");
            }
        });
        proxy = GatehouseFixture.start();
    }

    /**
     * The first {@code n} records in the order their requests arrived (the request id's counter): a record is written
     * when its access ends, and the forwarding thread can let go of one after the client has sent the next request.
     */
    private List<JsonNode> inArrivalOrder(int n) {
        return proxy.awaitRecords(n).stream().sorted(Comparator.comparingLong(r -> {
            String id = r.get("requestId").asText();
            return Long.parseLong(id.substring(id.lastIndexOf('-') + 1), 36);
        })).toList();
    }

    private String request(String method, String path) {
        return method + " " + origin.url(path) + " HTTP/1.1\r\nHost: 127.0.0.1:" + origin.port() + "\r\n\r\n";
    }

    /** Two requests on one client connection (so on one pooled origin connection if the proxy reuses it). */
    private RawConnection.Response[] twoRequests(String firstMethod) throws IOException {
        try (RawConnection c = RawConnection.open(proxy.proxyAddress())) {
            RawConnection.Response first = c.send(request(firstMethod, "/first")).readResponse("HEAD".equals(firstMethod));
            RawConnection.Response second = c.send(request("GET", "/second")).readResponse();
            return new RawConnection.Response[] {first, second};
        }
    }

    private static final String SMUGGLED = "HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\nsmuggled";

    @Test
    void bytesBeyondContentLengthAreNeitherForwardedNorReadAsTheNextResponse() throws Exception {
        originAnswering("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello" + SMUGGLED);

        RawConnection.Response[] r = twoRequests("GET");

        assertEquals("hello", r[0].text());
        assertEquals("fresh", r[1].text(), "the extra bytes must not answer the next request");
    }

    /** RFC 9110 §6.4.1: no content in a response to HEAD, nor in a 204 or 304; an origin sends one all the same. */
    static Stream<Arguments> bodiesWhereNoneMayBe() {
        return Stream.of(
                Arguments.of("HEAD", "HTTP/1.1 200 OK\r\nContent-Length: " + SMUGGLED.length() + "\r\n\r\n" + SMUGGLED, 200),
                Arguments.of("GET", "HTTP/1.1 204 No Content\r\n\r\n" + SMUGGLED, 204),
                Arguments.of("GET", "HTTP/1.1 304 Not Modified\r\nETag: \"v\"\r\n\r\n" + SMUGGLED, 304));
    }

    @ParameterizedTest(name = "{0} answered {2}")
    @MethodSource("bodiesWhereNoneMayBe")
    void aBodyWhereNoneMayBeIsNotReadAsTheNextResponse(String method, String answer, int status) throws Exception {
        originAnswering(answer);

        RawConnection.Response[] r = twoRequests(method);

        assertEquals(status, r[0].status());
        assertEquals("fresh", r[1].text(), "the body the origin wrongly sent must not answer the next request");
    }

    @Test
    void transferEncodingWithContentLength_theChunkedBodyIsForwardedWithoutTheLength() throws Exception {
        originAnswering("HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");

        RawConnection.Response[] r = twoRequests("GET");

        assertEquals(200, r[0].status());
        assertTrue(r[0].complete());
        assertEquals("hello", r[0].text());
        String length = r[0].header("Content-Length");
        assertTrue(length == null || length.equals("5"), "RFC 9112 §6.3: the received Content-Length is not forwarded: " + length);
        assertEquals("fresh", r[1].text());
    }

    @Test
    void aContentLengthListOfOneValueIsForwardedAsThatValue() throws Exception {
        originAnswering("HTTP/1.1 200 OK\r\nContent-Length: 5, 5\r\n\r\nhello");

        RawConnection.Response[] r = twoRequests("GET");

        assertEquals(200, r[0].status());
        assertEquals("5", r[0].header("Content-Length"));
        assertEquals("hello", r[0].text());
        assertEquals("fresh", r[1].text());
    }

    @Test
    void twoDifferentContentLengthsAre502() throws Exception {
        originAnswering("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!");

        RawConnection.Response r = RawConnection.roundTrip(proxy.proxyAddress(), request("GET", "/x"));

        assertEquals(502, r.status());
        JsonNode record = proxy.awaitOnlyRecord();
        assertEquals("malformed_response", record.get("error").asText(), record::toString);
    }

    @Test
    void chunkExtensionsAndTrailersAreConsumedAndTheConnectionReused() throws Exception {
        originAnswering("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-Sum\r\n\r\n"
                + "3;name=value;q=\"a b\"\r\nhel\r\n2\r\nlo\r\n0;last\r\nX-Sum: 5\r\n\r\n");

        RawConnection.Response[] r = twoRequests("GET");

        assertEquals("hello", r[0].text());
        assertTrue(r[0].complete());
        assertEquals("fresh", r[1].text());
        assertEquals("0: GET /first HTTP/1.1", origin.nextEvent());
        assertEquals("0: GET /second HTTP/1.1", origin.nextEvent(), "the connection was reused after the trailers");
    }

    @Test
    void interimResponsesAreNotMistakenForTheFinalOne() throws Exception {
        originAnswering("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </s.css>; rel=preload\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nCache-Control: max-age=600\r\nContent-Length: 5\r\n\r\nhello");

        RawConnection.Response first = RawConnection.roundTrip(proxy.proxyAddress(), request("GET", "/hints"));
        RawConnection.Response again = RawConnection.roundTrip(proxy.proxyAddress(), request("GET", "/hints"));

        assertEquals(200, first.status());
        assertEquals("hello", first.text());
        assertEquals(200, again.status());
        assertEquals("hello", again.text());
        assertEquals(List.of("TCP_MISS", "TCP_MEM_HIT"), inArrivalOrder(2).stream().map(n -> n.get("result").asText()).toList());
    }

    @Test
    void aChunkedBodyCutBeforeTheLastChunkIsNotStored() throws Exception {
        origin = new RawOrigin((s, index, o) -> {
            RawOrigin.readHead(s.getInputStream());
            if (index == 0) {
                RawOrigin.write(s, "HTTP/1.1 200 OK\r\nCache-Control: max-age=600\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
            } else {
                RawOrigin.write(s, "HTTP/1.1 200 OK\r\nCache-Control: max-age=600\r\nContent-Length: 5\r\n\r\nwhole");
            }
        });
        proxy = GatehouseFixture.start();

        RawConnection.Response cut;
        try (RawConnection c = RawConnection.open(proxy.proxyAddress())) {
            cut = c.send(request("GET", "/cut")).readResponse();
            assertTrue(c.awaitClosed(), "the client connection is not reused after a cut body");
        }
        RawConnection.Response next = RawConnection.roundTrip(proxy.proxyAddress(), request("GET", "/cut"));

        assertFalse(cut.complete());
        assertEquals("whole", next.text(), "the cut body was not stored");
        List<JsonNode> records = inArrivalOrder(2);
        assertEquals("TCP_MISS_ABORTED", records.get(0).get("result").asText());
        assertEquals("upstream_aborted", records.get(0).get("error").asText());
        assertEquals("TCP_MISS", records.get(1).get("result").asText());
    }

    @Test
    void aCloseDelimitedBodyIsForwardedWholeAndStored() throws Exception {
        origin = new RawOrigin((s, index, o) -> {
            RawOrigin.readHead(s.getInputStream());
            RawOrigin.write(s, "HTTP/1.1 200 OK\r\nCache-Control: max-age=600\r\nConnection: close\r\n\r\nuntil the end");
        });
        proxy = GatehouseFixture.start();

        RawConnection.Response first = RawConnection.roundTrip(proxy.proxyAddress(), request("GET", "/close"));
        RawConnection.Response second = RawConnection.roundTrip(proxy.proxyAddress(), request("GET", "/close"));

        assertEquals("until the end", first.text());
        assertEquals("until the end", second.text());
        assertEquals(1, origin.connections());
        List<JsonNode> records = inArrivalOrder(2);
        assertEquals("TCP_MISS", records.get(0).get("result").asText());
        assertTrue(records.get(1).get("result").asText().endsWith("HIT"), records.get(1)::toString);
    }

    /**
     * Repeated: the second request comes as soon as the client has the page, racing the first fetch's end; it
     * must not join that failed fetch as a collapsed follower (it was cut off with no response in about one run in ten).
     */
    @RepeatedTest(20)
    void aChunkSizeFollowedByJunkIsMalformedNotALastChunk() throws Exception {
        originAnswering("HTTP/1.1 200 OK\r\nCache-Control: max-age=600\r\nTransfer-Encoding: chunked\r\n\r\n0x5\r\nhello\r\n0\r\n\r\n");

        RawConnection.Response r = RawConnection.roundTrip(proxy.proxyAddress(), request("GET", "/junk"));
        RawConnection.Response next = RawConnection.roundTrip(proxy.proxyAddress(), request("GET", "/junk"));

        // RFC 9112 §7.1: "0x5" is no chunk size. Nothing of the body reached the client, so it gets the page.
        assertEquals(502, r.status(), r::text);
        assertTrue(r.text().contains("0x5") || r.text().contains("chunk size"), r::text);
        assertEquals("fresh", next.text(), "the broken response was not stored");
        JsonNode record = inArrivalOrder(2).getFirst();
        assertEquals(502, record.get("status").asInt(), record::toString);
        assertEquals("malformed_response", record.get("error").asText(), record::toString);
    }

    @Test
    void aChunkBrokenInTheMiddleOfALargeBodyIsAuditedAsMalformed() throws Exception {
        String data = "0123456789".repeat(5000);
        originAnswering("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(data.length()) + "\r\n" + data + "\r\nzz\r\n");

        RawConnection.Response r = RawConnection.roundTrip(proxy.proxyAddress(), request("GET", "/mid"));

        assertEquals(200, r.status());
        assertFalse(r.complete(), "no last chunk may be invented");
        JsonNode record = proxy.awaitOnlyRecord();
        assertEquals("TCP_MISS_ABORTED", record.get("result").asText(), record::toString);
        assertEquals("malformed_response", record.get("error").asText(), record::toString);
    }

    /** RFC 9112 §6.1: a coding besides chunked could not be announced once Transfer-Encoding is removed (Squid: ERR_INVALID_RESP). */
    @ParameterizedTest(name = "Transfer-Encoding: {0}")
    @ValueSource(strings = {"gzip, chunked", "gzip", "chunked, chunked"})
    void aTransferCodingOtherThanChunkedIs502(String codings) throws Exception {
        originAnswering("HTTP/1.1 200 OK\r\nTransfer-Encoding: " + codings + "\r\n\r\n4\r\nGZIP\r\n0\r\n\r\n");

        RawConnection.Response r = RawConnection.roundTrip(proxy.proxyAddress(), request("GET", "/coded"));

        assertEquals(502, r.status(), "the coded body must not pass as the representation: " + r.text());
        JsonNode record = proxy.awaitOnlyRecord();
        assertEquals(502, record.get("status").asInt(), record::toString);
        assertEquals("malformed_response", record.get("error").asText(), record::toString);
    }

    /** RFC 9112 §9.5: an origin refusing an upload may answer before it has the body and close at once. */
    @RepeatedTest(5)
    void anAnswerTheOriginSentBeforeClosingOnAnUploadIsRelayedNotA502() throws Exception {
        origin = new RawOrigin((s, index, o) -> {
            RawOrigin.readHead(s.getInputStream());
            RawOrigin.write(s, "HTTP/1.1 413 Content Too Large\r\nConnection: close\r\nContent-Length: 8\r\n\r\ntoo big!");
            s.shutdownOutput();
            Thread.sleep(100);
            s.setSoLinger(true, 0); // closed with the body unread: the proxy's next write fails
        });
        proxy = GatehouseFixture.start();
        int length = 8 << 20;

        RawConnection.Response r;
        try (RawConnection c = RawConnection.open(proxy.proxyAddress())) {
            c.send("POST " + origin.url("/upload") + " HTTP/1.1\r\nHost: 127.0.0.1:" + origin.port() + "\r\nContent-Length: " + length + "\r\n\r\n");
            Thread.ofVirtual().start(() -> {
                try {
                    c.send(new byte[length]);
                } catch (IOException e) {
                    // the proxy may stop reading once it has answered
                }
            });
            r = c.readResponse();
        }

        assertEquals(413, r.status(), r::text);
        assertEquals("too big!", r.text());
        JsonNode record = proxy.awaitOnlyRecord();
        assertEquals(413, record.get("status").asInt(), record::toString);
        assertTrue(record.get("error").isNull(), record::toString);
    }

    /**
     * RFC 9110 §7.6.1: a field named in Connection is removed before forwarding, Content-Length too; the body is
     * still framed by it as received, and the proxy frames what it sends itself.
     */
    @Test
    void aConnectionOptionNamingContentLengthRemovesTheFieldButNotTheFraming() throws Exception {
        originAnswering("HTTP/1.1 200 OK\r\nConnection: Content-Length, X-Hop\r\nX-Hop: 1\r\nContent-Length: 5\r\n\r\nhello");

        RawConnection.Response[] r = twoRequests("GET");

        assertEquals("hello", r[0].text());
        assertTrue(r[0].complete());
        assertNull(r[0].header("X-Hop"));
        assertEquals("fresh", r[1].text());
        assertEquals("0: GET /first HTTP/1.1", origin.nextEvent());
        assertEquals("0: GET /second HTTP/1.1", origin.nextEvent(), "the origin connection stayed in step");
    }

    /** Whatever host the client's Host names (RFC 9112 §3.2.2: ignored for an absolute-form target). */
    @ParameterizedTest(name = "Host: {0}")
    @ValueSource(strings = {"{authority}", "other.example", "localhost:8080"})
    void anIpv6LiteralTargetReachesItsOriginWithTheBracketedHost(String host) throws Exception {
        origin = new RawOrigin(InetAddress.getByName("::1"), (s, index, o) -> {
            o.post(String.join("\n", RawOrigin.readHead(s.getInputStream())));
            RawOrigin.write(s, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nv6");
        });
        proxy = GatehouseFixture.start();
        String authority = "[::1]:" + origin.port();

        RawConnection.Response r = RawConnection.roundTrip(proxy.proxyAddress(),
                "GET http://" + authority + "/six?q=1 HTTP/1.1\r\nHost: " + host.replace("{authority}", authority) + "\r\n\r\n");

        assertEquals(200, r.status());
        assertEquals("v6", r.text());
        List<String> seen = List.of(origin.nextEvent().split("\n"));
        assertEquals("GET /six?q=1 HTTP/1.1", seen.getFirst());
        assertEquals(authority, RawOrigin.field(seen, "Host"));
        assertEquals("http://" + authority + "/six?q=1", proxy.awaitOnlyRecord().get("url").asText());
    }
}
