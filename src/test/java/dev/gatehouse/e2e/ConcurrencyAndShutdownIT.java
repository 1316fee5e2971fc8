package dev.gatehouse.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every access is one audit record, under concurrency and across a graceful shutdown: N concurrent
 * requests give exactly N records, and {@code close()} lets an exchange in flight finish and flushes
 * its record before it returns.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConcurrencyAndShutdownIT {
    private GatehouseFixture proxy;
    private MockWebServer mockOrigin;
    private RawOrigin rawOrigin;

    @AfterEach
    void stop() throws IOException {
        if (proxy != null) proxy.close();
        if (mockOrigin != null) mockOrigin.close();
        if (rawOrigin != null) rawOrigin.close();
    }

    @Test
    void concurrentRequestsGiveExactlyOneRecordEach() throws Exception {
        mockOrigin = new MockWebServer();
        mockOrigin.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse.Builder().body("ok " + request.getTarget()).build();
            }
        });
        mockOrigin.start(InetAddress.getByName("127.0.0.1"), 0);
        proxy = GatehouseFixture.start();
        int threads = 20;
        int perThread = 10;
        String base = "http://127.0.0.1:" + mockOrigin.getPort();

        List<Future<List<String>>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    List<String> bodies = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        String path = "/t" + thread + "/r" + i;
                        HttpResponse<String> r = proxy.client().send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        assertEquals(200, r.statusCode(), r::body);
                        bodies.add(r.body());
                    }
                    return bodies;
                }));
            }
        }
        for (Future<List<String>> f : results) assertEquals(perThread, f.get().size());
        proxy.stop(); // graceful: drains and flushes the audit log

        List<JsonNode> records = proxy.records();
        assertEquals(threads * perThread, records.size());
        Set<String> urls = new HashSet<>();
        Set<String> ids = new HashSet<>();
        for (JsonNode r : records) {
            assertEquals(200, r.get("status").asInt(), r::toString);
            urls.add(r.get("url").asText());
            ids.add(r.get("requestId").asText());
        }
        assertEquals(threads * perThread, urls.size(), "one record per request, none twice");
        assertEquals(threads * perThread, ids.size(), "request ids are unique");
        assertEquals(threads * perThread, mockOrigin.getRequestCount());
        proxy.assertNothingLoggedAboveInfo();
    }

    @Test
    void closeLetsAnExchangeInFlightFinishAndFlushesItsRecord() throws Exception {
        CountDownLatch answer = new CountDownLatch(1);
        rawOrigin = new RawOrigin((s, i, o) -> {
            RawOrigin.readHead(s.getInputStream());
            o.post("received");
            if (!answer.await(20, TimeUnit.SECONDS)) throw new AssertionError("never released");
            RawOrigin.write(s, "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nlate");
        });
        proxy = GatehouseFixture.start();

        CompletableFuture<HttpResponse<String>> inFlight = proxy.client().sendAsync(
                HttpRequest.newBuilder(URI.create(rawOrigin.url("/slow"))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals("received", rawOrigin.nextEvent());
        Thread closer = Thread.ofPlatform().start(proxy::stop);
        awaitListenerClosed();
        answer.countDown();
        closer.join(20_000);

        assertEquals(200, inFlight.get(20, TimeUnit.SECONDS).statusCode());
        assertEquals("late", inFlight.get().body());
        List<JsonNode> records = proxy.records(); // no waiting: close() returned, so the record is on disk
        assertEquals(1, records.size(), records::toString);
        assertEquals(200, records.getFirst().get("status").asInt());
        assertTrue(records.getFirst().get("error").isNull(), records::toString);
    }

    @Test
    void concurrentTunnelsGiveOneRecordEachAndCloseStopsTheOpenOnes() throws Exception {
        rawOrigin = new RawOrigin((socket, i, o) -> {
            socket.setSoTimeout(0);
            socket.getOutputStream().write(("hello " + i + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            while (socket.getInputStream().read() >= 0) {
                // hold the tunnel open until the proxy closes it
            }
            o.post("closed");
        });
        proxy = GatehouseFixture.start(c -> c.withObject("/destinations").putArray("connectPorts").add(rawOrigin.port()));
        int tunnels = 20;
        String authority = "127.0.0.1:" + rawOrigin.port();

        List<RawConnection> open = new ArrayList<>();
        try {
            for (int t = 0; t < tunnels; t++) {
                RawConnection c = RawConnection.open(proxy.proxyAddress());
                open.add(c);
                c.send("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n");
            }
            for (RawConnection c : open) {
                assertEquals(200, c.readHead().status());
                assertTrue(new String(c.input().readNBytes(6), java.nio.charset.StandardCharsets.US_ASCII).startsWith("hello"));
            }
            assertEquals(tunnels, proxy.gatehouse().openTunnels());

            proxy.stop(); // closes the open tunnels, then flushes their records

            for (RawConnection c : open) assertTrue(c.awaitClosed(), "shutdown closes the client side");
        } finally {
            for (RawConnection c : open) c.close();
        }
        for (int t = 0; t < tunnels; t++) assertEquals("closed", rawOrigin.nextEvent(), "and the upstream side");
        assertEquals(0, proxy.gatehouse().openTunnels());
        List<JsonNode> records = proxy.records();
        assertEquals(tunnels, records.size(), records::toString);
        for (JsonNode r : records) {
            assertEquals("TCP_TUNNEL", r.get("result").asText(), r::toString);
            assertEquals("shutdown", r.get("error").asText(), r::toString);
        }
    }

    /**
     * The client has its whole response (and the connection closed) a moment before the forwarding thread
     * hands the record over; close() right then must still write it. Repeated: it is a race.
     */
    @RepeatedTest(10)
    void closeRightAfterAResponseStillWritesItsRecord() throws Exception {
        rawOrigin = new RawOrigin((socket, i, o) -> {
            RawOrigin.readHead(socket.getInputStream());
            RawOrigin.write(socket, "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\ndone");
        });
        proxy = GatehouseFixture.start();

        RawConnection.Response r = RawConnection.roundTrip(proxy.proxyAddress(), "GET " + rawOrigin.url("/") + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + rawOrigin.port() + "\r\nConnection: close\r\n\r\n");
        proxy.stop();

        assertEquals("done", r.text());
        assertEquals(1, proxy.records().size(), "the record is on disk when close() returns");
    }

    /** Waits until the proxy refuses new connections: shutdown has begun. */
    private void awaitListenerClosed() throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            try (Socket s = new Socket(proxy.proxyAddress().getAddress(), proxy.proxyPort())) {
                Thread.sleep(20);
            } catch (ConnectException e) {
                return;
            } catch (IOException e) {
                Thread.sleep(20);
            }
        }
        throw new AssertionError("the proxy kept accepting connections after close()");
    }
}
