package dev.gatehouse.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upload scanning (ICAP REQMOD) through a real c-icap ({@link IcapServers}): a 2 MB POST, fixed-length or chunked,
 * passes c-icap's {@code echo} service and arrives byte-identical at the origin; an upload carrying the test's
 * "virus" gets c-icap {@code virus_scan}'s page while the origin sees no request at all, audited {@code TCP_DENIED};
 * a service that is down fails closed with 503, the origin again untouched.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class IcapReqmodIT {
    @TempDir
    static Path icapDir;
    private static IcapServers icap;
    private static HttpServer origin;
    /** What the origin received: method, path, SHA-256 of the body, body length, and an {@code X-Dlp} field's value. */
    private static final List<String> RECEIVED = new CopyOnWriteArrayList<>();
    private GatehouseFixture proxy;

    @BeforeAll
    static void start() throws Exception {
        icap = IcapServers.start(icapDir);
        origin = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16, "/", IcapReqmodIT::receive);
        origin.start();
    }

    /** The origin: notes the upload it got, answers 201. */
    private static void receive(com.sun.net.httpserver.HttpExchange ex) throws IOException {
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readAllBytes();
        }
        String dlp = ex.getRequestHeaders().getFirst("X-Dlp");
        RECEIVED.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath() + " " + sha256(body) + " " + body.length
                + (dlp == null ? "" : " " + dlp));
        byte[] answer = "stored".getBytes(StandardCharsets.US_ASCII);
        ex.sendResponseHeaders(201, answer.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(answer);
        }
    }

    @AfterAll
    static void stop() {
        try (IcapServers servers = icap) {
            if (origin != null) origin.stop(0);
        }
    }

    @AfterEach
    void closeProxyAndForgetTheOrigin() {
        RECEIVED.clear();
        if (proxy != null) proxy.close();
    }

    private GatehouseFixture proxy(String reqmod) {
        return proxy(reqmod, false);
    }

    private GatehouseFixture proxy(String reqmod, boolean bypass) {
        proxy = GatehouseFixture.start(c -> c.putObject("icap").put("reqmod", reqmod).put("bypass", bypass).put("timeout", "20s"));
        return proxy;
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + origin.getAddress().getPort() + path;
    }

    private static String sha256(byte[] body) {
        try {
            return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private HttpResponse<String> post(String url, HttpRequest.BodyPublisher body) throws Exception {
        return proxy.client().send(HttpRequest.newBuilder(URI.create(url)).POST(body).header("Content-Type", "application/octet-stream").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode record(String url) {
        return proxy.awaitRecords(1).stream().filter(r -> r.get("url").asText().equals(url)).findFirst().orElseThrow();
    }

    /** The record's tags, e.g. {@code icap=blocked}. */
    private static List<String> tags(JsonNode record) {
        return java.util.stream.StreamSupport.stream(record.get("tags").spliterator(), false).map(JsonNode::asText).toList();
    }

    /** The REQMOD requests c-icap has logged for {@code service} so far. */
    private static long reqmods(String service) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        long n;
        do {
            Path log = icapDir.resolve("access.log");
            n = Files.exists(log) ? Files.readAllLines(log).stream().filter(l -> l.contains(" REQMOD " + service + " ")).count() : 0;
            if (n > 0) return n;
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        return n;
    }

    @Test
    void aTwoMegabytePostPassesTheEchoServiceAndArrivesByteIdentical() throws Exception {
        proxy(icap.url("echo"));
        byte[] body = random(2 * 1024 * 1024, 1);
        String url = url("/upload/fixed");

        HttpResponse<String> response = post(url, HttpRequest.BodyPublishers.ofByteArray(body));

        assertEquals(201, response.statusCode());
        assertEquals(List.of("POST /upload/fixed " + sha256(body) + " " + body.length), RECEIVED);
        JsonNode record = record(url);
        assertTrue(tags(record).stream().anyMatch(t -> t.equals("icap=clean") || t.equals("icap=adapted")), record.toString());
        assertTrue(reqmods("echo") >= 1, "c-icap logged the REQMOD");
    }

    @Test
    void aChunkedUploadPassesTheEchoServiceByteIdentical() throws Exception {
        proxy(icap.url("echo"));
        byte[] body = random(2 * 1024 * 1024 + 17, 2);
        String url = url("/upload/chunked");

        HttpResponse<String> response = post(url, HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));

        assertEquals(201, response.statusCode());
        assertEquals(List.of("POST /upload/chunked " + sha256(body) + " " + body.length), RECEIVED);
        assertTrue(tags(record(url)).stream().anyMatch(t -> t.startsWith("icap=")), record(url).toString());
    }

    @Test
    void anInfectedUploadIsStrippedByVirusScanAndTheOriginGetsAnEmptyBody() throws Exception {
        // c-icap 0.5's virus_scan answers an infected REQMOD with the request head and an empty body (no page): the
        // stale Content-Length it keeps must not be forwarded, or the origin would wait for bytes that never come.
        proxy(icap.url("virus_scan"));
        byte[] body = new byte[50_000];
        System.arraycopy(IcapServers.PAYLOAD, 0, body, 20_000, IcapServers.PAYLOAD.length);
        String url = url("/upload/infected");

        HttpResponse<String> response = post(url, HttpRequest.BodyPublishers.ofByteArray(body));

        assertEquals(201, response.statusCode(), response.body());
        assertEquals(List.of("POST /upload/infected " + sha256(new byte[0]) + " 0"), RECEIVED, "the infected bytes never left");
        assertTrue(tags(record(url)).contains("icap=adapted"), record(url).toString());
    }

    @Test
    void aServiceThatAnswersWithAResponseBlocksTheUploadAndTheOriginSeesNoRequest() throws Exception {
        String page = "<h1>Upload blocked: confidential</h1>";
        try (InTestService dlp = new InTestService(body -> InTestService.answer(
                "X-Infection-Found: Type=0; Resolution=2; Threat=Dlp.Confidential;\r\n", "res-hdr",
                "HTTP/1.1 403 Forbidden\r\nContent-Type: text/html\r\nContent-Length: " + page.length() + "\r\n\r\n", page))) {
            proxy(dlp.url());
            String url = url("/upload/secret");

            HttpResponse<String> response = post(url, HttpRequest.BodyPublishers.ofByteArray(random(300_000, 4)));

            assertEquals(403, response.statusCode());
            assertEquals(page, response.body());
            JsonNode record = record(url);
            assertEquals("TCP_DENIED", record.get("result").asText(), record.toString());
            assertEquals("HIER_NONE", record.get("hierarchy").asText(), record.toString());
            assertTrue(tags(record).contains("icap=blocked"), record.toString());
            assertTrue(tags(record).contains("virus=Dlp.Confidential"), record.toString());
            Thread.sleep(300); // a request that did go would have arrived by now
            assertEquals(List.of(), RECEIVED, "the origin saw no request");
        }
    }

    @Test
    void aRequestTheServiceRewroteIsWhatTheOriginGets() throws Exception {
        String redacted = "[redacted by DLP]";
        byte[] sent = random(300_000, 6);
        byte[][] seen = new byte[1][];
        try (InTestService dlp = new InTestService(body -> {
            seen[0] = body;
            return InTestService.answer("", "req-hdr", "POST " + url("/upload/redacted") + " HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Type: text/plain\r\nX-Dlp: redacted\r\nContent-Length: 999\r\n\r\n", redacted);
        })) {
            proxy(dlp.url());
            String url = url("/upload/original");

            HttpResponse<String> response = post(url, HttpRequest.BodyPublishers.ofByteArray(sent));

            assertEquals(201, response.statusCode());
            byte[] expected = redacted.getBytes(StandardCharsets.US_ASCII);
            assertEquals(List.of("POST /upload/redacted " + sha256(expected) + " " + expected.length + " redacted"), RECEIVED,
                    "the service's URL, field and body (with its true length, not the 999 it claimed)");
            assertArrayEquals(sent, seen[0], "the service got the whole upload");
            assertTrue(tags(record(url)).contains("icap=adapted"), record(url).toString());
        }
    }

    /**
     * A REQMOD service written for the test, for the answers no stock c-icap service gives (a response that blocks, a
     * rewritten request): OPTIONS without a preview, so each REQMOD carries the whole body; after it, the service
     * writes what {@code answer} makes of the body it got, and closes the connection.
     */
    private static final class InTestService implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        private final java.util.function.Function<byte[], String> answer;

        InTestService(java.util.function.Function<byte[], String> answer) throws IOException {
            this.answer = answer;
            Thread.ofVirtual().start(this::serve);
        }

        String url() {
            return "icap://127.0.0.1:" + server.getLocalPort() + "/dlp";
        }

        private void serve() {
            while (!server.isClosed()) {
                try (java.net.Socket s = server.accept()) {
                    InputStream in = new java.io.BufferedInputStream(s.getInputStream());
                    OutputStream out = s.getOutputStream();
                    String first = line(in);
                    int bodyAt = -1;
                    for (String l = line(in); !l.isEmpty(); l = line(in)) {
                        if (l.startsWith("Encapsulated:")) bodyAt = Integer.parseInt(l.substring(l.lastIndexOf('=') + 1).strip());
                    }
                    if (first.startsWith("OPTIONS")) {
                        out.write(("ICAP/1.0 200 OK\r\nMethods: REQMOD\r\nISTag: \"dlp\"\r\nConnection: close\r\n"
                                + "Encapsulated: null-body=0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                        continue;
                    }
                    in.readNBytes(bodyAt); // the request head
                    java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
                    for (int n = Integer.parseInt(line(in), 16); n > 0; n = Integer.parseInt(line(in), 16)) {
                        body.write(in.readNBytes(n));
                        line(in);
                    }
                    line(in);
                    out.write(answer.apply(body.toByteArray()).getBytes(StandardCharsets.ISO_8859_1));
                } catch (IOException e) {
                    // closed
                }
            }
        }

        private static String line(InputStream in) throws IOException {
            StringBuilder s = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) throw new java.io.EOFException();
                if (c != '\r') s.append((char) c);
            }
            return s.toString();
        }

        /** An ICAP 200 encapsulating {@code http} (a head whose section is {@code section}) and {@code body}. */
        static String answer(String icapFields, String section, String http, String body) {
            String bodySection = section.equals("res-hdr") ? "res-body" : "req-body";
            return "ICAP/1.0 200 OK\r\nISTag: \"dlp\"\r\n" + icapFields + "Connection: close\r\nEncapsulated: " + section + "=0, "
                    + bodySection + "=" + http.length() + "\r\n\r\n" + http + Integer.toHexString(body.length()) + "\r\n" + body
                    + "\r\n0\r\n\r\n";
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    @Test
    void anUnreachableServiceWithoutBypassIs503AndTheOriginIsUntouched() throws Exception {
        proxy(closedServiceUrl());
        String url = url("/upload/held");

        HttpResponse<String> response = post(url, HttpRequest.BodyPublishers.ofByteArray(random(5000, 3)));

        assertEquals(503, response.statusCode());
        assertEquals("ERR_ICAP_FAILURE", response.headers().firstValue("X-Squid-Error").orElse(null));
        JsonNode record = record(url);
        assertEquals("icap_unreachable", record.get("error").asText(), record.toString());
        assertTrue(tags(record).contains("icap=failed"), record.toString());
        assertEquals(List.of(), RECEIVED, "the origin saw no request");
        proxy.takeWarnings(); // the startup OPTIONS' warning
    }

    @Test
    void anUnreachableServiceWithBypassSendsTheUploadUnscanned() throws Exception {
        proxy(closedServiceUrl(), true);
        byte[] body = random(100_000, 7);
        String url = url("/upload/bypassed");

        HttpResponse<String> response = post(url, HttpRequest.BodyPublishers.ofByteArray(body));

        assertEquals(201, response.statusCode());
        assertEquals(List.of("POST /upload/bypassed " + sha256(body) + " " + body.length), RECEIVED);
        assertTrue(tags(record(url)).contains("icap=bypassed"), record(url).toString());
        List<String> warnings = proxy.takeWarnings();
        assertTrue(warnings.stream().anyMatch(w -> w.contains("sent unscanned (bypass)")), warnings.toString());
    }

    private static String closedServiceUrl() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "icap://127.0.0.1:" + s.getLocalPort() + "/dlp";
        }
    }

    @Test
    void aClientThatLeavesMidUploadIsAuditedAsAbortedAndTheOriginGetsNoWholeRequest() throws Exception {
        proxy(icap.url("echo"));
        String url = url("/upload/abandoned");
        try (java.net.Socket client = new java.net.Socket(InetAddress.getLoopbackAddress(), proxy.proxyPort())) {
            client.getOutputStream().write(("POST " + url + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2000000\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            client.getOutputStream().write(random(200_000, 5));
            client.getOutputStream().flush();
            Thread.sleep(300);
        } // gone with 1.8 MB still to send
        JsonNode record = record(url);
        assertEquals("client_aborted", record.get("error").asText(), record.toString());
        assertEquals(List.of(), RECEIVED, "no whole request reached the origin");
    }

    @Test
    void aGetWithoutABodyIsNotSentToTheService() throws Exception {
        proxy(closedServiceUrl()); // down: a request sent to it would fail
        String url = url("/plain");

        HttpResponse<String> response = proxy.client().send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(201, response.statusCode());
        assertTrue(tags(record(url)).stream().noneMatch(t -> t.startsWith("icap=")));
        proxy.takeWarnings();
    }
}
