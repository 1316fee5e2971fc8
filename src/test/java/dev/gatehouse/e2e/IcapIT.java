package dev.gatehouse.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Virus scanning through a real c-icap with ClamAV ({@link IcapServers}): a clean download passes byte for byte and
 * is then a cache hit that c-icap never sees; an "infected" one gets c-icap's virus page, is not cached, and its audit
 * record names the threat; a multi-MB download arrives intact through the scan; an ICAP service that is down fails
 * closed with 503, or with {@code bypass} sends the download unscanned.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class IcapIT {
    @TempDir
    static Path icapDir;
    private static IcapServers icap;
    private static HttpServer origin;
    private static final Map<String, byte[]> BODIES = new ConcurrentHashMap<>();
    /** Cache-Control by path, where a test sets one; max-age=3600 otherwise. */
    private static final Map<String, String> CACHE_CONTROL = new ConcurrentHashMap<>();
    private static final Map<String, AtomicInteger> FETCHES = new ConcurrentHashMap<>();
    private GatehouseFixture proxy;

    @BeforeAll
    static void start() throws Exception {
        icap = IcapServers.start(icapDir);
        origin = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        origin.createContext("/", ex -> {
            String path = ex.getRequestURI().getPath();
            FETCHES.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            byte[] body = BODIES.get(path);
            ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
            ex.getResponseHeaders().set("Cache-Control", CACHE_CONTROL.getOrDefault(path, "max-age=3600"));
            ex.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
            try (OutputStream out = ex.getResponseBody()) {
                if (body != null) out.write(body);
            }
        });
        origin.start();
    }

    @AfterAll
    static void stop() {
        if (origin != null) origin.stop(0);
        if (icap != null) icap.close();
    }

    @AfterEach
    void closeProxy() {
        if (proxy != null) proxy.close();
    }

    private GatehouseFixture proxy(String respmod, boolean bypass) {
        proxy = GatehouseFixture.start(c -> c.putObject("icap").put("respmod", respmod).put("bypass", bypass).put("timeout", "20s"));
        return proxy;
    }

    private static String serve(String path, byte[] body) {
        BODIES.put(path, body);
        return "http://127.0.0.1:" + origin.getAddress().getPort() + path;
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private HttpResponse<byte[]> get(String url) throws Exception {
        return proxy.client().send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private JsonNode record(String url, int nth) {
        return proxy.awaitRecords(nth).stream().filter(r -> r.get("url").asText().equals(url)).toList().get(nth - 1);
    }

    private static List<String> tags(JsonNode record) {
        List<String> tags = new ArrayList<>();
        record.get("tags").forEach(t -> tags.add(t.asText()));
        return tags;
    }

    private static long awaitRespmods(String service, long atLeast) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long n;
        while ((n = icap.respmods(service)) < atLeast && System.nanoTime() < deadline) Thread.sleep(50);
        return n;
    }

    @Test
    void aCleanDownloadPassesByteIdenticalAndIsThenAHitWithoutASecondScan() throws Exception {
        proxy(icap.url("virus_scan"), false);
        byte[] body = random(200_000, 1);
        String url = serve("/clean.bin", body);
        long before = icap.respmods("virus_scan");

        HttpResponse<byte[]> miss = get(url);
        assertEquals(200, miss.statusCode());
        assertArrayEquals(body, miss.body());
        assertEquals("MISS from gatehouse", miss.headers().firstValue("X-Cache").orElse(null));
        assertTrue(tags(record(url, 1)).contains("icap=clean"), record(url, 1).toString());
        assertEquals(before + 1, awaitRespmods("virus_scan", before + 1));

        HttpResponse<byte[]> hit = get(url);
        assertArrayEquals(body, hit.body());
        assertEquals("HIT from gatehouse", hit.headers().firstValue("X-Cache").orElse(null));
        JsonNode hitRecord = record(url, 2);
        assertTrue(hitRecord.get("result").asText().contains("HIT"), hitRecord.toString());
        assertTrue(tags(hitRecord).stream().noneMatch(t -> t.startsWith("icap=")), hitRecord.toString());
        Thread.sleep(500); // a scan of the hit would have been logged by now
        assertEquals(before + 1, icap.respmods("virus_scan"));
        assertEquals(1, FETCHES.get("/clean.bin").get());
    }

    @Test
    void anInfectedDownloadGetsTheScannersPageIsNotCachedAndTheAuditNamesTheVirus() throws Exception {
        proxy(icap.url("virus_scan"), false);
        byte[] body = new byte[5000];
        System.arraycopy(IcapServers.PAYLOAD, 0, body, 3000, IcapServers.PAYLOAD.length); // past the 1024-byte preview
        String url = serve("/infected.bin", body);

        for (int attempt = 1; attempt <= 2; attempt++) {
            HttpResponse<byte[]> response = get(url);
            assertEquals(403, response.statusCode());
            String page = new String(response.body(), StandardCharsets.UTF_8);
            assertTrue(page.contains("VIRUS FOUND") && page.contains(IcapServers.SIGNATURE), page);
            JsonNode record = record(url, attempt);
            assertEquals("TCP_MISS", record.get("result").asText(), record.toString()); // not stored: the second is a miss too
            List<String> tags = tags(record);
            assertTrue(tags.contains("icap=adapted"), tags.toString());
            assertTrue(tags.stream().anyMatch(t -> t.startsWith("virus=" + IcapServers.SIGNATURE)), tags.toString());
        }
        assertEquals(2, FETCHES.get("/infected.bin").get());
    }

    /**
     * The cache's own fetches are scanned too: a stale-while-revalidate refresh that brings an infected body in the
     * background does not replace the clean copy (which would then be served as a hit without any scan).
     */
    @Test
    void aBackgroundRevalidationDoesNotStoreAnInfectedBody() throws Exception {
        proxy(icap.url("virus_scan"), false);
        byte[] clean = random(5000, 6);
        CACHE_CONTROL.put("/swr.bin", "max-age=1, stale-while-revalidate=600");
        String url = serve("/swr.bin", clean);
        assertArrayEquals(clean, get(url).body());
        long scans = awaitRespmods("virus_scan", icap.respmods("virus_scan"));

        Thread.sleep(1500); // stale now, within stale-while-revalidate
        byte[] infected = new byte[5000];
        System.arraycopy(IcapServers.PAYLOAD, 0, infected, 2000, IcapServers.PAYLOAD.length);
        CACHE_CONTROL.put("/swr.bin", "max-age=3600");
        BODIES.put("/swr.bin", infected);
        assertArrayEquals(clean, get(url).body()); // the stale copy, while the cache revalidates in the background
        assertEquals(scans + 1, awaitRespmods("virus_scan", scans + 1)); // the background fetch went through the scanner
        awaitFetches("/swr.bin", 2);
        Thread.sleep(300);

        HttpResponse<byte[]> after = get(url);
        assertArrayEquals(clean, after.body(), "the infected body was stored by the background fetch");
    }

    private static void awaitFetches(String path, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (FETCHES.get(path).get() < n && System.nanoTime() < deadline) Thread.sleep(20);
    }

    @Test
    void aMultiMegabyteDownloadArrivesIntactThroughTheScanner() throws Exception {
        proxy(icap.url("virus_scan"), false);
        byte[] body = random(8 << 20, 2);
        String url = serve("/large.bin", body);
        HttpResponse<byte[]> response = get(url);
        assertEquals(200, response.statusCode());
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        assertArrayEquals(sha.digest(body), MessageDigest.getInstance("SHA-256").digest(response.body()));
        assertTrue(tags(record(url, 1)).contains("icap=clean"));
    }

    @Test
    void theEchoServiceRoundTripsADownload() throws Exception {
        proxy(icap.url("echo"), false);
        byte[] body = random(3 << 20, 3);
        String url = serve("/echoed.bin", body);
        long before = icap.respmods("echo");
        HttpResponse<byte[]> response = get(url);
        assertArrayEquals(body, response.body());
        assertTrue(tags(record(url, 1)).contains("icap=clean"));
        assertEquals(before + 1, awaitRespmods("echo", before + 1));
    }

    @Test
    void anUnreachableServiceWithoutBypassIs503AndAudited() throws Exception {
        proxy("icap://127.0.0.1:" + closedPort() + "/virus_scan", false);
        String url = serve("/held.bin", random(1000, 4));
        HttpResponse<byte[]> response = get(url);
        assertEquals(503, response.statusCode());
        assertEquals("ERR_ICAP_FAILURE", response.headers().firstValue("X-Squid-Error").orElse(null));
        JsonNode record = record(url, 1);
        assertEquals("icap_unreachable", record.get("error").asText(), record.toString());
        assertTrue(tags(record).contains("icap=failed"));
        proxy.takeWarnings(); // the startup OPTIONS' warning
    }

    @Test
    void anUnreachableServiceWithBypassSendsTheOriginalUnscannedAndUncached() throws Exception {
        proxy("icap://127.0.0.1:" + closedPort() + "/virus_scan", true);
        byte[] body = random(1000, 5);
        String url = serve("/bypassed.bin", body);
        for (int attempt = 1; attempt <= 2; attempt++) {
            HttpResponse<byte[]> response = get(url);
            assertEquals(200, response.statusCode());
            assertArrayEquals(body, response.body());
            JsonNode record = record(url, attempt);
            assertTrue(tags(record).contains("icap=bypassed"), record.toString());
            assertEquals("TCP_MISS", record.get("result").asText()); // not stored: the next one is scanned when the service is back
        }
        List<String> warnings = proxy.takeWarnings();
        assertTrue(warnings.stream().anyMatch(w -> w.contains("sent unscanned (bypass)")), warnings.toString());
    }

    /** The {@code ftp://} gateway's downloads take the same path: an infected file gets the scanner's page. */
    @Test
    void anFtpDownloadThroughTheGatewayIsScannedToo() throws Exception {
        Path root = icapDir.resolve("ftp");
        java.nio.file.Files.createDirectories(root);
        byte[] infected = new byte[4000];
        System.arraycopy(IcapServers.PAYLOAD, 0, infected, 1500, IcapServers.PAYLOAD.length);
        java.nio.file.Files.write(root.resolve("infected.bin"), infected);
        // The test server's own noise is not the proxy's: FtpServer's, and its Mina transport's (a WARN once in four
        // runs, as the proxy closes the data connection the scanner's verdict made unwanted).
        for (String server : List.of("org.apache.ftpserver", "org.apache.mina")) {
            ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(server)).setLevel(ch.qos.logback.classic.Level.ERROR);
        }
        org.apache.ftpserver.FtpServerFactory factory = new org.apache.ftpserver.FtpServerFactory();
        org.apache.ftpserver.listener.ListenerFactory listener = new org.apache.ftpserver.listener.ListenerFactory();
        listener.setServerAddress("127.0.0.1");
        listener.setPort(0);
        factory.addListener("default", listener.createListener());
        org.apache.ftpserver.usermanager.impl.BaseUser anonymous = new org.apache.ftpserver.usermanager.impl.BaseUser();
        anonymous.setName("anonymous");
        anonymous.setHomeDirectory(root.toString());
        factory.getUserManager().save(anonymous);
        org.apache.ftpserver.FtpServer ftp = factory.createServer();
        ftp.start();
        try {
            int port = ((org.apache.ftpserver.impl.DefaultFtpServer) ftp).getListener("default").getPort();
            proxy(icap.url("virus_scan"), false);
            String url = "ftp://127.0.0.1:" + port + "/infected.bin";
            RawConnection.Response response = RawConnection.roundTrip(proxy.proxyAddress(),
                    "GET " + url + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n");
            assertEquals(403, response.status());
            assertTrue(new String(response.body(), StandardCharsets.UTF_8).contains("VIRUS FOUND"));
            List<String> tags = tags(record(url, 1));
            assertTrue(tags.contains("icap=adapted") && tags.stream().anyMatch(t -> t.startsWith("virus=" + IcapServers.SIGNATURE)),
                    tags.toString());
        } finally {
            ftp.stop();
        }
    }

    /**
     * A service that dies in the middle of its answer, after the client got the first bytes: the client's response
     * is cut off (never completed with bytes from elsewhere), and the record says the ICAP service failed. A
     * one-shot ICAP server written here, as c-icap cannot be made to fail on cue.
     */
    @Test
    void aServiceThatDiesMidBodyCutsTheClientsResponseOff() throws Exception {
        String head = "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 200000\r\n\r\n";
        try (ServerSocket dying = dyingService(head, 60_000)) {
            proxy("icap://127.0.0.1:" + dying.getLocalPort() + "/scan", true); // bypass cannot help once bytes went out
            String url = serve("/cut.bin", random(200_000, 7));
            RawConnection.Response response = RawConnection.roundTrip(proxy.proxyAddress(),
                    "GET " + url + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            assertEquals(200, response.status());
            assertTrue(!response.complete() && response.body().length < 200_000, "got " + response.body().length + " bytes");
            JsonNode record = record(url, 1);
            assertEquals("TCP_MISS_ABORTED", record.get("result").asText(), record.toString());
            assertEquals("icap_malformed", record.get("error").asText(), record.toString());
            assertTrue(tags(record).contains("icap=failed"), record.toString());
        }
    }

    /** A small body (sent whole once read) that the service fails inside is audited icap=failed too, not icap=clean. */
    @Test
    void aServiceThatDiesInsideASmallBodyIsAnErrorPageTaggedFailed() throws Exception {
        String head = "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 20000\r\n\r\n";
        try (ServerSocket dying = dyingService(head, 5_000)) {
            proxy("icap://127.0.0.1:" + dying.getLocalPort() + "/scan", false);
            assertMalformedAnswerPage(serve("/cut-small.bin", random(20_000, 8)));
        }
    }

    /**
     * A service that changed the body but not its head's Content-Length (Squid's "excess data" case): the client must
     * not frame the response by the wrong length, nor the failure be blamed on the origin.
     */
    @Test
    void anAdaptedBodyShorterThanItsContentLengthIsTheServicesMalformedAnswer() throws Exception {
        String head = "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 20000\r\n\r\n";
        byte[] chunked = ("1388\r\n" + "x".repeat(5000) + "\r\n0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        try (ServerSocket service = fakeService(head, chunked)) {
            proxy("icap://127.0.0.1:" + service.getLocalPort() + "/scan", false);
            assertMalformedAnswerPage(serve("/shortened.bin", random(20_000, 9)));
        }
    }

    /** {@code url} gets the 500 page of a malformed ICAP answer, audited icap_malformed and icap=failed only. */
    private void assertMalformedAnswerPage(String url) throws Exception {
        HttpResponse<byte[]> response = get(url);
        assertEquals(500, response.statusCode());
        JsonNode record = record(url, 1);
        assertEquals("icap_malformed", record.get("error").asText(), record.toString());
        assertEquals(List.of("icap=failed"), tags(record), record.toString());
    }

    /**
     * An ICAP service without a preview that answers each RESPMOD with a 200 carrying {@code head} and one chunk of
     * {@code sent} bytes, after which its connection ends (no CRLF, no last chunk: a malformed answer).
     */
    private static ServerSocket dyingService(String head, int sent) throws IOException {
        byte[] size = (Integer.toHexString(sent) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] body = java.util.Arrays.copyOf(size, size.length + sent);
        return fakeService(head, body);
    }

    /** An ICAP service without a preview that answers each RESPMOD with a 200 carrying {@code head}, then {@code body} as it is. */
    private static ServerSocket fakeService(String head, byte[] body) throws IOException {
        ServerSocket dying = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            try {
                while (true) {
                    try (java.net.Socket s = dying.accept()) {
                        java.io.InputStream in = s.getInputStream();
                        OutputStream out = s.getOutputStream();
                        String first = new String(in.readNBytes(7), StandardCharsets.ISO_8859_1);
                        if (first.startsWith("OPTIONS")) { // no preview: the whole body goes at once
                            out.write("ICAP/1.0 200 OK\r\nMethods: RESPMOD\r\nEncapsulated: null-body=0\r\nConnection: close\r\n\r\n"
                                    .getBytes(StandardCharsets.ISO_8859_1));
                        } else {
                            out.write(("ICAP/1.0 200 OK\r\nEncapsulated: res-hdr=0, res-body=" + head.length() + "\r\n\r\n" + head)
                                    .getBytes(StandardCharsets.ISO_8859_1));
                            out.write(body);
                        }
                        // FIN after the answer, then drain what the client sent until it closes: closing with unread
                        // bytes would reset the connection and could drop the answer before the client reads it.
                        s.shutdownOutput();
                        in.transferTo(java.io.OutputStream.nullOutputStream());
                    }
                }
            } catch (IOException e) {
                // the test is over
            }
        });
        return dying;
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
