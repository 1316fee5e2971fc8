package dev.gatehouse.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RFC 9112 strictness through a raw socket: every ambiguous or malformed request is refused (400, or 501
 * for an unknown transfer coding), the connection is closed so nothing after it can be misread, nothing
 * reaches the origin, and each refusal has its audit record, even those Undertow's parser refuses before
 * any handler runs. Limits answer 431 and 414.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StrictParsingIT {
    private GatehouseFixture proxy;
    private RawOrigin origin;

    @BeforeEach
    void start() throws IOException {
        origin = new RawOrigin((s, i, o) -> {
            RawOrigin.readHead(s.getInputStream());
            RawOrigin.write(s, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        });
        proxy = GatehouseFixture.start();
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        origin.close();
    }

    private String target() {
        return origin.url("/x");
    }

    private String host() {
        return "127.0.0.1:" + origin.port();
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("Content-Length with Transfer-Encoding",
                        "POST {t} HTTP/1.1\r\nHost: {h}\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", List.of(400)),
                Arguments.of("two Content-Length fields",
                        "POST {t} HTTP/1.1\r\nHost: {h}\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello", List.of(400)),
                Arguments.of("invalid Content-Length",
                        "POST {t} HTTP/1.1\r\nHost: {h}\r\nContent-Length: 5x\r\n\r\nhello", List.of(400)),
                Arguments.of("Transfer-Encoding: gzip",
                        "POST {t} HTTP/1.1\r\nHost: {h}\r\nTransfer-Encoding: gzip\r\n\r\nxxxx", List.of(501)),
                Arguments.of("Transfer-Encoding: gzip, chunked",
                        "POST {t} HTTP/1.1\r\nHost: {h}\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", List.of(501)),
                Arguments.of("Transfer-Encoding in HTTP/1.0",
                        "POST {t} HTTP/1.0\r\nHost: {h}\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", List.of(400)),
                Arguments.of("bare LF line endings",
                        "GET {t} HTTP/1.1\nHost: {h}\n\n", List.of(400)),
                Arguments.of("control character in a field value",
                        "GET {t} HTTP/1.1\r\nHost: {h}\r\nX-Note: a\u0001b\r\n\r\n", List.of(400)),
                Arguments.of("bare CR inside a field value",
                        "GET {t} HTTP/1.1\r\nHost: {h}\r\nX-Note: a\rb\r\n\r\n", List.of(400)),
                Arguments.of("space in the request-target",
                        "GET {t}/a b HTTP/1.1\r\nHost: {h}\r\n\r\n", List.of(400)),
                Arguments.of("markup in the request-target",
                        "GET {t}/<script>alert(1)</script> HTTP/1.1\r\nHost: {h}\r\n\r\n", List.of(400)),
                Arguments.of("userinfo in the request-target",
                        "GET http://user:pw@{h}/ HTTP/1.1\r\nHost: {h}\r\n\r\n", List.of(400)),
                Arguments.of("port 0 in the request-target",
                        "GET http://127.0.0.1:0/ HTTP/1.1\r\nHost: 127.0.0.1:0\r\n\r\n", List.of(400)),
                Arguments.of("port 65536 in the request-target",
                        "GET http://127.0.0.1:65536/ HTTP/1.1\r\nHost: 127.0.0.1:65536\r\n\r\n", List.of(400)),
                Arguments.of("two Host fields",
                        "GET {t} HTTP/1.1\r\nHost: {h}\r\nHost: {h}\r\n\r\n", List.of(400)),
                Arguments.of("two Host fields, one naming another host",
                        "GET {t} HTTP/1.1\r\nHost: other.example\r\nHost: {h}\r\n\r\n", List.of(400)),
                // RFC 9112 §3.2: an invalid Host value is refused, though an absolute-form target makes Host ignored (§3.2.2).
                Arguments.of("an invalid Host field value",
                        "GET {t} HTTP/1.1\r\nHost: other example\r\n\r\n", List.of(400)),
                Arguments.of("a Host field naming another host, with an invalid port",
                        "GET {t} HTTP/1.1\r\nHost: other.example:x\r\n\r\n", List.of(400)),
                Arguments.of("an empty Host field for a target with a host",
                        "GET {t} HTTP/1.1\r\nHost: \r\n\r\n", List.of(400)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedRequestIsRefusedClosedAndAudited(String name, String request, List<Integer> statuses) throws Exception {
        RawConnection.Response r;
        try (RawConnection c = RawConnection.open(proxy.proxyAddress())) {
            c.send(request.replace("{t}", target()).replace("{h}", host()));
            r = c.readResponse();
            assertTrue(statuses.contains(r.status()), name + ": status " + r.status());
            assertTrue(c.awaitClosed(), name + ": the connection must be closed after a framing error");
        }
        assertTrue(!r.text().contains("<script>"), r.text());
        // Every refusal explains itself, those of Undertow's parser too (the connection tap swaps in the page).
        assertTrue(String.valueOf(r.header("Content-Type")).startsWith("text/html"), name + ": " + r.headers());
        assertTrue(r.text().contains("Request id"), name + ": " + r.text());
        assertEquals(0, origin.connections(), name + ": nothing may be forwarded");
        JsonNode record = proxy.awaitOnlyRecord();
        assertEquals(r.status(), record.get("status").asInt(), record::toString);
        assertEquals("NONE_NONE", record.get("result").asText(), record::toString);
        assertEquals("HIER_NONE", record.get("hierarchy").asText(), record::toString);
    }

    /**
     * RFC 9112 §5.2 lets a server refuse obs-fold with 400 or replace it with SP. Undertow's parser would
     * unfold it silently; the connection tap sees the raw head first, and the proxy refuses it.
     */
    @Test
    void obsFoldIsRefusedWith400AndAudited() throws Exception {
        try (RawConnection c = RawConnection.open(proxy.proxyAddress())) {
            c.send("GET " + target() + " HTTP/1.1\r\nHost: " + host() + "\r\nX-Note: a\r\n b\r\n\r\n");
            assertEquals(400, c.readResponse().status());
            assertTrue(c.awaitClosed(), "the connection is closed after the 400");
        }
        assertEquals(0, origin.connections());
        JsonNode record = proxy.awaitOnlyRecord();
        assertEquals(400, record.get("status").asInt());
        assertEquals("invalid_request", record.get("error").asText());
    }

    /**
     * A request Undertow's parser refuses (before any exchange exists) and one the handler chain refuses get
     * the same error response: the same status line, fields and page, except for what only the chain knows
     * (the URL, the request id, the detail).
     */
    @Test
    void aRequestTheParserRefusesGetsTheSameErrorResponseAsOneTheChainRefuses() throws Exception {
        RawConnection.Response parser = RawConnection.roundTrip(proxy.proxyAddress(), "GET " + target() + " HTTP/1.1\nHost: " + host() + "\n\n");
        RawConnection.Response chain = RawConnection.roundTrip(proxy.proxyAddress(),
                "GET " + target() + " HTTP/1.1\r\nHost: " + host() + "\r\nX-Note: a\r\n b\r\n\r\n");

        assertEquals(400, parser.status());
        assertEquals(400, chain.status());
        assertEquals(fields(chain), fields(parser));
        assertEquals(page(chain), page(parser));
        assertEquals(String.valueOf(parser.body().length), parser.header("Content-Length"));
    }

    /** The response's fields but Content-Length (the pages differ in length) and Date. */
    private static List<String> fields(RawConnection.Response r) {
        return r.headers().stream().filter(h -> !h.getKey().equalsIgnoreCase("Content-Length") && !h.getKey().equalsIgnoreCase("Date"))
                .map(h -> h.getKey().toLowerCase(java.util.Locale.ROOT) + ": " + h.getValue()).sorted().toList();
    }

    /** The page without the parts only an exchange knows: URL, detail and request id. */
    private static String page(RawConnection.Response r) {
        return r.text().replaceAll("<dt>URL</dt><dd>.*?</dd>", "").replaceAll("<dt>Detail</dt><dd>.*?</dd>", "")
                .replaceAll("<dt>Request id</dt><dd>.*?</dd>", "");
    }

    @Test
    void aFoldLikeSequenceInABodyIsNotMistakenForObsFold() throws Exception {
        String body = "line one\r\n continued in the body\r\n";
        RawConnection.Response r = RawConnection.roundTrip(proxy.proxyAddress(), "POST " + target() + " HTTP/1.1\r\nHost: " + host()
                + "\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
        assertEquals(200, r.status());
    }

    @Test
    void headerSectionOverTheLimit_gets431() throws Exception {
        String big = "a".repeat(70_000); // limits.maxHeaderBytes defaults to 64 KiB
        RawConnection.Response r = RawConnection.roundTrip(proxy.proxyAddress(), "GET " + target() + " HTTP/1.1\r\nHost: " + host() + "\r\nX-Big: " + big + "\r\n\r\n");
        assertEquals(431, r.status());
        assertEquals(0, origin.connections());
        JsonNode record = proxy.awaitOnlyRecord();
        assertEquals(431, record.get("status").asInt());
        assertEquals("headers_too_large", record.get("error").asText());
        assertTrue(r.text().contains(record.get("requestId").asText()));
    }

    @Test
    void tooManyHeaderFields_gets431() throws Exception {
        StringBuilder fields = new StringBuilder();
        for (int i = 0; i < 150; i++) fields.append("X-F").append(i).append(": v\r\n");
        RawConnection.Response r = RawConnection.roundTrip(proxy.proxyAddress(), "GET " + target() + " HTTP/1.1\r\nHost: " + host() + "\r\n" + fields + "\r\n");
        assertEquals(431, r.status());
        assertEquals(431, proxy.awaitOnlyRecord().get("status").asInt());
    }

    @Test
    void urlOverTheLimit_gets414() throws Exception {
        String path = "/" + "p".repeat(9000); // limits.maxUrlLength defaults to 8192
        RawConnection.Response r = RawConnection.roundTrip(proxy.proxyAddress(), "GET " + origin.url(path) + " HTTP/1.1\r\nHost: " + host() + "\r\n\r\n");
        assertEquals(414, r.status());
        assertEquals(0, origin.connections());
        JsonNode record = proxy.awaitOnlyRecord();
        assertEquals(414, record.get("status").asInt());
        assertEquals("uri_too_long", record.get("error").asText());
    }

    @Test
    void connectionClosedInsideARequestHeaderIsAudited() throws Exception {
        try (RawConnection c = RawConnection.open(proxy.proxyAddress())) {
            c.send("GET " + target() + " HTTP/1.1\r\nHost: " + host() + "\r\nX-Unfin");
        }
        JsonNode record = proxy.awaitOnlyRecord();
        assertEquals("NONE_NONE", record.get("result").asText());
        assertEquals(0, record.get("status").asInt());
        assertEquals("transaction_end_before_headers", record.get("error").asText());
        assertEquals(0, origin.connections());
    }
}
