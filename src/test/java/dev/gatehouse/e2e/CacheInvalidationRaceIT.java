package dev.gatehouse.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An invalidation (a POST to the URL, RFC 9111 §4.4, or a PURGE) while a response for the URL is still on its
 * way from the origin: that response answers the client that asked for it, but it was fetched before the
 * invalidation, so it is not stored when its body ends, and a request that comes after the invalidation does not
 * join its fetch. Both would hand out the content the invalidation was meant to drop (found by {@link CacheStressIT}).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CacheInvalidationRaceIT {
    private static final int LENGTH = 300_000;
    private final AtomicInteger version = new AtomicInteger(1);
    private final AtomicInteger gets = new AtomicInteger();
    private final CountDownLatch finishFirst = new CountDownLatch(1);
    private RawOrigin origin;
    private GatehouseFixture proxy;

    @AfterEach
    void stop() throws IOException {
        finishFirst.countDown();
        if (proxy != null) proxy.close();
        if (origin != null) origin.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PURGE"})
    void aResponseFetchedBeforeAnInvalidationIsNeitherStoredNorSharedAfterIt(String invalidation) throws Exception {
        startOrigin();
        proxy = GatehouseFixture.start();
        URI url = URI.create(origin.url("/doc"));

        try (RawConnection first = RawConnection.open(proxy.proxyAddress())) {
            first.send("GET " + url + " HTTP/1.1\r\nHost: 127.0.0.1:" + origin.port() + "\r\n\r\n");
            assertEquals(200, first.readHead().status());
            assertEquals("first half sent", origin.nextEvent());

            if (invalidation.equals("POST")) {
                HttpResponse<String> post = proxy.client().send(HttpRequest.newBuilder(url)
                        .POST(HttpRequest.BodyPublishers.ofString("change")).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals("posted", post.body());
            } else {
                version.set(2); // the content changed, and the operator purges it
                HttpResponse<String> purge = proxy.client().send(HttpRequest.newBuilder(url)
                        .method("PURGE", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(404, purge.statusCode(), "nothing stored yet: the response is still on its way");
            }
            // A request after the invalidation, while the first fetch is still in flight: answered before that ends.
            CompletableFuture<HttpResponse<byte[]>> after = proxy.client().sendAsync(HttpRequest.newBuilder(url).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            try {
                assertArrayEquals(body(2), after.get(10, TimeUnit.SECONDS).body(), "a request after the invalidation gets the new content");
            } catch (TimeoutException e) {
                fail("a request after the invalidation waits for the fetch sent before it");
            }

            finishFirst.countDown(); // the old response ends after the new one was stored
            assertArrayEquals(body(1), first.input().readNBytes(LENGTH), "the first client gets the response it asked for");
        }
        HttpResponse<byte[]> later = proxy.client().send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertArrayEquals(body(2), later.body(), "the response fetched before the invalidation was not stored");
    }

    /**
     * Answers POST with 200 (and the next version); the first GET gets half of version 1's body, then the rest once
     * the test says so; later GETs get the current version whole. Requests on one connection are served in turn.
     */
    private void startOrigin() throws IOException {
        origin = new RawOrigin((socket, index, o) -> {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            for (List<String> head = RawOrigin.readHead(in); head != null; head = RawOrigin.readHead(in)) {
                RawOrigin.readBody(in, head);
                if (head.getFirst().startsWith("POST")) {
                    version.set(2);
                    RawOrigin.write(socket, "HTTP/1.1 200 OK\r\nCache-Control: no-store\r\nContent-Length: 6\r\n\r\nposted");
                    continue;
                }
                byte[] body = body(version.get());
                out.write(("HTTP/1.1 200 OK\r\nCache-Control: max-age=600\r\nContent-Length: " + LENGTH + "\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                if (gets.getAndIncrement() == 0) {
                    out.write(body, 0, LENGTH / 2);
                    out.flush();
                    o.post("first half sent");
                    if (!finishFirst.await(20, TimeUnit.SECONDS)) throw new IllegalStateException("never told to finish");
                    out.write(body, LENGTH / 2, LENGTH - LENGTH / 2);
                } else {
                    out.write(body);
                }
                out.flush();
            }
        });
    }

    private static byte[] body(int version) {
        byte[] b = new byte[LENGTH];
        java.util.Arrays.fill(b, (byte) ('0' + version));
        return b;
    }
}
