package dev.gatehouse.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.cache.MutableClock;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Concurrent requests for a stored response that has gone stale: one conditional request upstream (RFC 9111
 * §4.3.1), every client answered from its outcome: the stored response refreshed by a 304 ({@code TCP_CF_HIT}
 * for the followers), a new 200 streamed to all, or, when the origin fails, the stale response where
 * stale-if-error allows (RFC 5861 §4), never an error page. The cache's clock is moved past {@code max-age}
 * instead of sleeping; the origin's answer to the conditional request is delayed so that every client asks
 * while it is in flight.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CacheCollapsedRevalidationIT {
    private static final int CLIENTS = 8;
    private static final String STORED = "s".repeat(40_000);
    private static final Set<String> HITS = Set.of("TCP_CF_HIT", "TCP_MEM_HIT", "TCP_HIT");

    private final MockWebServer origin = new MockWebServer();
    private final MutableClock clock = new MutableClock(System.currentTimeMillis());
    private final AtomicInteger conditionalRequests = new AtomicInteger();
    private GatehouseFixture proxy;

    @BeforeEach
    void start() throws Exception {
        origin.start(InetAddress.getByName("127.0.0.1"), 0);
        proxy = GatehouseFixture.start(config -> config.putObject("forwarding").put("responseTimeout", "3s"), clock);
    }

    @AfterEach
    void stop() {
        proxy.close();
        origin.close();
    }

    /**
     * The origin sends {@link #STORED} with {@code cacheControl} and ETag "v1" for an unconditional request and
     * {@code revalidation} for a conditional one (counted); the response is then stored and made stale.
     */
    private URI storedThenStale(String path, String cacheControl, Supplier<MockResponse> revalidation) throws Exception {
        origin.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                if (request.getHeaders().get("If-None-Match") == null) {
                    return new MockResponse.Builder().addHeader("Cache-Control", cacheControl).addHeader("ETag", "\"v1\"")
                            .addHeader("Content-Type", "text/plain").body(STORED).build();
                }
                conditionalRequests.incrementAndGet();
                return revalidation.get();
            }
        });
        URI url = URI.create("http://127.0.0.1:" + origin.getPort() + path);
        assertEquals(STORED, proxy.client().send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString()).body());
        clock.advanceSeconds(120);
        return url;
    }

    /** {@link #CLIENTS} requests for {@code url} at once, with {@code headers}. */
    private List<HttpResponse<String>> concurrentGets(URI url, String... headers) {
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(url);
            if (headers.length > 0) request.headers(headers);
            calls.add(proxy.client().sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()));
        }
        return calls.stream().map(CompletableFuture::join).toList();
    }

    /** The result codes of the concurrent requests (the first record is the miss that stored the response). */
    private List<String> concurrentResults() {
        List<String> results = proxy.awaitRecords(1 + CLIENTS).stream().map(r -> r.get("result").asText()).toList();
        assertEquals("TCP_MISS", results.getFirst());
        return results.subList(1, results.size());
    }

    private static void assertEveryClientGot(String body, List<HttpResponse<String>> responses) {
        for (HttpResponse<String> r : responses) {
            assertEquals(200, r.statusCode(), r::body);
            assertEquals(body, r.body());
        }
    }

    @Test
    void aStaleResponseIsRevalidatedOnceAndEveryClientGetsTheRefreshedOne() throws Exception {
        URI url = storedThenStale("/popular", "max-age=60", () -> new MockResponse.Builder().code(304)
                .addHeader("Cache-Control", "max-age=60").addHeader("ETag", "\"v1\"").headersDelay(1, TimeUnit.SECONDS).build());

        List<HttpResponse<String>> responses = concurrentGets(url);

        assertEveryClientGot(STORED, responses);
        assertEquals(1, conditionalRequests.get(), "one conditional request for " + CLIENTS + " clients");
        List<String> results = concurrentResults();
        assertEquals(1, Collections.frequency(results, "TCP_REFRESH_UNMODIFIED"), results::toString);
        assertTrue(results.stream().filter(r -> !r.equals("TCP_REFRESH_UNMODIFIED")).allMatch(HITS::contains), results::toString);
        assertTrue(results.contains("TCP_CF_HIT"), "the clients that waited for the 304 are collapsed followers: " + results);
        proxy.assertNothingLoggedAboveInfo();
    }

    @Test
    void aChangedResponseIsFetchedOnceAndStreamedToEveryClient() throws Exception {
        String changed = "c".repeat(40_000);
        URI url = storedThenStale("/changed", "max-age=60", () -> new MockResponse.Builder()
                .addHeader("Cache-Control", "max-age=60").addHeader("ETag", "\"v2\"").body(changed)
                .headersDelay(1, TimeUnit.SECONDS).throttleBody(4096, 100, TimeUnit.MILLISECONDS).build());

        List<HttpResponse<String>> responses = concurrentGets(url);

        assertEveryClientGot(changed, responses);
        assertEquals(1, conditionalRequests.get(), "one conditional request for " + CLIENTS + " clients");
        List<String> results = concurrentResults();
        assertEquals(1, Collections.frequency(results, "TCP_REFRESH_MODIFIED"), results::toString);
        assertTrue(results.contains("TCP_CF_HIT"), results::toString);
        proxy.assertNothingLoggedAboveInfo();
    }

    /** RFC 9111 §4.1: each variant's revalidation is shared by the clients that select it, and no variant waits for another's. */
    @Test
    void eachVaryVariantIsRevalidatedOnceForTheClientsThatSelectIt() throws Exception {
        List<String> validated = Collections.synchronizedList(new ArrayList<>());
        origin.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String encoding = request.getHeaders().get("Accept-Encoding");
                String etag = request.getHeaders().get("If-None-Match");
                MockResponse.Builder response = new MockResponse.Builder().addHeader("Cache-Control", "max-age=60")
                        .addHeader("Vary", "Accept-Encoding").addHeader("ETag", "\"" + encoding + "\"");
                if (etag == null) return response.body(STORED + encoding).build();
                validated.add(etag);
                return response.code(304).headersDelay(1, TimeUnit.SECONDS).build();
            }
        });
        URI url = URI.create("http://127.0.0.1:" + origin.getPort() + "/negotiated");
        String[] encodings = {"gzip", "br"};
        for (String encoding : encodings) {
            proxy.client().send(HttpRequest.newBuilder(url).header("Accept-Encoding", encoding).build(), HttpResponse.BodyHandlers.ofString());
        }
        clock.advanceSeconds(120);

        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            HttpRequest request = HttpRequest.newBuilder(url).header("Accept-Encoding", encodings[i % 2]).build();
            calls.add(proxy.client().sendAsync(request, HttpResponse.BodyHandlers.ofString()));
        }

        for (int i = 0; i < CLIENTS; i++) {
            assertEquals(STORED + encodings[i % 2], calls.get(i).join().body(), "client " + i + " got its own variant");
        }
        assertEquals(Set.of("\"gzip\"", "\"br\""), Set.copyOf(validated), "each variant validated with its own ETag");
        assertEquals(2, validated.size(), "one conditional request per variant: " + validated);
    }

    @Test
    void whenTheOriginStallsNoClientGetsAnErrorPageWhereStaleIfErrorAllowsTheStoredResponse() throws Exception {
        URI url = storedThenStale("/stalls", "max-age=60, stale-if-error=600",
                () -> new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());

        List<HttpResponse<String>> responses = concurrentGets(url);

        assertEveryClientGot(STORED, responses);
        assertEquals(1, conditionalRequests.get(), "the clients waiting for the timed-out revalidation did not ask again");
        assertEquals(Collections.nCopies(CLIENTS, "TCP_REFRESH_FAIL_OLD"), concurrentResults());
        List<String> hierarchies = proxy.records().stream().skip(1).map(r -> r.get("hierarchy").asText()).toList();
        assertEquals(1, Collections.frequency(hierarchies, "HIER_DIRECT"), "only the leader asked the origin: " + hierarchies);
    }

    @Test
    void whenTheOriginAnswers503NoClientGetsItWhereStaleIfErrorAllowsTheStoredResponse() throws Exception {
        URI url = storedThenStale("/fails", "max-age=60, stale-if-error=600",
                () -> new MockResponse.Builder().code(503).body("down").headersDelay(1, TimeUnit.SECONDS).build());

        List<HttpResponse<String>> responses = concurrentGets(url);

        assertEveryClientGot(STORED, responses);
        assertEquals(1, conditionalRequests.get());
        assertEquals(Collections.nCopies(CLIENTS, "TCP_REFRESH_FAIL_OLD"), concurrentResults());
    }

    /**
     * The leader's request does not allow stale on error and the origin's 503 may be stored, so the leader gets it
     * and could share it; the followers' own {@code stale-if-error} allows their stale response, which they get
     * instead (RFC 5861 §4).
     */
    @Test
    void aStorableErrorTheLeaderGetsIsNotPassedToFollowersWhoseStaleIfErrorAllowsTheStoredResponse() throws Exception {
        CountDownLatch leaderAsked = new CountDownLatch(1);
        CountDownLatch followersAsked = new CountDownLatch(1);
        URI url = storedThenStale("/fails-storably", "max-age=60", () -> {
            leaderAsked.countDown();
            try {
                followersAsked.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new MockResponse.Builder().code(503).addHeader("Cache-Control", "max-age=60").body("down").build();
        });

        CompletableFuture<HttpResponse<String>> leader = proxy.client().sendAsync(HttpRequest.newBuilder(url).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(leaderAsked.await(10, TimeUnit.SECONDS), "the leader's conditional request reached the origin");
        List<CompletableFuture<HttpResponse<String>>> followers = new ArrayList<>();
        for (int i = 1; i < CLIENTS; i++) {
            followers.add(proxy.client().sendAsync(HttpRequest.newBuilder(url).header("Cache-Control", "stale-if-error=600").build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        Thread.sleep(1_000); // time for the followers to join the flight (one that comes after it gets the stored 503, fresh)
        followersAsked.countDown();

        assertEquals(503, leader.join().statusCode());
        List<HttpResponse<String>> answers = followers.stream().map(CompletableFuture::join).toList();
        long stale = answers.stream().filter(r -> r.statusCode() == 200 && r.body().equals(STORED)).count();
        assertTrue(stale > 0, "followers got the leader's 503: " + answers.stream().map(HttpResponse::statusCode).toList());
        assertTrue(answers.stream().allMatch(r -> r.statusCode() == 200 || r.body().equals("down")));
        assertEquals(stale, Collections.frequency(concurrentResults(), "TCP_REFRESH_FAIL_OLD"));
    }

    /**
     * Requests validated for themselves, as before: a client's no-cache or max-age=0 (RFC 9111 §5.2.1.4, §5.2.1.1, a
     * browser's reload), and any request for a response that must be validated on every use (§5.2.2.4, or no
     * freshness lifetime). Each goes upstream at once: the origin answers none until it has them all.
     */
    @ParameterizedTest(name = "stored {0}, client {1}")
    @CsvSource(delimiter = '|', value = {
            "max-age=60 | Cache-Control: no-cache", "max-age=60 | Pragma: no-cache", "max-age=60 | Cache-Control: max-age=0",
            "max-age=60, no-cache | Accept: */*", "max-age=0 | Accept: */*"})
    void requestsThatMustBeValidatedForThemselvesAreNotCollapsed(String storedCacheControl, String clientField) throws Exception {
        CountDownLatch allAsked = new CountDownLatch(CLIENTS);
        URI url = storedThenStale("/validated-each-time", storedCacheControl, () -> {
            allAsked.countDown();
            try {
                allAsked.await(10, TimeUnit.SECONDS); // past the proxy's response timeout: a waiting client would get a 504
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new MockResponse.Builder().code(304).addHeader("Cache-Control", storedCacheControl).addHeader("ETag", "\"v1\"").build();
        });

        List<HttpResponse<String>> responses = concurrentGets(url, clientField.split(": "));

        assertEveryClientGot(STORED, responses);
        assertEquals(CLIENTS, conditionalRequests.get());
    }
}
