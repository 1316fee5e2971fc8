package dev.gatehouse.icap;

import static dev.gatehouse.icap.FakeIcapServer.answer;
import static dev.gatehouse.icap.FakeIcapServer.bytes;
import static dev.gatehouse.icap.FakeIcapServer.random;
import static dev.gatehouse.icap.FakeIcapServer.requestAnswer;
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
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The REQMOD client (uploads, RFC 3507 §4.8) against {@link FakeIcapServer}: what it writes, what it makes of each answer. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ReqmodClientTest {
    private static final String URL = "http://origin.test/upload";
    private static final ScanRequest REQUEST = new ScanRequest("POST", URL,
            List.of(Map.entry("Content-Type", "application/octet-stream"), Map.entry("Via", "1.1 gatehouse")));
    private static final String OPTIONS = "ICAP/1.0 200 OK\r\nMethods: REQMOD\r\nISTag: \"dlp-1\"\r\nPreview: 8\r\nAllow: 204\r\n"
            + "Options-TTL: 3600\r\nEncapsulated: null-body=0\r\n\r\n";
    private FakeIcapServer server;
    private IcapClient client;

    @AfterEach
    void close() throws IOException {
        try (FakeIcapServer s = server; IcapClient c = client) {
            // both closed, either may be null
        }
    }

    private FakeIcapServer server(FakeIcapServer.Script script) throws IOException {
        server = new FakeIcapServer(script);
        server.options = OPTIONS;
        return server;
    }

    private IcapClient client(String url, boolean bypass) {
        client = IcapClient.forUploads(new GatehouseConfig.Icap("", url, bypass, Duration.ofSeconds(1), 4, 0,
                new GatehouseConfig.IcapSkip(List.of())));
        return client;
    }

    private UploadScanResult scan(byte[] body) throws IOException {
        return client.scanUpload(REQUEST, new ByteArrayInputStream(body), body.length);
    }

    @Test
    void aRequestWithABodyIsSentAsReqmodAndA204AfterThePreviewForwardsItWhole() throws IOException {
        server(r -> bytes("ICAP/1.0 204 No Content\r\nISTag: \"dlp-1\"\r\n\r\n"));
        client(server.url("dlp"), false);
        byte[] body = random(1000);

        UploadScanResult result = scan(body);

        assertEquals(ScanOutcome.CLEAN, result.outcome());
        assertFalse(result.blocked());
        assertEquals(REQUEST, result.request());
        assertEquals(1000, result.contentLength());
        assertArrayEquals(body, result.body().readAllBytes(), "the preview's bytes, then the rest still unread from the client");
        FakeIcapServer.Received reqmod = server.received.stream().filter(r -> r.method().equals("REQMOD")).findFirst().orElseThrow();
        assertTrue(reqmod.requestHead().startsWith("POST " + URL + " HTTP/1.1\r\nHost: origin.test\r\n"), reqmod.requestHead());
        assertTrue(reqmod.requestHead().contains("Content-Length: 1000\r\n"), reqmod.requestHead());
        assertEquals("req-hdr=0, req-body=" + reqmod.requestHead().length(), reqmod.field("Encapsulated"));
        assertEquals("8", reqmod.field("Preview"));
        assertArrayEquals(java.util.Arrays.copyOf(body, 8), reqmod.preview());
        assertEquals("", reqmod.responseHead());
    }

    @Test
    void a200WithARequestHeadForwardsTheModifiedRequestAndItsBody() throws IOException {
        server(new FakeIcapServer.Script() {
            @Override
            public byte[] afterPreview(FakeIcapServer.Received request) {
                return null; // 100 Continue: the rest of the upload
            }

            @Override
            public byte[] afterRest(FakeIcapServer.Received request) {
                return requestAnswer("POST " + URL + " HTTP/1.1\r\nHost: origin.test\r\nContent-Type: text/plain\r\n"
                        + "X-Dlp: redacted\r\nContent-Length: 8\r\nConnection: close\r\n\r\n", bytes("XXXXXXXX"));
            }
        });
        client(server.url("dlp"), false);
        byte[] body = random(100_000);

        UploadScanResult result = scan(body);

        assertEquals(ScanOutcome.ADAPTED, result.outcome());
        assertEquals("POST", result.request().method());
        assertEquals(URL, result.request().url());
        assertEquals(List.of(Map.entry("Content-Type", "text/plain"), Map.entry("X-Dlp", "redacted")), result.request().headers(),
                "the service's fields but those the upstream client writes itself and the hop-by-hop ones");
        assertEquals(8, result.contentLength());
        assertArrayEquals(bytes("XXXXXXXX"), result.body().readAllBytes());
        assertArrayEquals(body, server.received.getLast().body(), "the service got the whole upload");
    }

    @Test
    void aBodyTheServiceStrippedGoesWithItsTrueLengthNotTheStaleContentLength() throws IOException {
        // c-icap's virus_scan answers an infected upload so: the head as it was, an empty body.
        server(r -> requestAnswer("POST " + URL + " HTTP/1.1\r\nHost: origin.test\r\nContent-Length: 50\r\n\r\n", new byte[0]));
        client(server.url("dlp"), false);

        UploadScanResult result = scan(random(50));

        assertEquals(0, result.contentLength());
        assertArrayEquals(new byte[0], result.body().readAllBytes());
    }

    @Test
    void a200WithAResponseBlocksTheUploadWithThatResponse() throws IOException {
        String page = "<h1>Upload blocked</h1>";
        server(r -> answer("X-Infection-Found: Type=0; Resolution=2; Threat=Eicar-Test-Signature;\r\n",
                "HTTP/1.1 403 Forbidden\r\nContent-Type: text/html\r\nContent-Length: " + page.length() + "\r\n\r\n", bytes(page)));
        client(server.url("dlp"), false);

        UploadScanResult result = scan(random(50));

        assertTrue(result.blocked());
        assertEquals(ScanOutcome.BLOCKED, result.outcome());
        assertEquals("Eicar-Test-Signature", result.virus());
        assertNull(result.request());
        try (UpstreamResponse response = result.response()) {
            assertEquals(403, response.status());
            assertEquals(page, new String(response.body().readAllBytes()));
        }
    }

    @Test
    void aViolationNamedInXViolationsFoundIsReported() throws IOException {
        server(r -> answer("X-Violations-Found: 1\r\n\tsecret.docx\r\n\tConfidential-Label\r\n\t7\r\n\t2\r\n",
                "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n", null));
        client(server.url("dlp"), false);

        UploadScanResult result = scan(random(50));

        assertEquals("Confidential-Label", result.virus());
        assertEquals(ScanOutcome.BLOCKED, result.outcome());
    }

    @Test
    void anAnswerWhoseOffsetsDoNotMatchItsHeadIsMalformed() throws IOException {
        server(r -> bytes("ICAP/1.0 200 OK\r\nEncapsulated: req-hdr=0, req-body=999\r\n\r\nPOST " + URL + " HTTP/1.1\r\n\r\n0\r\n\r\n"));
        client(server.url("dlp"), true); // the body went no further than the preview, but a malformed answer is no bypass...

        // ...unless nothing past the preview went: then bypass sends the upload as it came.
        UploadScanResult bypassed = scan(random(50));
        assertEquals(ScanOutcome.BYPASSED, bypassed.outcome());
        assertEquals(Failure.ICAP_MALFORMED, bypassed.failure().failure());

        client.close();
        client(server.url("dlp"), false);
        IcapException e = assertThrows(IcapException.class, () -> scan(random(50)));
        assertEquals(Failure.ICAP_MALFORMED, e.failure());
    }

    @Test
    void aRequestLineThatIsNotAnAbsoluteHttpUrlIsMalformed() throws IOException {
        server(r -> requestAnswer("POST /relative HTTP/1.1\r\nHost: origin.test\r\n\r\n", null));
        client(server.url("dlp"), false);

        IcapException e = assertThrows(IcapException.class, () -> scan(random(50)));
        assertEquals(Failure.ICAP_MALFORMED, e.failure());
    }

    @Test
    void aServiceThatStaysSilentTimesOut() throws IOException {
        server(r -> {
            try {
                Thread.sleep(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return FakeIcapServer.CLOSE;
        });
        client(server.url("dlp"), false);

        IcapException e = assertThrows(IcapException.class, () -> scan(random(50)));
        assertEquals(Failure.ICAP_TIMEOUT, e.failure());
    }

    @Test
    void aServiceThatIsDownFailsOrIsBypassedWithTheWholeUpload() throws IOException {
        String url = FakeIcapServer.nobodyListening("dlp");
        client(url, false);
        IcapException e = assertThrows(IcapException.class, () -> scan(random(50)));
        assertEquals(Failure.ICAP_UNREACHABLE, e.failure());
        client.close();

        client(url, true);
        byte[] body = random(70_000);
        UploadScanResult result = scan(body);
        assertEquals(ScanOutcome.BYPASSED, result.outcome());
        assertEquals(REQUEST, result.request());
        assertArrayEquals(body, result.body().readAllBytes());
    }

    @Test
    void aServiceWhoseOptionsDoNotOfferReqmodIsNotUsed() throws IOException {
        server(r -> bytes("ICAP/1.0 204 No Content\r\n\r\n"));
        server.options = OPTIONS.replace("Methods: REQMOD", "Methods: RESPMOD");
        client(server.url("dlp"), false);

        IcapException e = assertThrows(IcapException.class, () -> scan(random(50)));
        assertEquals(Failure.ICAP_MALFORMED, e.failure());
        assertTrue(e.getMessage().contains("REQMOD"), e.getMessage());
    }

    @Test
    void aLargeUploadStreamsToTheServiceWithoutAPreview() throws IOException {
        server(new FakeIcapServer.Script() {
            @Override
            public byte[] afterPreview(FakeIcapServer.Received request) {
                // no preview: the whole body came; echo it back as the request to forward
                return requestAnswer("POST " + URL + " HTTP/1.1\r\nHost: origin.test\r\nContent-Type: application/octet-stream\r\n"
                        + "Via: 1.1 gatehouse\r\nContent-Length: " + request.body().length + "\r\n\r\n", request.body());
            }
        });
        server.options = OPTIONS.replace("Preview: 8\r\n", "");
        client(server.url("dlp"), false);
        byte[] body = random(2 * 1024 * 1024);

        UploadScanResult result = client.scanUpload(REQUEST, new ByteArrayInputStream(body), -1);

        assertEquals(ScanOutcome.CLEAN, result.outcome(), "an unchanged head is no adaptation");
        assertEquals(-1, result.contentLength(), "longer than the read-ahead: forwarded chunked");
        try (InputStream in = result.body()) {
            assertArrayEquals(body, in.readAllBytes());
        }
        assertTrue(server.received.getLast().requestHead().contains("Transfer-Encoding: chunked\r\n"));
    }
}
