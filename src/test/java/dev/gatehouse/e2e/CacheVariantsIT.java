package dev.gatehouse.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several {@code Vary} variants of one URL (RFC 9111 §4.1) through Gatehouse: clients with different
 * {@code Accept-Encoding} that alternate on a URL all get hits, a purge drops every variant, the variants
 * survive a restart, and a 304 that changes {@code Vary} files the refreshed response under the new one.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CacheVariantsIT {
    private final MockWebServer origin = new MockWebServer();
    @TempDir
    Path dataDir;

    @BeforeEach
    void start() throws Exception {
        origin.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String encoding = request.getHeaders().get("Accept-Encoding");
                return new MockResponse.Builder().addHeader("Cache-Control", "max-age=600").addHeader("Vary", "Accept-Encoding")
                        .body("for " + encoding).build();
            }
        });
        origin.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    @AfterEach
    void stop() {
        origin.close();
    }

    private GatehouseFixture gatehouse() {
        return GatehouseFixture.start(c -> c.put("dataDir", dataDir.toString()));
    }

    private HttpResponse<String> send(GatehouseFixture proxy, String method, String encoding) throws Exception {
        URI url = URI.create("http://127.0.0.1:" + origin.getPort() + "/page");
        HttpRequest.Builder request = HttpRequest.newBuilder(url).method(method, HttpRequest.BodyPublishers.noBody());
        if (encoding != null) request.header("Accept-Encoding", encoding);
        return proxy.client().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Two clients alternate, gzip then br, {@code rounds} times each; returns the audit result codes. */
    private List<String> alternate(GatehouseFixture proxy, int rounds, int recordsBefore) throws Exception {
        for (int i = 0; i < rounds; i++) {
            assertEquals("for gzip", send(proxy, "GET", "gzip").body());
            assertEquals("for br", send(proxy, "GET", "br").body());
        }
        List<String> results = proxy.awaitRecords(recordsBefore + 2 * rounds).stream().map(r -> r.get("result").asText()).toList();
        return results.subList(recordsBefore, results.size());
    }

    @Test
    void clientsAlternatingBetweenEncodingsBothHitAfterTheirFirstMiss() throws Exception {
        try (GatehouseFixture proxy = gatehouse()) {
            List<String> results = alternate(proxy, 3, 0);

            assertEquals(List.of("TCP_MISS", "TCP_MISS", "TCP_MEM_HIT", "TCP_MEM_HIT", "TCP_MEM_HIT", "TCP_MEM_HIT"), results);
            assertEquals(2, origin.getRequestCount());
            proxy.assertNothingLoggedAboveInfo();
        }
    }

    @Test
    void aPurgeOrAnUnsafeRequestDropsEveryVariant() throws Exception {
        try (GatehouseFixture proxy = gatehouse()) {
            alternate(proxy, 2, 0);
            assertEquals(2, origin.getRequestCount());

            assertEquals(200, send(proxy, "PURGE", null).statusCode());
            assertEquals(List.of("TCP_MISS", "TCP_MISS", "TCP_MEM_HIT", "TCP_MEM_HIT"), alternate(proxy, 2, 5));
            assertEquals(4, origin.getRequestCount(), "both variants fetched again");

            send(proxy, "POST", null); // RFC 9111 §4.4
            assertEquals(List.of("TCP_MISS", "TCP_MISS"), alternate(proxy, 1, 10));
            assertEquals(7, origin.getRequestCount(), "the POST and both variants again");
        }
    }

    @Test
    void bothVariantsAreHitsAfterARestart() throws Exception {
        try (GatehouseFixture first = gatehouse()) {
            alternate(first, 1, 0);
        }
        try (GatehouseFixture second = gatehouse()) {
            assertEquals(List.of("TCP_HIT", "TCP_HIT"), alternate(second, 1, 2),
                    "from disk: memory starts empty (the audit log in the data directory holds the first run's two misses)");
            assertEquals(2, origin.getRequestCount());
        }
    }

    @Test
    void eachVariantIsRevalidatedInTheBackgroundOnItsOwn() throws Exception {
        CountDownLatch releaseGzip = new CountDownLatch(1);
        BlockingQueue<String> conditionals = new LinkedBlockingQueue<>();
        origin.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                String encoding = request.getHeaders().get("Accept-Encoding");
                MockResponse.Builder response = new MockResponse.Builder()
                        .addHeader("Cache-Control", "max-age=0, stale-while-revalidate=600")
                        .addHeader("Vary", "Accept-Encoding").addHeader("ETag", "\"" + encoding + "\"");
                if (request.getHeaders().get("If-None-Match") == null) {
                    return response.body("for " + encoding).build();
                }
                conditionals.add(encoding);
                if (encoding.equals("gzip")) releaseGzip.await(20, TimeUnit.SECONDS); // gzip's revalidation hangs
                return response.code(304).build();
            }
        });
        try (GatehouseFixture proxy = gatehouse()) {
            assertEquals("for gzip", send(proxy, "GET", "gzip").body());
            assertEquals("for br", send(proxy, "GET", "br").body());
            assertEquals("for gzip", send(proxy, "GET", "gzip").body()); // stale: served, revalidated behind
            assertEquals("gzip", conditionals.poll(10, TimeUnit.SECONDS));

            // While gzip's revalidation is still under way, br's starts too: it is another stored response.
            assertEquals("for br", send(proxy, "GET", "br").body());
            assertEquals("br", conditionals.poll(10, TimeUnit.SECONDS), "br's revalidation reached the origin");
            releaseGzip.countDown();
            List<String> results = proxy.awaitRecords(4).stream().map(r -> r.get("result").asText()).toList();
            assertEquals(List.of("TCP_MISS", "TCP_MISS", "TCP_STALE_HIT", "TCP_STALE_HIT"), results);
        } finally {
            releaseGzip.countDown();
        }
    }

    /**
     * The origin first answers {@code Vary: Accept-Language}, stale at once; it validates the stored response with a
     * 304 that says {@code Vary: Accept-Encoding} (RFC 9111 §3.2: the 304's fields replace the stored ones), fresh.
     */
    private void varyChangesOnThe304() {
        origin.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                if (request.getHeaders().get("If-None-Match") != null) {
                    return new MockResponse.Builder().code(304).addHeader("Cache-Control", "max-age=600")
                            .addHeader("ETag", "\"v1\"").addHeader("Vary", "Accept-Encoding").build();
                }
                return new MockResponse.Builder().addHeader("Cache-Control", "max-age=0").addHeader("ETag", "\"v1\"")
                        .addHeader("Vary", "Accept-Language").body("for " + request.getHeaders().get("Accept-Language")).build();
            }
        });
    }

    private HttpResponse<String> negotiate(GatehouseFixture proxy, String language, String encoding) throws Exception {
        URI url = URI.create("http://127.0.0.1:" + origin.getPort() + "/negotiated");
        HttpRequest request = HttpRequest.newBuilder(url).header("Accept-Language", language).header("Accept-Encoding", encoding).build();
        return proxy.client().send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** For each request the origin received, in order: its Accept-Language, Accept-Encoding and If-None-Match. */
    private List<String> originSaw() throws InterruptedException {
        List<String> seen = new ArrayList<>();
        for (int i = origin.getRequestCount(); i > 0; i--) {
            RecordedRequest request = origin.takeRequest(10, TimeUnit.SECONDS);
            seen.add(request.getHeaders().get("Accept-Language") + " " + request.getHeaders().get("Accept-Encoding")
                    + " " + request.getHeaders().get("If-None-Match"));
        }
        return seen;
    }

    /** Stores the German gzip response, then has the origin's 304 change its Vary from the language to the encoding. */
    private void storeThenRevalidateWithAnotherVary(GatehouseFixture proxy) throws Exception {
        assertEquals("for de", negotiate(proxy, "de", "gzip").body());
        HttpResponse<String> refreshed = negotiate(proxy, "de", "gzip");
        assertEquals("for de", refreshed.body());
        assertEquals("Accept-Encoding", refreshed.headers().firstValue("Vary").orElse(null), "the 304's Vary replaced the stored one");
    }

    @Test
    void aVaryChangedByA304SelectsTheStoredResponseByTheNewFields() throws Exception {
        varyChangesOnThe304();
        try (GatehouseFixture proxy = gatehouse()) {
            storeThenRevalidateWithAnotherVary(proxy);

            HttpResponse<String> french = negotiate(proxy, "fr", "gzip");
            assertEquals("for de", french.body(), "the language selects nothing any more: the same encoding is a hit");
            assertEquals("HIT from gatehouse", french.headers().firstValue("X-Cache").orElse(null));
            HttpResponse<String> brotli = negotiate(proxy, "de", "br");
            assertEquals("for de", brotli.body(), "the origin's answer to another encoding");
            assertEquals("MISS from gatehouse", brotli.headers().firstValue("X-Cache").orElse(null));

            assertEquals(List.of("TCP_MISS", "TCP_REFRESH_UNMODIFIED", "TCP_MEM_HIT", "TCP_MISS"), proxy.resultsInArrivalOrder(4));
            assertEquals(List.of("de gzip null", "de gzip \"v1\"", "de br null"), originSaw(),
                    "one conditional request, then a plain one for the encoding never stored");
            proxy.assertNothingLoggedAboveInfo();
        }
    }

    @Test
    void aVaryChangedByA304StillSelectsByTheNewFieldsAfterARestart() throws Exception {
        varyChangesOnThe304();
        try (GatehouseFixture first = gatehouse()) {
            storeThenRevalidateWithAnotherVary(first);
        }
        try (GatehouseFixture second = gatehouse()) {
            assertEquals("for de", negotiate(second, "fr", "gzip").body());
            assertEquals("for de", negotiate(second, "de", "br").body());
            List<String> results = second.awaitRecords(4).stream().map(r -> r.get("result").asText()).toList();
            assertEquals(List.of("TCP_HIT", "TCP_MISS"), results.subList(2, 4),
                    "the metadata on disk filed it under the new Vary (after the first run's miss and refresh)");
            assertEquals(List.of("de gzip null", "de gzip \"v1\"", "de br null"), originSaw());
        }
    }
}
