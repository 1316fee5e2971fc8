package dev.gatehouse.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Origins that fail in each way a forward proxy meets, named after Jetty's ProxyServletFailureTest:
 * the client gets a status page (502/504) that is escaped HTML naming the audited request id, or a
 * response that is visibly cut off, never one completed with bytes the origin did not send.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FailurePagesIT extends RawOriginCase {
    private HttpResponse<String> get(String url) throws Exception {
        return proxy.client().send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The page is HTML, names the audited request id, and the record carries the failure. */
    private static void assertErrorPage(String html, JsonNode record, int status, String error) {
        assertEquals(status, record.get("status").asInt(), record::toString);
        assertEquals(error, record.get("error").asText(), record::toString);
        String id = record.get("requestId").asText();
        assertTrue(html.startsWith("<!DOCTYPE html>"), html);
        assertTrue(html.contains("<code>" + id + "</code>"), "the page names request id " + id + ": " + html);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void originDown_returns502() throws Exception {
        proxy = GatehouseFixture.start();
        String url = "http://127.0.0.1:" + freePort() + "/";

        HttpResponse<String> response = get(url);

        assertEquals(502, response.statusCode());
        assertEquals("text/html; charset=utf-8", response.headers().firstValue("content-type").orElse(null));
        JsonNode record = proxy.awaitOnlyRecord();
        assertErrorPage(response.body(), record, 502, "connect_refused");
        assertEquals("TCP_MISS", record.get("result").asText());
        assertEquals("HIER_DIRECT", record.get("hierarchy").asText());
    }

    @Test
    void dnsFailure_returns502() throws Exception {
        proxy = GatehouseFixture.start();

        HttpResponse<String> response = get("http://no-such-host.invalid/page");

        assertEquals(502, response.statusCode());
        JsonNode record = proxy.awaitOnlyRecord();
        assertErrorPage(response.body(), record, 502, "dns_failure");
        assertEquals("HIER_NONE", record.get("hierarchy").asText());
    }

    @Test
    void errorPageEscapesTheUrl() throws Exception {
        proxy = GatehouseFixture.start();

        // '<' cannot reach a page: the parser refuses it in a request-target (see StrictParsingIT).
        // ' and & are legal in a URL and significant in HTML.
        RawConnection.Response r = RawConnection.roundTrip(proxy.proxyAddress(), "GET http://no-such-host.invalid/it's&amp=1 HTTP/1.1\r\nHost: no-such-host.invalid\r\n\r\n");

        assertEquals(502, r.status());
        String html = r.text();
        assertFalse(html.contains("it's"), html);
        assertTrue(html.contains("http://no-such-host.invalid/it&#39;s&amp;amp=1"), html);
        JsonNode record = proxy.awaitOnlyRecord();
        assertEquals("http://no-such-host.invalid/it's&amp=1", record.get("url").asText());
        assertErrorPage(html, record, 502, "dns_failure");
    }

    @Test
    void originStallsHeaders_returns504() throws Exception {
        origin = new RawOrigin((s, i, o) -> {
            RawOrigin.readHead(s.getInputStream());
            o.post("request received");
            s.setSoTimeout(0);
            while (s.getInputStream().read() >= 0) {
                // say nothing until the proxy gives up
            }
        });
        proxy = GatehouseFixture.start(c -> c.putObject("forwarding").put("responseTimeout", "1s"));

        HttpResponse<String> response = get(origin.url("/slow"));

        assertEquals(504, response.statusCode());
        JsonNode record = proxy.awaitOnlyRecord();
        assertErrorPage(response.body(), record, 504, "upstream_timeout");
        assertEquals("request received", origin.nextEvent());
    }

    @Test
    void malformedUpstreamResponse_returns502() throws Exception {
        origin = new RawOrigin((s, i, o) -> {
            RawOrigin.readHead(s.getInputStream());
            RawOrigin.write(s, "SMTP ready, this is no HTTP\r\n\r\n");
            while (s.getInputStream().read() >= 0) {
                // keep the connection open: the proxy must judge the bytes, not the close
            }
        });
        proxy = GatehouseFixture.start();

        HttpResponse<String> response = get(origin.url("/garbage"));

        assertEquals(502, response.statusCode());
        JsonNode record = proxy.awaitOnlyRecord();
        assertErrorPage(response.body(), record, 502, "malformed_response");
    }

    @Test
    void originClosesMidBody_contentLengthResponseIsCutOff() throws Exception {
        origin = new RawOrigin((s, i, o) -> {
            RawOrigin.readHead(s.getInputStream());
            RawOrigin.write(s, "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 100000\r\n\r\n");
            s.getOutputStream().write(new byte[1000]);
            s.getOutputStream().flush();
        });
        proxy = GatehouseFixture.start();

        RawConnection.Response r;
        try (RawConnection c = RawConnection.open(proxy.proxyAddress())) {
            c.send("GET " + origin.url("/file") + " HTTP/1.1\r\nHost: 127.0.0.1:" + origin.port() + "\r\n\r\n");
            r = c.readResponse();
            assertTrue(c.awaitClosed(), "the client connection is closed");
        }

        assertEquals(200, r.status());
        assertFalse(r.complete(), "the client must see the response end early, not a completed one");
        assertTrue(r.body().length < 100000);
        JsonNode record = proxy.awaitOnlyRecord();
        assertEquals("TCP_MISS_ABORTED", record.get("result").asText(), record::toString);
        assertEquals("upstream_aborted", record.get("error").asText(), record::toString);
    }

    @Test
    void originClosesMidBody_chunkedResponseIsCutOff() throws Exception {
        origin = new RawOrigin((s, i, o) -> {
            RawOrigin.readHead(s.getInputStream());
            byte[] chunk = new byte[40_000];
            Arrays.fill(chunk, (byte) 'x');
            RawOrigin.write(s, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(chunk.length) + "\r\n");
            s.getOutputStream().write(chunk);
            RawOrigin.write(s, "\r\n");
        });
        proxy = GatehouseFixture.start();

        RawConnection.Response r = RawConnection.roundTrip(proxy.proxyAddress(), "GET " + origin.url("/stream") + " HTTP/1.1\r\nHost: 127.0.0.1:" + origin.port() + "\r\n\r\n");

        assertEquals(200, r.status());
        assertEquals("chunked", r.header("Transfer-Encoding"));
        assertFalse(r.complete(), "no terminating chunk may be invented");
        JsonNode record = proxy.awaitOnlyRecord();
        assertEquals("TCP_MISS_ABORTED", record.get("result").asText(), record::toString);
    }

    /** An origin that answers keep-alive, then closes its idle connection just as the next request arrives. */
    private RawOrigin originClosingIdleConnections() throws IOException {
        return new RawOrigin((s, index, o) -> {
            InputStream in = s.getInputStream();
            List<String> head = RawOrigin.readHead(in);
            o.post(index + ": " + head.getFirst());
            String length = RawOrigin.field(head, "Content-Length");
            if (length != null) in.readNBytes(Integer.parseInt(length));
            String body = "answer " + index;
            RawOrigin.write(s, "HTTP/1.1 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
            List<String> next = RawOrigin.readHead(in);
            if (next != null) o.post(index + ": closed without answering " + next.getFirst());
        });
    }

    @Test
    void pooledConnectionClosedByOrigin_getIsRetriedOnce() throws Exception {
        origin = originClosingIdleConnections();
        proxy = GatehouseFixture.start();

        HttpResponse<String> first = get(origin.url("/a"));
        assertEquals("0: GET /a HTTP/1.1", origin.nextEvent());
        proxy.awaitRecords(1); // the first exchange is over: its upstream connection is back in the pool
        HttpResponse<String> second = get(origin.url("/b"));

        assertEquals("answer 0", first.body());
        assertEquals(200, second.statusCode(), second::body);
        assertEquals("answer 1", second.body());
        assertEquals("0: closed without answering GET /b HTTP/1.1", origin.nextEvent(), "the pooled connection was tried first");
        assertEquals("1: GET /b HTTP/1.1", origin.nextEvent());
        List<JsonNode> records = proxy.awaitRecords(2);
        assertEquals(List.of(200, 200), records.stream().map(n -> n.get("status").asInt()).toList());
        proxy.assertNothingLoggedAboveInfo();
    }

    /** A POST could not be repeated after meeting a closed pooled connection, so it never takes one (Squid's default). */
    @Test
    void pooledConnectionClosedByOrigin_postGoesOnANewConnectionOnce() throws Exception {
        origin = originClosingIdleConnections();
        proxy = GatehouseFixture.start();

        get(origin.url("/a"));
        assertEquals("0: GET /a HTTP/1.1", origin.nextEvent());
        proxy.awaitRecords(1);
        HttpResponse<String> post = proxy.client().send(HttpRequest.newBuilder(URI.create(origin.url("/order")))
                .POST(HttpRequest.BodyPublishers.ofString("buy=1")).build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(200, post.statusCode(), post::body);
        assertEquals("answer 1", post.body());
        assertEquals("1: POST /order HTTP/1.1", origin.nextEvent(), "sent once, on a new connection, not on the pooled one");
        assertEquals(2, origin.connections());
        assertEquals(List.of(200, 200), proxy.awaitRecords(2).stream().map(n -> n.get("status").asInt()).toList());
    }

    /** Repeated: the exchange's end (IO thread) races the forwarding thread noting the abort. */
    @RepeatedTest(5)
    void clientAbortsMidDownload_recordSaysAbortedAndUpstreamIsReleased() throws Exception {
        origin = new RawOrigin((s, i, o) -> {
            RawOrigin.readHead(s.getInputStream());
            long length = 1L << 30;
            RawOrigin.write(s, "HTTP/1.1 200 OK\r\nContent-Type: video/mp4\r\nContent-Length: " + length + "\r\n\r\n");
            byte[] block = new byte[64 * 1024];
            OutputStream out = s.getOutputStream();
            long sent = 0;
            try {
                while (sent < length) {
                    out.write(block);
                    sent += block.length;
                }
                o.post("sent everything");
            } catch (IOException e) {
                o.post("released after " + sent);
            }
        });
        proxy = GatehouseFixture.start();

        try (RawConnection c = RawConnection.open(proxy.proxyAddress())) {
            c.send("GET " + origin.url("/movie") + " HTTP/1.1\r\nHost: 127.0.0.1:" + origin.port() + "\r\n\r\n");
            assertEquals(200, c.readHead().status());
            c.input().readNBytes(1 << 20);
            c.socket().setSoLinger(true, 0); // leave abruptly, as a browser tab being closed
        }

        String event = origin.nextEvent();
        assertTrue(event.startsWith("released after "), event);
        JsonNode record = proxy.awaitOnlyRecord();
        assertTrue(record.get("result").asText().endsWith("_ABORTED"), record::toString);
        assertEquals("client_aborted", record.get("error").asText(), record::toString);
        assertEquals(200, record.get("status").asInt());
    }
}
