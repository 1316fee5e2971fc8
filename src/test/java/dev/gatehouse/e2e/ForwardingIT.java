package dev.gatehouse.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Plain HTTP forwarding through real sockets: methods, bodies and their framing, connection reuse on
 * both sides, and the message rules of RFC 9110 §7.6 (hop-by-hop fields, Via, Max-Forwards, loops).
 * Each test checks what the client got, what the origin saw and what the audit log says.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ForwardingIT extends MockOriginCase {

    private String authority() {
        return "127.0.0.1:" + origin.getPort();
    }

    private RecordedRequest taken() throws InterruptedException {
        RecordedRequest r = origin.takeRequest(10, TimeUnit.SECONDS);
        assertNotNull(r, "the origin received no request");
        return r;
    }

    @Test
    void getIsForwardedAndAuditedAsMiss() throws Exception {
        origin.enqueue(new MockResponse.Builder().addHeader("Content-Type", "text/plain").body("hello").build());

        HttpResponse<String> response = proxy.client().send(HttpRequest.newBuilder(URI.create(url("/page?q=1&r=%20s"))).build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(200, response.statusCode());
        assertEquals("hello", response.body());
        assertEquals("1.1 gatehouse", response.headers().firstValue("via").orElse(null));
        RecordedRequest seen = taken();
        assertEquals("GET /page?q=1&r=%20s HTTP/1.1", seen.getRequestLine());
        assertEquals(authority(), seen.getHeaders().get("Host"));
        assertEquals("1.1 gatehouse", seen.getHeaders().get("Via"));
        assertNull(seen.getHeaders().get("X-Forwarded-For"), "client anonymity: no X-Forwarded-For by default");
        assertNull(seen.getHeaders().get("Content-Length"), "a GET without body gets no Content-Length");
        JsonNode record = proxy.awaitOnlyRecord();
        assertEquals("GET", record.get("method").asText());
        assertEquals(url("/page?q=1&r=%20s"), record.get("url").asText());
        assertEquals(200, record.get("status").asInt());
        assertEquals("TCP_MISS", record.get("result").asText());
        assertEquals("HIER_DIRECT", record.get("hierarchy").asText());
        assertEquals("127.0.0.1", record.get("upstream").asText());
        assertEquals("127.0.0.1", record.get("client").asText());
        assertEquals("text/plain", record.get("contentType").asText());
        assertTrue(record.get("bytesToClient").asLong() > 5, "bytes to the client include the header: " + record);
        assertTrue(record.get("bytesFromClient").asLong() > 0, record::toString);
        assertTrue(record.get("error").isNull(), record::toString);
        proxy.assertNothingLoggedAboveInfo();
    }

    @Test
    void postAndPutCarryTheirBodiesWithContentLength() throws Exception {
        origin.enqueue(new MockResponse.Builder().code(201).body("created").build());
        origin.enqueue(new MockResponse.Builder().code(204).build());

        HttpResponse<String> post = proxy.client().send(HttpRequest.newBuilder(URI.create(url("/items")))
                .POST(HttpRequest.BodyPublishers.ofString("name=widget")).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> put = proxy.client().send(HttpRequest.newBuilder(URI.create(url("/items/1")))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"n\":1}")).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(201, post.statusCode());
        assertEquals("created", post.body());
        assertEquals(204, put.statusCode());
        RecordedRequest p1 = taken();
        assertEquals("POST", p1.getMethod());
        assertEquals("11", p1.getHeaders().get("Content-Length"));
        assertEquals("name=widget", p1.getBody().utf8());
        RecordedRequest p2 = taken();
        assertEquals("PUT", p2.getMethod());
        assertEquals("application/json", p2.getHeaders().get("Content-Type"));
        assertEquals("{\"n\":1}", p2.getBody().utf8());
        List<JsonNode> records = proxy.awaitRecords(2);
        assertEquals(List.of("POST", "PUT"), records.stream().map(r -> r.get("method").asText()).toList());
        assertEquals(List.of(201, 204), records.stream().map(r -> r.get("status").asInt()).toList());
        assertTrue(records.getFirst().get("bytesFromClient").asLong() > 11, "the request body is counted");
        proxy.assertNothingLoggedAboveInfo();
    }

    @Test
    void extensionMethodIsForwardedWithItsBody() throws Exception {
        origin.enqueue(new MockResponse.Builder().code(207).addHeader("Content-Type", "application/xml").body("<multistatus/>").build());

        HttpResponse<String> response = proxy.client().send(HttpRequest.newBuilder(URI.create(url("/dav/")))
                .method("PROPFIND", HttpRequest.BodyPublishers.ofString("<propfind/>")).header("Depth", "1").build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(207, response.statusCode());
        assertEquals("<multistatus/>", response.body());
        RecordedRequest seen = taken();
        assertEquals("PROPFIND", seen.getMethod());
        assertEquals("1", seen.getHeaders().get("Depth"));
        assertEquals("<propfind/>", seen.getBody().utf8());
        JsonNode record = proxy.awaitOnlyRecord();
        assertEquals("PROPFIND", record.get("method").asText());
        assertEquals(207, record.get("status").asInt());
    }

    @Test
    void chunkedRequestBodyIsStreamedChunkedToTheOrigin() throws Exception {
        origin.enqueue(new MockResponse.Builder().body("ok").build());
        byte[] body = "a body of unknown length ".repeat(2000).getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> response = proxy.client().send(HttpRequest.newBuilder(URI.create(url("/upload")))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(200, response.statusCode());
        RecordedRequest seen = taken();
        assertEquals("chunked", seen.getHeaders().get("Transfer-Encoding"));
        assertNull(seen.getHeaders().get("Content-Length"));
        assertFalse(seen.getChunkSizes().isEmpty());
        assertEquals(body.length, seen.getBodySize());
        assertEquals(new String(body, StandardCharsets.UTF_8), seen.getBody().utf8());
        assertEquals(200, proxy.awaitOnlyRecord().get("status").asInt());
    }

    @Test
    void chunkedResponseReachesTheClientChunked() throws Exception {
        // Larger than the proxy's output buffer, so the length is unknown when the response starts.
        String body = "0123456789".repeat(20_000);
        origin.enqueue(new MockResponse.Builder().chunkedBody(body, 7000).build());

        try (RawConnection c = RawConnection.open(proxy.proxyAddress())) {
            c.send("GET " + url("/chunks") + " HTTP/1.1\r\nHost: " + authority() + "\r\n\r\n");
            RawConnection.Response r = c.readResponse();
            assertEquals(200, r.status());
            assertEquals("chunked", r.header("Transfer-Encoding"));
            assertNull(r.header("Content-Length"));
            assertTrue(r.complete());
            assertEquals(body, r.text());
        }
        JsonNode record = proxy.awaitOnlyRecord();
        assertEquals("TCP_MISS", record.get("result").asText());
        assertTrue(record.get("bytesToClient").asLong() > body.length(), record::toString);
    }

    @Test
    void twoRequestsOnOneClientConnectionShareOnePooledUpstreamConnection() throws Exception {
        origin.enqueue(new MockResponse.Builder().body("first").build());
        origin.enqueue(new MockResponse.Builder().body("second").build());

        String request1 = "GET " + url("/1") + " HTTP/1.1\r\nHost: " + authority() + "\r\n\r\n";
        String request2 = "GET " + url("/2") + " HTTP/1.1\r\nHost: " + authority() + "\r\nUser-Agent: raw\r\n\r\n";
        long response1Bytes;
        long response2Bytes;
        try (RawConnection c = RawConnection.open(proxy.proxyAddress())) {
            RawConnection.Response first = c.send(request1).readResponse();
            response1Bytes = c.bytesRead();
            // The JDK client puts a connection back in its pool a moment after the body's end reached us;
            // "sequential" means after the first exchange is completely over.
            proxy.awaitRecords(1);
            RawConnection.Response second = c.send(request2).readResponse();
            response2Bytes = c.bytesRead() - response1Bytes;
            assertEquals("first", first.text());
            assertEquals("second", second.text());
        }
        RecordedRequest one = taken();
        RecordedRequest two = taken();
        assertEquals(one.getConnectionIndex(), two.getConnectionIndex(), "the upstream connection is reused");
        assertEquals(0, one.getExchangeIndex());
        assertEquals(1, two.getExchangeIndex());
        List<JsonNode> records = proxy.awaitRecords(2);
        assertEquals(List.of(url("/1"), url("/2")), records.stream().map(r -> r.get("url").asText()).toList());
        // Each exchange on the shared connection is charged exactly its own bytes, headers included.
        assertEquals(request1.length(), records.get(0).get("bytesFromClient").asLong());
        assertEquals(request2.length(), records.get(1).get("bytesFromClient").asLong());
        assertEquals(response1Bytes, records.get(0).get("bytesToClient").asLong());
        assertEquals(response2Bytes, records.get(1).get("bytesToClient").asLong());
        proxy.assertNothingLoggedAboveInfo();
    }

    @Test
    void headResponseHasNoBodyAndTheConnectionStaysUsable() throws Exception {
        origin.enqueue(new MockResponse.Builder().setHeader("Content-Length", "1234").setHeader("Content-Type", "text/html").build());
        origin.enqueue(new MockResponse.Builder().body("after").build());

        try (RawConnection c = RawConnection.open(proxy.proxyAddress())) {
            c.send("HEAD " + url("/big") + " HTTP/1.1\r\nHost: " + authority() + "\r\n\r\n");
            RawConnection.Response head = c.readResponse(true);
            assertEquals(200, head.status());
            assertEquals("1234", head.header("Content-Length"), "HEAD keeps the length the GET would have");
            c.send("GET " + url("/after") + " HTTP/1.1\r\nHost: " + authority() + "\r\n\r\n");
            assertEquals("after", c.readResponse().text(), "no stray body bytes after the HEAD response");
        }
        assertEquals("HEAD", taken().getMethod());
        assertEquals("HEAD", proxy.awaitRecords(2).getFirst().get("method").asText());
    }

    @Test
    void notModifiedIsPassedOnWithoutBody() throws Exception {
        origin.enqueue(new MockResponse.Builder().code(304).addHeader("ETag", "\"v1\"").build());
        origin.enqueue(new MockResponse.Builder().body("next").build());

        try (RawConnection c = RawConnection.open(proxy.proxyAddress())) {
            c.send("GET " + url("/doc") + " HTTP/1.1\r\nHost: " + authority() + "\r\nIf-None-Match: \"v1\"\r\n\r\n");
            RawConnection.Response r = c.readResponse();
            assertEquals(304, r.status());
            assertEquals("\"v1\"", r.header("ETag"));
            c.send("GET " + url("/next") + " HTTP/1.1\r\nHost: " + authority() + "\r\n\r\n");
            assertEquals("next", c.readResponse().text());
        }
        assertEquals("\"v1\"", taken().getHeaders().get("If-None-Match"));
        assertEquals(304, proxy.awaitRecords(2).getFirst().get("status").asInt());
    }

    @Test
    void expectContinueIsAnsweredBeforeTheBodyIsSent() throws Exception {
        origin.enqueue(new MockResponse.Builder().body("stored").build());

        try (RawConnection c = RawConnection.open(proxy.proxyAddress())) {
            c.send("PUT " + url("/file") + " HTTP/1.1\r\nHost: " + authority()
                    + "\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            // No body yet: the proxy must say 100 first (curl would otherwise stall a second per upload).
            RawConnection.Response interim = c.readHead();
            assertEquals(100, interim.status());
            c.send("12345");
            RawConnection.Response r = c.readResponse();
            assertEquals(200, r.status());
            assertEquals("stored", r.text());
        }
        RecordedRequest seen = taken();
        assertEquals("12345", seen.getBody().utf8());
        // The proxy answers the expectation itself. Passed on, the JDK client would wait up to 5 s for a
        // 100 from this origin, which (like most) sends none.
        assertNull(seen.getHeaders().get("Expect"));
        assertEquals(200, proxy.awaitOnlyRecord().get("status").asInt());
    }

    @Test
    void hopByHopFieldsAreRemovedBothWays() throws Exception {
        origin.enqueue(new MockResponse.Builder()
                .addHeader("Connection", "X-Resp-Hop")
                .addHeader("X-Resp-Hop", "origin-secret")
                .addHeader("Keep-Alive", "timeout=5")
                .addHeader("Proxy-Authenticate", "Basic realm=\"origin\"")
                .addHeader("Via", "1.1 origin-cache")
                .addHeader("X-Resp-End", "kept")
                .body("ok").build());

        RawConnection.Response r;
        try (RawConnection c = RawConnection.open(proxy.proxyAddress())) {
            c.send("GET " + url("/hop") + " HTTP/1.1\r\nHost: " + authority() + "\r\n"
                    + "Connection: keep-alive, X-Hop\r\n"
                    + "X-Hop: client-secret\r\n"
                    + "Keep-Alive: 300\r\n"
                    + "Proxy-Connection: keep-alive\r\n"
                    + "Proxy-Authorization: Basic dXNlcjpwYXNz\r\n"
                    + "TE: trailers\r\n"
                    + "X-Forwarded-For: 10.9.8.7\r\n"
                    + "Via: 1.0 office-cache\r\n"
                    + "X-End: kept\r\n\r\n");
            r = c.readResponse();
        }
        RecordedRequest seen = taken();
        for (String hop : List.of("X-Hop", "Keep-Alive", "Proxy-Connection", "Proxy-Authorization", "TE", "X-Forwarded-For")) {
            assertNull(seen.getHeaders().get(hop), hop + " must not reach the origin");
        }
        assertTrue(seen.getHeaders().get("Connection") == null || !seen.getHeaders().get("Connection").contains("X-Hop"));
        assertEquals("kept", seen.getHeaders().get("X-End"));
        assertEquals("1.0 office-cache, 1.1 gatehouse", seen.getHeaders().get("Via"));

        assertEquals(200, r.status());
        for (String hop : List.of("X-Resp-Hop", "Keep-Alive", "Proxy-Authenticate")) {
            assertNull(r.header(hop), hop + " must not reach the client");
        }
        assertEquals("kept", r.header("X-Resp-End"));
        assertEquals("1.1 origin-cache, 1.1 gatehouse", r.header("Via"));
        assertEquals(200, proxy.awaitOnlyRecord().get("status").asInt());
    }

    @Test
    void mismatchingHostIsRewrittenFromTheRequestTarget() throws Exception {
        origin.enqueue(new MockResponse.Builder().body("ok").build());

        try (RawConnection c = RawConnection.open(proxy.proxyAddress())) {
            // Undertow accepts a Host contained in the target; the origin must see the target's authority.
            c.send("GET " + url("/h") + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            assertEquals(200, c.readResponse().status());
        }
        assertEquals(authority(), taken().getHeaders().get("Host"));
    }

    /**
     * RFC 9112 §3.2.2: the Host of an absolute-form request is ignored, the target's authority used. Undertow
     * would refuse these with 400 before the chain (its Host must be contained in the URI); the connection
     * tap rewrites the field to the target's host beneath the parser.
     */
    @ParameterizedTest(name = "Host: {0}")
    @ValueSource(strings = {"other.example", "other.example:8080", "o", "[::1]:80", "LOCALHOST"})
    void aHostNamingAnotherHostIsIgnoredForAnAbsoluteFormTarget(String host) throws Exception {
        origin.enqueue(new MockResponse.Builder().body("from origin").build());

        RawConnection.Response r;
        try (RawConnection c = RawConnection.open(proxy.proxyAddress())) {
            c.send("GET " + url("/x") + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
            r = c.readResponse();
        }

        assertEquals(200, r.status(), r::text);
        assertEquals("from origin", r.text());
        RecordedRequest seen = taken();
        assertEquals("GET /x HTTP/1.1", seen.getRequestLine());
        assertEquals(authority(), seen.getHeaders().get("Host"));
        JsonNode record = proxy.awaitOnlyRecord();
        assertEquals(url("/x"), record.get("url").asText());
        assertEquals(200, record.get("status").asInt());
        assertEquals("TCP_MISS", record.get("result").asText(), record::toString);
    }

    @Test
    void maxForwardsZeroOnOptionsAndTraceIsAnsweredByTheProxy() throws Exception {
        RawConnection.Response options;
        RawConnection.Response trace;
        try (RawConnection c = RawConnection.open(proxy.proxyAddress())) {
            c.send("OPTIONS " + url("/") + " HTTP/1.1\r\nHost: " + authority() + "\r\nMax-Forwards: 0\r\n\r\n");
            options = c.readResponse();
            c.send("TRACE " + url("/t") + " HTTP/1.1\r\nHost: " + authority() + "\r\nMax-Forwards: 0\r\nX-Probe: p1\r\n"
                    + "Proxy-Authorization: Basic dXNlcjpwYXNz\r\nCookie: session=s3cret\r\nAuthorization: Bearer t0ken\r\n\r\n");
            trace = c.readResponse();
        }
        assertEquals(200, options.status());
        assertNotNull(options.header("Allow"));
        assertEquals(200, trace.status());
        assertEquals("message/http", trace.header("Content-Type"));
        assertTrue(trace.text().startsWith("TRACE " + url("/t") + " HTTP/1.1"), trace.text());
        assertTrue(trace.text().contains("X-Probe: p1"), trace.text());
        for (String secret : List.of("dXNlcjpwYXNz", "s3cret", "t0ken")) {
            assertFalse(trace.text().contains(secret), "credentials are not echoed: " + trace.text());
        }
        assertEquals(0, origin.getRequestCount(), "Max-Forwards: 0 stops at this proxy");
        List<JsonNode> records = proxy.awaitRecords(2);
        assertEquals(List.of("OPTIONS", "TRACE"), records.stream().map(n -> n.get("method").asText()).toList());
    }

    @Test
    void maxForwardsAboveZeroIsDecremented() throws Exception {
        origin.enqueue(new MockResponse.Builder().addHeader("Allow", "GET").build());

        try (RawConnection c = RawConnection.open(proxy.proxyAddress())) {
            c.send("OPTIONS " + url("/") + " HTTP/1.1\r\nHost: " + authority() + "\r\nMax-Forwards: 3\r\n\r\n");
            assertEquals(200, c.readResponse().status());
        }
        assertEquals("2", taken().getHeaders().get("Max-Forwards"));
    }

    /**
     * RFC 9110 §7.6.2: Max-Forwards is 1*DIGIT, so "-1" is no value (it was answered here as if 0); a value too
     * large to parse is still decremented (it went on unchanged).
     */
    @ParameterizedTest
    @CsvSource({"-1, -1", "99999999999999999999, 9223372036854775806"})
    void maxForwardsThatIsNoNumberIsIgnoredAndAHugeOneIsStillDecremented(String sent, String forwarded) throws Exception {
        origin.enqueue(new MockResponse.Builder().addHeader("Allow", "GET").build());

        RawConnection.Response r = RawConnection.roundTrip(proxy.proxyAddress(),
                "OPTIONS " + url("/") + " HTTP/1.1\r\nHost: " + authority() + "\r\nMax-Forwards: " + sent + "\r\n\r\n");

        assertEquals(200, r.status());
        assertEquals(forwarded, taken().getHeaders().get("Max-Forwards"));
    }

    @Test
    void requestThatAlreadyPassedThroughThisProxyIsRefusedAsALoop() throws Exception {
        RawConnection.Response r = RawConnection.roundTrip(proxy.proxyAddress(), "GET " + url("/loop") + " HTTP/1.1\r\nHost: " + authority() + "\r\nVia: 1.1 other, 1.1 gatehouse\r\n\r\n");
        assertEquals(403, r.status());
        assertEquals(0, origin.getRequestCount());
        JsonNode record = proxy.awaitOnlyRecord();
        assertEquals(403, record.get("status").asInt());
        assertEquals("TCP_DENIED", record.get("result").asText());
        assertEquals("forwarding_loop", record.get("error").asText());
        assertTrue(r.text().contains(record.get("requestId").asText()), "the page names the audited request id");
    }

    @Test
    void connectionCloseFromTheClientIsHonoured() throws Exception {
        origin.enqueue(new MockResponse.Builder().body("bye").build());

        try (RawConnection c = RawConnection.open(proxy.proxyAddress())) {
            c.send("GET " + url("/") + " HTTP/1.1\r\nHost: " + authority() + "\r\nConnection: close\r\n\r\n");
            assertEquals("bye", c.readResponse().text());
            assertTrue(c.awaitClosed());
        }
        assertNull(taken().getHeaders().get("Connection"), "the client's Connection field is hop-by-hop");
    }

    @Test
    void http10ClientGetsAnHttp10StyleResponseAndTheConnectionClosed() throws Exception {
        origin.enqueue(new MockResponse.Builder().chunkedBody("old client", 3).build());

        try (RawConnection c = RawConnection.open(proxy.proxyAddress())) {
            c.send("GET " + url("/old") + " HTTP/1.0\r\n\r\n");
            RawConnection.Response r = c.readResponse();
            assertEquals(200, r.status());
            assertNull(r.header("Transfer-Encoding"), "HTTP/1.0 has no chunked coding");
            assertEquals("old client", r.text());
            assertTrue(c.awaitClosed());
        }
        assertEquals(authority(), taken().getHeaders().get("Host"), "Host comes from the target even for HTTP/1.0");
    }

    /** RFC 9110 §7.6.3: the entry names the version this proxy received the request with, the client's. */
    @Test
    void http10ClientsRequestReachesTheOriginWithA10ViaEntry() throws Exception {
        origin.enqueue(new MockResponse.Builder().body("ok").build());

        RawConnection.Response r = RawConnection.roundTrip(proxy.proxyAddress(),
                "GET " + url("/old-via") + " HTTP/1.0\r\nVia: 1.1 office-cache\r\n\r\n");

        assertEquals(200, r.status());
        assertEquals("1.1 office-cache, 1.0 gatehouse", taken().getHeaders().get("Via"));
        assertEquals("1.1 gatehouse", r.header("Via"), "the response came from an HTTP/1.1 origin");
    }

    /**
     * RFC 9110 §7.6.3: the entry names the version this proxy received the response with, the origin's. The
     * cache does not store that version, so a hit of the same response names 1.1 (see the README's limitations).
     */
    @Test
    void http10OriginsResponseReachesTheClientWithA10ViaEntry() throws Exception {
        try (RawOrigin old = new RawOrigin((s, i, o) -> {
            o.post(RawOrigin.field(RawOrigin.readHead(s.getInputStream()), "Via"));
            RawOrigin.write(s, "HTTP/1.0 200 OK\r\nVia: 1.0 origin-cache\r\nCache-Control: max-age=60\r\n"
                    + "Content-Length: 2\r\n\r\nok");
        })) {
            String get = "GET " + old.url("/via") + " HTTP/1.1\r\nHost: 127.0.0.1:" + old.port() + "\r\n\r\n";
            RawConnection.Response miss = RawConnection.roundTrip(proxy.proxyAddress(), get);
            RawConnection.Response hit = RawConnection.roundTrip(proxy.proxyAddress(), get);

            assertEquals("1.1 gatehouse", old.nextEvent(), "the request came from an HTTP/1.1 client");
            assertEquals("ok", miss.text());
            assertEquals("1.0 origin-cache, 1.0 gatehouse", miss.header("Via"));
            assertEquals("ok", hit.text());
            assertEquals("1.0 origin-cache, 1.1 gatehouse", hit.header("Via"));
            assertEquals(1, old.connections(), "the second answer was a hit");
        }
    }

    @Test
    void closeDelimitedOriginResponseIsFramedForTheClient() throws Exception {
        try (RawOrigin old = new RawOrigin((s, i, o) -> {
            RawOrigin.readHead(s.getInputStream());
            RawOrigin.write(s, "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end");
        })) {
            try (RawConnection c = RawConnection.open(proxy.proxyAddress())) {
                c.send("GET " + old.url("/") + " HTTP/1.1\r\nHost: 127.0.0.1:" + old.port() + "\r\n\r\n");
                RawConnection.Response r = c.readResponse();
                assertEquals(200, r.status());
                assertTrue(r.complete());
                assertEquals("until the end", r.text());
                c.send("GET " + url("/again") + " HTTP/1.1\r\nHost: " + authority() + "\r\n\r\n");
                origin.enqueue(new MockResponse.Builder().body("still open").build());
                assertEquals("still open", c.readResponse().text(), "the client connection survives the origin's close");
            }
        }
    }
}
