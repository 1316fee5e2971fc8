package dev.gatehouse.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.cache.CacheEntry;
import dev.gatehouse.cache.CacheHeaders;
import dev.gatehouse.cache.CacheKey;
import dev.gatehouse.cache.CacheStore;
import dev.gatehouse.cache.HttpDate;
import dev.gatehouse.cache.disk.DiskStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.ftpserver.FtpServer;
import org.apache.ftpserver.FtpServerFactory;
import org.apache.ftpserver.filesystem.nativefs.NativeFileSystemFactory;
import org.apache.ftpserver.ftplet.DefaultFtplet;
import org.apache.ftpserver.ftplet.FileSystemView;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.ftplet.FtpSession;
import org.apache.ftpserver.ftplet.FtpletResult;
import org.apache.ftpserver.ftplet.UserManager;
import org.apache.ftpserver.impl.DefaultFtpServer;
import org.apache.ftpserver.listener.ListenerFactory;
import org.apache.ftpserver.usermanager.PropertiesUserManagerFactory;
import org.apache.ftpserver.usermanager.impl.BaseUser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ftp://} gateway against a real FTP server (Apache FtpServer, embedded, on loopback): the JDK
 * HttpClient refuses {@code ftp} URIs, so requests go over a raw connection, as a browser sends them.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FtpIT {
    private static final String HOSTILE = "q\"uote'<img src=x onerror=alert(1)>.txt";
    @TempDir
    static Path root;
    private static FtpServer server;
    private static int ftpPort;
    private static byte[] payload;
    /** RETR commands the FTP server received, by argument: what the cache saved is counted here. */
    private static final Map<String, AtomicInteger> RETRS = new ConcurrentHashMap<>();
    private GatehouseFixture proxy;
    @TempDir
    Path tmp;

    @BeforeAll
    static void startFtpServer() throws Exception {
        payload = new byte[3 << 20];
        new Random(7).nextBytes(payload);
        Files.write(root.resolve("big.bin"), payload);
        Files.createDirectories(root.resolve("pub"));
        Files.writeString(root.resolve("pub").resolve("readme.txt"), "hello ftp");
        Files.writeString(root.resolve("pub").resolve(HOSTILE), "x");
        Files.writeString(root.resolve("pub").resolve("<script>alert(1)"), "x");
        // Old enough that the heuristic (10% of the age, capped at a day: RFC 9111 §4.2.2) keeps it fresh for a day.
        Files.writeString(root.resolve("pub").resolve("old.txt"), "unchanged for ten days");
        Files.setLastModifiedTime(root.resolve("pub").resolve("old.txt"), FileTime.from(Instant.now().minus(Duration.ofDays(10))));
        Files.writeString(root.resolve("pub").resolve("private.txt"), "alice's copy");
        Files.setLastModifiedTime(root.resolve("pub").resolve("private.txt"), FileTime.from(Instant.now().minus(Duration.ofDays(10))));
        Files.writeString(root.resolve("notes.txt"), "the root's notes");
        Files.createDirectories(root.resolve("home").resolve("bob").resolve("sub"));
        Files.writeString(root.resolve("home").resolve("bob").resolve("notes.txt"), "bob's notes");
        Files.writeString(root.resolve("home").resolve("bob").resolve("sub").resolve("deep.txt"), "deep");

        // The test server's own noise ("Releasing unreserved passive port", an FtpServer quirk) is not the proxy's.
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.apache.ftpserver"))
                .setLevel(ch.qos.logback.classic.Level.ERROR);
        FtpServerFactory factory = new FtpServerFactory();
        ListenerFactory listener = new ListenerFactory();
        listener.setServerAddress("127.0.0.1");
        listener.setPort(0);
        factory.addListener("default", listener.createListener());
        PropertiesUserManagerFactory users = new PropertiesUserManagerFactory();
        users.setFile(Files.createTempFile(root.getParent(), "ftpusers", ".properties").toFile());
        UserManager manager = users.createUserManager();
        manager.save(user("anonymous", null));
        manager.save(user("alice", "secret"));
        manager.save(user("bob", "b0b"));
        factory.setUserManager(manager);
        // Bob logs in to /home/bob, not to the root (RFC 1738 §3.2.2 paths are relative to it).
        NativeFileSystemFactory nativeFs = new NativeFileSystemFactory();
        factory.setFileSystem(user -> {
            FileSystemView view = nativeFs.createFileSystemView(user);
            if (user.getName().equals("bob")) view.changeWorkingDirectory("/home/bob");
            return view;
        });
        factory.setFtplets(new java.util.HashMap<>(Map.of("retrCounter", new DefaultFtplet() { // mutable: stop() clears it
            @Override
            public FtpletResult onDownloadStart(FtpSession session, FtpRequest request) {
                RETRS.computeIfAbsent(request.getArgument(), k -> new AtomicInteger()).incrementAndGet();
                return FtpletResult.DEFAULT;
            }
        })));
        server = factory.createServer();
        server.start();
        ftpPort = ((DefaultFtpServer) server).getListener("default").getPort();
    }

    private static BaseUser user(String name, String password) {
        BaseUser u = new BaseUser();
        u.setName(name);
        u.setPassword(password);
        u.setHomeDirectory(root.toString());
        return u;
    }

    @AfterAll
    static void stopFtpServer() {
        if (server != null) server.stop();
    }

    @BeforeEach
    void startProxy() {
        proxy = GatehouseFixture.start();
    }

    @AfterEach
    void stopProxy() {
        if (proxy != null) proxy.close();
    }

    private String url(String path) {
        return "ftp://127.0.0.1:" + ftpPort + path;
    }

    private RawConnection.Response get(String method, String url, String... headers) throws IOException {
        StringBuilder request = new StringBuilder(method).append(' ').append(url).append(" HTTP/1.1\r\nHost: 127.0.0.1:")
                .append(ftpPort).append("\r\nConnection: close\r\n");
        for (String h : headers) request.append(h).append("\r\n");
        try (RawConnection c = RawConnection.open(proxy.proxyAddress())) {
            c.socket().setSoTimeout(15_000);
            return c.send(request.append("\r\n").toString()).readResponse("HEAD".equals(method));
        }
    }

    @Test
    void aFileIsStreamedWhole() throws Exception {
        RawConnection.Response r = get("GET", url("/big.bin"));
        assertEquals(200, r.status(), r.text());
        assertEquals(Integer.toString(payload.length), r.header("Content-Length"));
        assertEquals("application/octet-stream", r.header("Content-Type"));
        assertTrue(r.header("Last-Modified").endsWith(" GMT"), r.header("Last-Modified"));
        assertArrayEquals(sha256(payload), sha256(r.body()));

        RawConnection.Response head = get("HEAD", url("/pub/readme.txt"));
        assertEquals(200, head.status());
        assertEquals("9", head.header("Content-Length"));
        assertEquals("text/plain", head.header("Content-Type"));
        assertEquals(0, head.body().length);
        JsonNode record = proxy.awaitRecord(n -> n.get("url").asText().endsWith("/big.bin"));
        assertEquals(200, record.get("status").asInt());
    }

    @Test
    void aListingEscapesHostileNames() throws Exception {
        RawConnection.Response r = get("GET", url("/pub/"));
        assertEquals(200, r.status(), r.text());
        assertEquals("text/html; charset=utf-8", r.header("Content-Type"));
        String html = r.text();
        assertTrue(html.contains("href=\"./readme.txt\""), html);
        assertTrue(html.contains("q&quot;uote&#39;&lt;img src=x onerror=alert(1)&gt;.txt"), html);
        assertTrue(html.contains("href=\"./q%22uote%27%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E.txt\""), html);
        assertTrue(html.contains("&lt;script&gt;alert(1)"), html);
        assertFalse(html.contains("<script>") || html.contains("<img"), html);
    }

    @Test
    void aDirectoryWithoutSlashRedirectsAndAMissingFileIs404() throws Exception {
        RawConnection.Response redirect = get("GET", url("/pub"));
        assertEquals(301, redirect.status());
        assertEquals("pub/", redirect.header("Location"));

        RawConnection.Response missing = get("GET", url("/pub/nothing-here.txt"));
        assertEquals(404, missing.status(), missing.text());
        assertTrue(missing.text().contains("no such file"), missing.text());
        RawConnection.Response missingDir = get("GET", url("/nothing/"));
        assertEquals(404, missingDir.status());
    }

    @Test
    void aRefusedLoginIs401WithAChallengeAndNoPasswordReachesTheAudit() throws Exception {
        RawConnection.Response refused = get("GET", url("/pub/"), "Authorization: Basic " + basic("alice:wr0ngPw"));
        assertEquals(401, refused.status(), refused.text());
        assertEquals("Basic realm=\"FTP 127.0.0.1\"", refused.header("WWW-Authenticate"));
        assertFalse(refused.text().contains("wr0ngPw"), refused.text());

        RawConnection.Response ok = get("GET", url("/pub/readme.txt"), "Authorization: Basic " + basic("alice:secret"));
        assertEquals(200, ok.status(), ok.text());
        assertEquals("hello ftp", ok.text());
        RawConnection.Response inUrl = get("GET", "ftp://alice:secret@127.0.0.1:" + ftpPort + "/pub/readme.txt");
        assertEquals(200, inUrl.status(), inUrl.text());
        assertEquals("hello ftp", inUrl.text());

        List<JsonNode> records = proxy.awaitRecords(3);
        for (JsonNode r : records) {
            assertFalse(r.toString().contains("secret") || r.toString().contains("wr0ngPw"), r.toString());
        }
        JsonNode login = proxy.awaitRecord(r -> r.get("status").asInt() == 401);
        assertEquals(url("/pub/"), login.get("url").asText());
        assertEquals("ftp_login_refused", login.get("error").asText());
        proxy.awaitRecord(r -> r.get("status").asInt() == 200 && r.get("url").asText().equals(url("/pub/readme.txt")));
    }

    private static String basic(String credentials) {
        return Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void unreachableSilentAndRefusedServersMapTo502504And403() throws Exception {
        proxy.close();
        proxy = GatehouseFixture.start(c -> c.putObject("forwarding").put("readTimeout", "1s").put("connectTimeout", "1s"));
        int closedPort;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        RawConnection.Response refused = get("GET", "ftp://127.0.0.1:" + closedPort + "/");
        assertEquals(502, refused.status(), refused.text());
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            RawConnection.Response timeout = get("GET", "ftp://127.0.0.1:" + silent.getLocalPort() + "/"); // never greets
            assertEquals(504, timeout.status(), timeout.text());
        }
        proxy.close();
        proxy = GatehouseFixture.start(c -> c.putObject("destinations").putArray("allowPrivate"));
        RawConnection.Response denied = get("GET", url("/pub/"));
        assertEquals(403, denied.status(), denied.text());
        assertEquals("destination_denied", proxy.awaitOnlyRecord().get("error").asText());
    }

    @Test
    void policyRulesMatchTheFtpScheme() throws Exception {
        Path policy = Files.createTempFile(root.getParent(), "ftp-policy", ".json");
        Files.writeString(policy, """
                { "schemaVersion": 1, "name": "ftp-test", "defaultAction": { "action": "allow" },
                  "rules": [ { "id": "no-ftp-pub", "match": { "scheme": ["ftp"], "urlPrefix": ["ftp://127.0.0.1:%d/pub/"] },
                               "action": "block", "reason": "No FTP downloads" } ] }
                """.formatted(ftpPort));
        proxy.close();
        proxy = GatehouseFixture.start(c -> c.withObject("/policy").put("file", policy.toString()).put("watch", false));
        RawConnection.Response blocked = get("GET", url("/pub/readme.txt"));
        assertEquals(403, blocked.status(), blocked.text());
        assertEquals(200, get("GET", url("/big.bin")).status());
        JsonNode record = proxy.awaitRecord(r -> r.get("status").asInt() == 403);
        assertEquals("policy_blocked", record.get("error").asText());
    }

    @Test
    void otherMethodsAreRefused() throws Exception {
        assertEquals(501, get("DELETE", url("/pub/readme.txt")).status());
    }

    @Test
    void curlFetchesAFileThroughTheProxy() throws Exception {
        Curl.Result r = Curl.run(tmp, List.of("-x", "http://127.0.0.1:" + proxy.proxyPort(), url("/pub/readme.txt")));
        assertEquals(0, r.exit(), r.err());
        assertEquals("hello ftp", r.out());
    }

    /**
     * A browser: Chromium and Firefox dropped ftp:// altogether (2021), so the text browser lynx stands in,
     * configured the way browsers are, with {@code ftp_proxy}; it sends {@code GET ftp://...} to the proxy
     * and renders the listing and the file.
     */
    @Test
    void lynxBrowsesAListingAndAFileThroughTheProxy() throws Exception {
        String listing = lynx(url("/pub/"));
        assertTrue(listing.contains("readme.txt"), listing);
        assertTrue(listing.contains("<img src=x onerror=alert(1)>"), "shown as text, not markup: " + listing);
        assertEquals("hello ftp", lynx(url("/pub/readme.txt")).strip());
        List<JsonNode> records = proxy.awaitRecords(2);
        assertEquals(List.of(200, 200), records.stream().map(r -> r.get("status").asInt()).toList());
    }

    private String lynx(String target) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("lynx", "-dump", "-nolist", "-width=200", target).redirectErrorStream(true);
        pb.environment().put("ftp_proxy", "http://127.0.0.1:" + proxy.proxyPort() + "/");
        pb.environment().put("no_proxy", "");
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new AssertionError("lynx is not installed: run scripts/install-test-deps", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(25, TimeUnit.SECONDS), "lynx did not finish");
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    /** The audit records' result codes, once there are {@code n} records. */
    private List<String> results(int n) {
        return proxy.awaitRecords(n).stream().map(r -> r.get("result").asText()).toList();
    }

    private static int retrs(String path) {
        return RETRS.getOrDefault(path, new AtomicInteger()).get();
    }

    @Test
    void aFileIsFetchedFromTheServerOnceThenServedFromTheCache() throws Exception {
        int before = retrs("pub/old.txt");
        RawConnection.Response first = get("GET", url("/pub/old.txt"));
        assertEquals(200, first.status(), first.text());
        assertTrue(first.header("X-Cache").startsWith("MISS"), first.header("X-Cache"));
        RawConnection.Response second = get("GET", url("/pub/old.txt"));
        assertEquals(200, second.status(), second.text());
        assertEquals("unchanged for ten days", second.text());
        assertTrue(second.header("X-Cache").startsWith("HIT"), second.header("X-Cache"));
        assertEquals(first.header("Last-Modified"), second.header("Last-Modified"));
        // Records are written as exchanges end, and a memory hit can end before the miss's thread lets go.
        List<String> results = results(2);
        assertTrue(results.contains("TCP_MISS") && (results.contains("TCP_HIT") || results.contains("TCP_MEM_HIT")), results.toString());
        assertEquals(1, retrs("pub/old.txt") - before, "one transfer from the FTP server");
    }

    @Test
    void aStaleFileIsRevalidatedByItsModificationTimeWithoutASecondTransfer() throws Exception {
        proxy.close();
        proxy = GatehouseFixture.start(c -> c.putObject("cache").put("heuristicFraction", 0)); // stale at once
        int before = retrs("pub/old.txt");
        assertEquals(200, get("GET", url("/pub/old.txt")).status());
        RawConnection.Response second = get("GET", url("/pub/old.txt"));
        assertEquals(200, second.status(), second.text());
        assertEquals("unchanged for ten days", second.text());
        assertTrue(results(2).containsAll(List.of("TCP_MISS", "TCP_REFRESH_UNMODIFIED")), results(2).toString());
        assertEquals(1, retrs("pub/old.txt") - before, "MDTM said unchanged: no second RETR");
    }

    /**
     * The FTP gateway makes no background fetches, so a stored response that allows stale-while-revalidate
     * (RFC 5861 §3) is revalidated before it is served, and that revalidation must carry the stored
     * Last-Modified for the MDTM comparison. FtpHandler never writes such a response itself (no Cache-Control),
     * so one is put on disk through the store's own writer before the proxy starts on that data directory.
     */
    @Test
    void aStoredFileThatAllowsStaleWhileRevalidateIsRevalidatedByItsModificationTime() throws Exception {
        Path file = root.resolve("pub").resolve("swr.txt");
        String content = "served stale while revalidating, over HTTP";
        Files.writeString(file, content);
        Instant modified = Instant.now().minus(Duration.ofDays(3)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Files.setLastModifiedTime(file, FileTime.from(modified));
        restartWithStored("/pub/swr.txt", content, modified, "max-age=0, stale-while-revalidate=3600");

        RawConnection.Response r = get("GET", url("/pub/swr.txt"));
        assertEquals(200, r.status(), r.text());
        assertEquals(content, r.text());
        assertEquals(0, retrs("pub/swr.txt"), "MDTM said unchanged: no RETR");
        assertEquals(List.of("TCP_REFRESH_UNMODIFIED"), results(1));
    }

    /**
     * A stored file the server no longer has: "no such file" is the server's answer, not an error (RFC 5861
     * §4), so the stale copy is not served under stale-if-error, and it is dropped.
     */
    @Test
    void aStoredFileTheServerNoLongerHasIsNotServedStaleOnErrorAndIsDropped() throws Exception {
        Instant modified = Instant.now().minus(Duration.ofDays(3)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        restartWithStored("/pub/gone.txt", "a file since deleted", modified, "max-age=0, stale-if-error=3600");

        RawConnection.Response first = get("GET", url("/pub/gone.txt"));
        assertEquals(404, first.status(), first.text());
        RawConnection.Response second = get("GET", url("/pub/gone.txt"));
        assertEquals(404, second.status(), second.text());
        assertEquals(List.of("TCP_REFRESH_MODIFIED", "TCP_MISS"), results(2), "the second request found nothing stored");
    }

    /**
     * Puts {@code content} on disk as the stored response for {@code path}, one minute old with {@code cacheControl},
     * through the store's own writer (FtpHandler never writes Cache-Control itself), and restarts the proxy on it.
     */
    private void restartWithStored(String path, String content, Instant modified, String cacheControl) throws Exception {
        Path dataDir = tmp.resolve("data");
        long stored = Instant.now().minus(Duration.ofMinutes(1)).toEpochMilli();
        CacheHeaders fields = CacheHeaders.of("Date", HttpDate.format(stored), "Last-Modified", HttpDate.format(modified.toEpochMilli()),
                "Cache-Control", cacheControl, "Content-Type", "text/plain", "Content-Length", Integer.toString(content.length()));
        try (DiskStore disk = DiskStore.open(dataDir.resolve("cache"), 1 << 24, 1 << 20);
             CacheStore.Writer writer = disk.writer(CacheKey.of(url(path)), new CacheEntry(200, fields, stored, stored, ""),
                     content.length()).orElseThrow()) {
            writer.body().write(content.getBytes(StandardCharsets.US_ASCII));
            assertTrue(writer.commit());
        }
        proxy.close();
        proxy = GatehouseFixture.start(c -> c.put("dataDir", dataDir.toString()));
    }

    @Test
    void aListingIsNotStored() throws Exception {
        get("GET", url("/pub/"));
        RawConnection.Response second = get("GET", url("/pub/"));
        assertEquals(200, second.status());
        assertTrue(second.header("X-Cache").startsWith("MISS"), second.header("X-Cache"));
    }

    @Test
    void aFileFetchedWithCredentialsIsNotServedToOthers() throws Exception {
        int before = retrs("pub/private.txt");
        RawConnection.Response alice = get("GET", "ftp://alice:secret@127.0.0.1:" + ftpPort + "/pub/private.txt");
        assertEquals(200, alice.status(), alice.text());
        RawConnection.Response viaHeader = get("GET", url("/pub/private.txt"), "Authorization: Basic " + basic("alice:secret"));
        assertEquals(200, viaHeader.status(), viaHeader.text());
        RawConnection.Response anonymous = get("GET", url("/pub/private.txt"));
        assertEquals(200, anonymous.status(), anonymous.text());
        assertTrue(anonymous.header("X-Cache").startsWith("MISS"), anonymous.header("X-Cache"));
        assertEquals(3, retrs("pub/private.txt") - before, "each credentialed download went to the server; so did the anonymous one");
        for (JsonNode r : proxy.awaitRecords(3)) {
            assertEquals("TCP_MISS", r.get("result").asText(), r.toString());
            assertEquals(url("/pub/private.txt"), r.get("url").asText(), "no credentials in the audit URL");
        }
    }

    @Test
    void pathsAreRelativeToTheLoginDirectoryAndALeadingEncodedSlashIsTheRoot() throws Exception {
        String bob = "ftp://bob:b0b@127.0.0.1:" + ftpPort;
        assertEquals("bob's notes", get("GET", bob + "/notes.txt").text());
        assertEquals("deep", get("GET", bob + "/sub/deep.txt").text());
        assertEquals("the root's notes", get("GET", bob + "/%2Fnotes.txt").text());
        assertEquals("bob's notes", get("GET", bob + "/%2Fhome/bob/notes.txt").text());
        String listing = get("GET", bob + "/").text();
        assertTrue(listing.contains("href=\"./sub/\"") && listing.contains("href=\"./notes.txt\""), listing);
        assertFalse(listing.contains("href=\"./pub/\""), listing);
        assertEquals(301, get("GET", bob + "/sub").status());
    }

    @Test
    void curlSendsUserInfoInTheRequestLineAndItIsUsedForTheLoginButNeverLogged() throws Exception {
        Curl.Result r = Curl.run(tmp, List.of("-x", "http://127.0.0.1:" + proxy.proxyPort(),
                "ftp://alice:secret@127.0.0.1:" + ftpPort + "/pub/readme.txt"));
        assertEquals(0, r.exit(), r.err());
        assertEquals("hello ftp", r.out());
        JsonNode record = proxy.awaitOnlyRecord();
        assertEquals(url("/pub/readme.txt"), record.get("url").asText());
        assertFalse(record.toString().contains("secret"), record.toString());
    }

    @Test
    void userInfoSplitAcrossReadsIsTakenOutAndAWrongPasswordIs401() throws Exception {
        // Fragments cut inside the user info: the proxy must not hand "alice" to the parser as the host.
        String[] parts = {"GET ftp://al", "ice:s3", "cret@127.0.0.1:" + ftpPort + "/pub/readme.txt HTTP/1.1\r\n",
                "Host: x\r\nConnection: close\r\n\r\n"};
        try (RawConnection c = RawConnection.open(proxy.proxyAddress())) {
            c.socket().setTcpNoDelay(true);
            for (String part : parts) {
                c.send(part);
                Thread.sleep(30); // separate segments, most likely separate reads; the outcome is the same either way
            }
            RawConnection.Response r = c.readResponse();
            assertEquals(401, r.status(), r.text());
            assertFalse(r.text().contains("s3cret"), r.text());
        }
        JsonNode record = proxy.awaitOnlyRecord();
        assertEquals(url("/pub/readme.txt"), record.get("url").asText());
        assertFalse(record.toString().contains("s3cret"), record.toString());
        assertEquals(String.join("", parts).length(), record.get("bytesFromClient").asLong(),
                "the client's bytes are counted as sent, user info included");
    }

    @Test
    void userInfoInAnHttpUrlIsRefusedNotForwarded() throws Exception {
        RawConnection.Response r = get("GET", "http://bob:hunter2@127.0.0.1:9/");
        assertEquals(400, r.status(), r.text());
        assertTrue(r.text().contains("RFC 9110"), r.text());
        assertFalse(r.text().contains("hunter2"), r.text());
        JsonNode record = proxy.awaitOnlyRecord();
        assertFalse(record.toString().contains("hunter2"), record.toString());
    }

    /**
     * A 200 MB file is streamed to the client and teed into the cache at once, then served from disk, with
     * the heap flat (measured after a GC half-way through each transfer, as in CacheLargeObjectIT; surefire
     * caps the heap at 512 MB) and every byte checked by SHA-256. The file is written as a stream too.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void a200MbFileIsCachedWhileStreamingWithAFlatHeap() throws Exception {
        long length = 200L << 20;
        Path file = root.resolve("large.iso");
        MessageDigest written = MessageDigest.getInstance("SHA-256");
        try (var out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            byte[] block = new byte[1 << 16];
            for (long offset = 0; offset < length; offset += block.length) {
                java.nio.ByteBuffer.wrap(block).putLong(0, offset); // every block differs: a misplaced block shows
                for (int k = 8; k < block.length; k++) block[k] = (byte) (k * 31 + offset / block.length);
                written.update(block);
                out.write(block);
            }
        }
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(Duration.ofDays(10))));
        byte[] expected = written.digest();
        try {
            int before = retrs("large.iso");
            long baseline = usedHeapAfterGc();
            long missGrowth = download(url("/large.iso"), length, expected) - baseline;
            long hitGrowth = download(url("/large.iso"), length, expected) - baseline;
            assertTrue(results(2).containsAll(List.of("TCP_MISS", "TCP_HIT")), results(2).toString());
            assertEquals(1, retrs("large.iso") - before, "the second download came from the cache");
            long limit = 64L << 20;
            assertTrue(missGrowth < limit, "heap grew by " + (missGrowth >> 20) + " MB half-way through the miss");
            assertTrue(hitGrowth < limit, "heap grew by " + (hitGrowth >> 20) + " MB half-way through the hit");
        } finally {
            Files.delete(file);
        }
    }

    /** Downloads {@code url} whole, checking its SHA-256; returns the heap used after a GC half-way through. */
    private long download(String url, long length, byte[] expectedSha256) throws Exception {
        try (RawConnection c = RawConnection.open(proxy.proxyAddress())) {
            c.send("GET " + url + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            RawConnection.Response head = c.readHead();
            assertEquals(200, head.status());
            assertEquals(Long.toString(length), head.header("Content-Length"));
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            long received = 0;
            long midway = -1;
            while (received < length) {
                int n = c.input().read(buffer, 0, (int) Math.min(buffer.length, length - received));
                if (n < 0) break;
                digest.update(buffer, 0, n);
                received += n;
                if (midway < 0 && received >= length / 2) midway = usedHeapAfterGc();
            }
            assertEquals(length, received);
            assertArrayEquals(expectedSha256, digest.digest());
            return midway;
        }
    }

    private static long usedHeapAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        System.gc();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private static byte[] sha256(byte[] bytes) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(bytes);
    }
}
