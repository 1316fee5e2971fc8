package dev.gatehouse.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Bandwidth limits (Squid's class 2 delay pool for downloads, its client delay pool for uploads) through real sockets. Limits are small so each case takes about
 * two seconds at the configured rate; the assertions are lower bounds only (at least 70 % of the ideal time), as
 * a loaded machine can only make a transfer slower, never faster. Without the limits every case takes
 * milliseconds on loopback.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BandwidthLimitIT extends RawOriginCase {
    /** 500 000 bytes per second. */
    private static final String RATE = "4Mbit";
    private static final double BYTES_PER_SECOND = 500_000;
    private static final int ONE_MB = 1_000_000;
    private static final byte[] BODY = new byte[ONE_MB];

    /** An origin answering every request with {@code length} bytes, cacheable for ten minutes, then closing. */
    private static RawOrigin origin(int length) throws IOException {
        return new RawOrigin((s, i, o) -> {
            if (RawOrigin.readHead(s.getInputStream()) == null) return;
            RawOrigin.write(s, "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nCache-Control: max-age=600\r\n"
                    + "Connection: close\r\nContent-Length: " + length + "\r\n\r\n");
            OutputStream out = s.getOutputStream();
            out.write(BODY, 0, length);
            out.flush();
        });
    }

    /** An origin that reads a request with its body and answers with the number of body bytes it received. */
    private static RawOrigin countingOrigin() throws IOException {
        return new RawOrigin((s, i, o) -> {
            InputStream in = s.getInputStream();
            List<String> head = RawOrigin.readHead(in);
            if (head == null) return;
            long received = in.readNBytes(Integer.parseInt(RawOrigin.field(head, "Content-Length"))).length;
            String count = Long.toString(received);
            RawOrigin.write(s, "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: " + count.length() + "\r\n\r\n" + count);
        });
    }

    private static Consumer<ObjectNode> bandwidth(String total, String perClient) {
        return c -> c.putObject("bandwidth").put("total", total).put("perClient", perClient).put("burst", "16KB");
    }

    private static Consumer<ObjectNode> uploadBandwidth(String total, String perClient) {
        return c -> c.putObject("bandwidth").putObject("upload").put("total", total).put("perClient", perClient)
                .put("burst", "16KB");
    }

    private static Consumer<ObjectNode> connectTo(RawOrigin origin) {
        return c -> c.withObject("/destinations").withArray("connectPorts").add(origin.port());
    }

    /** GETs {@code url} through the proxy from the local address {@code from}; returns the response. */
    private RawConnection.Response get(InetAddress from, String url) throws IOException {
        return exchange(from, ("GET " + url + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
    }

    /** POSTs {@code length} bytes to {@code url} through the proxy from the local address {@code from}. */
    private RawConnection.Response post(InetAddress from, String url, int length) throws IOException {
        byte[] head = ("POST " + url + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n"
                + "Content-Length: " + length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] request = Arrays.copyOf(head, head.length + length);
        return exchange(from, request);
    }

    /** A connection through the proxy tunnelled (CONNECT) to {@code to}. */
    private RawConnection tunnelTo(RawOrigin to) throws IOException {
        String authority = "127.0.0.1:" + to.port();
        RawConnection c = RawConnection.open(proxy.proxyAddress());
        c.send("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n");
        assertEquals(200, c.readHead().status());
        return c;
    }

    private RawConnection.Response exchange(InetAddress from, byte[] request) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(from, 0));
        socket.connect(proxy.proxyAddress());
        try (RawConnection c = new RawConnection(socket)) {
            return c.send(request).readResponse();
        }
    }

    private static long millisSince(long startedNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    }

    /** 70 % of the time {@code bytes} take at {@link #BYTES_PER_SECOND}, in milliseconds. */
    private static long lowerBoundMillis(long bytes) {
        return (long) (0.7 * 1000 * bytes / BYTES_PER_SECOND);
    }

    @Test
    void aForwardedDownloadIsLimitedButItsCacheHitIsNot() throws Exception {
        origin = origin(ONE_MB);
        proxy = GatehouseFixture.start(bandwidth("", RATE));
        InetAddress client = InetAddress.getByName("127.0.0.1");

        long started = System.nanoTime();
        RawConnection.Response miss = get(client, origin.url("/big"));
        long missMillis = millisSince(started);
        assertEquals(ONE_MB, miss.body().length);
        assertTrue(missMillis >= lowerBoundMillis(ONE_MB), "1 MB at 4 Mbit/s took only " + missMillis + " ms");

        started = System.nanoTime();
        RawConnection.Response hit = get(client, origin.url("/big"));
        long hitMillis = millisSince(started);
        assertEquals(ONE_MB, hit.body().length);
        assertTrue(hit.header("X-Cache").startsWith("HIT"), "X-Cache: " + hit.header("X-Cache"));
        // A hit never crossed the WAN: it is not charged. It must take well under the limited time (under half of
        // it, where a limited one could not take less than 70 %); the margin absorbs a slow machine.
        assertTrue(hitMillis < missMillis / 2, "the hit took " + hitMillis + " ms, the limited miss " + missMillis + " ms");
        assertEquals(1, origin.connections());
    }

    @Test
    void smallResponsesSentWholeAreLimitedToo() throws Exception {
        int length = 20_000; // below the size written in one piece by the IO thread
        origin = origin(length);
        proxy = GatehouseFixture.start(bandwidth("", "160KB")); // ten of them: about 1.25 s
        InetAddress client = InetAddress.getByName("127.0.0.1");
        long started = System.nanoTime();
        for (int i = 0; i < 10; i++) assertEquals(length, get(client, origin.url("/small/" + i)).body().length);
        long took = millisSince(started);
        long ideal = (10L * length - 16_000) * 1000 / 160_000;
        assertTrue(took >= 0.7 * ideal, "ten 20 kB responses at 160 kB/s took only " + took + " ms");
    }

    @Test
    void twoClientsShareTheTotal() throws Exception {
        int half = ONE_MB / 2;
        origin = origin(half);
        // Each client alone may have 8 Mbit/s (0.5 s for its half), the two together only 4 (1 s for both).
        proxy = GatehouseFixture.start(bandwidth(RATE, "8Mbit"));
        long started = System.nanoTime();
        List<CompletableFuture<RawConnection.Response>> downloads = List.of("127.0.0.1", "127.0.0.2").stream()
                .map(from -> CompletableFuture.supplyAsync(() -> {
                    try {
                        return get(InetAddress.getByName(from), origin.url("/from/" + from));
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }))
                .toList();
        for (CompletableFuture<RawConnection.Response> d : downloads) assertEquals(half, d.get().body().length);
        long took = millisSince(started);
        assertTrue(took >= lowerBoundMillis(ONE_MB), "two clients' 500 kB each at 4 Mbit/s in total took only " + took + " ms");
        assertEquals(2, proxy.awaitRecords(2).stream().map(r -> r.get("client").asText()).distinct().count(),
                "two client addresses");
    }

    @Test
    void aTunnelDownloadIsLimited() throws Exception {
        origin = new RawOrigin((s, i, o) -> {
            OutputStream out = s.getOutputStream();
            out.write(BODY);
            out.flush();
            s.shutdownOutput();
            s.getInputStream().read(); // until the proxy closes its side
        });
        proxy = GatehouseFixture.start(bandwidth("", RATE).andThen(connectTo(origin)));
        try (RawConnection c = tunnelTo(origin)) {
            long started = System.nanoTime();
            byte[] received = c.input().readAllBytes();
            long took = millisSince(started);
            assertEquals(ONE_MB, received.length);
            assertTrue(took >= lowerBoundMillis(ONE_MB), "1 MB through a tunnel at 4 Mbit/s took only " + took + " ms");
        }
    }

    @Test
    void aForwardedUploadIsLimited() throws Exception {
        origin = countingOrigin();
        proxy = GatehouseFixture.start(uploadBandwidth("", RATE));
        long started = System.nanoTime();
        RawConnection.Response r = post(InetAddress.getByName("127.0.0.1"), origin.url("/upload"), ONE_MB);
        long took = millisSince(started);
        assertEquals(200, r.status());
        assertEquals(Integer.toString(ONE_MB), new String(r.body(), StandardCharsets.ISO_8859_1), "what the origin received");
        assertTrue(took >= lowerBoundMillis(ONE_MB), "a 1 MB POST at 4 Mbit/s upload took only " + took + " ms");
    }

    @Test
    void aTunnelUploadIsLimited() throws Exception {
        origin = new RawOrigin((s, i, o) -> {
            long received = s.getInputStream().transferTo(OutputStream.nullOutputStream()); // until the client's FIN
            RawOrigin.write(s, Long.toString(received));
        });
        proxy = GatehouseFixture.start(uploadBandwidth("", RATE).andThen(connectTo(origin)));
        try (RawConnection c = tunnelTo(origin)) {
            long started = System.nanoTime();
            c.send(BODY);
            c.socket().shutdownOutput(); // the tunnel half-closes the origin's side once every byte is through
            String received = new String(c.input().readAllBytes(), StandardCharsets.ISO_8859_1);
            long took = millisSince(started);
            assertEquals(Integer.toString(ONE_MB), received, "what the origin received");
            assertTrue(took >= lowerBoundMillis(ONE_MB), "1 MB up a tunnel at 4 Mbit/s took only " + took + " ms");
        }
    }

    @Test
    void anUploadLimitLeavesDownloadsAlone() throws Exception {
        RawOrigin download = origin(ONE_MB);
        try (download) {
            origin = countingOrigin();
            proxy = GatehouseFixture.start(uploadBandwidth(RATE, RATE).andThen(connectTo(download)));
            InetAddress client = InetAddress.getByName("127.0.0.1");
            long started = System.nanoTime();
            assertEquals(200, post(client, origin.url("/upload"), ONE_MB).status());
            long uploadMillis = millisSince(started);

            // Right after the upload, so the client's upload buckets are empty: a download charged to them would
            // take as long again. Unlimited, it takes milliseconds on loopback; "under a third of the upload"
            // leaves a slow machine a wide margin (the upload cannot take less than 1.4 s).
            started = System.nanoTime();
            RawConnection.Response miss = get(client, download.url("/big"));
            long downloadMillis = millisSince(started);
            assertEquals(ONE_MB, miss.body().length);
            assertTrue(downloadMillis * 3 < uploadMillis,
                    "the download took " + downloadMillis + " ms, the limited upload " + uploadMillis + " ms");

            try (RawConnection c = tunnelTo(download)) { // the tunnel's download direction too
                started = System.nanoTime();
                c.send("GET /big HTTP/1.1\r\nHost: 127.0.0.1:" + download.port() + "\r\n\r\n");
                RawConnection.Response tunnelled = c.readResponse();
                long tunnelMillis = millisSince(started);
                assertEquals(ONE_MB, tunnelled.body().length);
                assertTrue(tunnelMillis * 3 < uploadMillis,
                        "the tunnelled download took " + tunnelMillis + " ms, the limited upload " + uploadMillis + " ms");
            }
        }
    }

    @Test
    void twoClientsShareTheUploadTotal() throws Exception {
        int half = ONE_MB / 2;
        origin = countingOrigin();
        // Each client alone may upload at 8 Mbit/s (0.5 s for its half), the two together only at 4 (1 s for both).
        proxy = GatehouseFixture.start(uploadBandwidth(RATE, "8Mbit"));
        long started = System.nanoTime();
        List<CompletableFuture<RawConnection.Response>> uploads = List.of("127.0.0.1", "127.0.0.2").stream()
                .map(from -> CompletableFuture.supplyAsync(() -> {
                    try {
                        return post(InetAddress.getByName(from), origin.url("/from/" + from), half);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }))
                .toList();
        for (CompletableFuture<RawConnection.Response> u : uploads) {
            assertEquals(Integer.toString(half), new String(u.get().body(), StandardCharsets.ISO_8859_1));
        }
        long took = millisSince(started);
        assertTrue(took >= lowerBoundMillis(ONE_MB), "two clients' 500 kB uploads at 4 Mbit/s in total took only " + took + " ms");
    }
}
