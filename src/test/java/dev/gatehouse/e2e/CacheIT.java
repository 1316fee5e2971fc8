package dev.gatehouse.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shared cache through real sockets: what the client got, what the origin saw (how many requests,
 * which validators) and the result code in the audit log, for hits, revalidation, privacy rules, HEAD,
 * ranges, invalidation, only-if-cached and PURGE.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CacheIT extends MockOriginCase {

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        return send("GET", path, headers);
    }

    private HttpResponse<String> send(String method, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path))).method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) request.headers(headers);
        return proxy.client().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static MockResponse cacheable(String body, String... headers) {
        MockResponse.Builder response = new MockResponse.Builder().addHeader("Cache-Control", "max-age=600")
                .addHeader("ETag", "\"v1\"").addHeader("Content-Type", "text/plain").body(body);
        for (int i = 0; i < headers.length; i += 2) response.setHeader(headers[i], headers[i + 1]);
        return response.build();
    }

    /** The origin answers each request as {@code answer} says, instead of from its queue. */
    private void originAnswers(Function<RecordedRequest, MockResponse> answer) {
        origin.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return answer.apply(request);
            }
        });
    }

    /** The result codes of the first {@code n} requests, in the order they arrived. */
    private List<String> results(int n) {
        return proxy.resultsInArrivalOrder(n);
    }

    /**
     * Asks for {@code range} of {@code path} until the background fill has stored the whole object: only-if-cached
     * never reaches the origin, so it is 504 until then, and a hit after (bounded: the last answer is returned).
     */
    private HttpResponse<String> awaitFilled(String path, String range) throws Exception {
        HttpResponse<String> hit = get(path, "Range", range, "Cache-Control", "only-if-cached");
        for (int i = 0; i < 500 && hit.statusCode() == 504; i++) {
            GatehouseFixture.pause();
            hit = get(path, "Range", range, "Cache-Control", "only-if-cached");
        }
        return hit;
    }

    private RecordedRequest taken() throws InterruptedException {
        RecordedRequest r = origin.takeRequest(10, TimeUnit.SECONDS);
        assertNotNull(r, "the origin received no request");
        return r;
    }

    /** An upstream cache's X-Cache (a CDN, a parent proxy) stays; ours follows it, one line per hop, as Squid writes them. */
    @Test
    void xCacheAddsThisProxysLineAfterAnUpstreamCachesOne() throws Exception {
        origin.enqueue(new MockResponse.Builder().addHeader("Cache-Control", "max-age=600").addHeader("X-Cache", "Hit from cdn")
                .body("hello").build());

        HttpResponse<String> miss = get("/x");
        HttpResponse<String> hit = get("/x");

        assertEquals(List.of("Hit from cdn", "MISS from gatehouse"), miss.headers().allValues("X-Cache"));
        assertEquals(List.of("Hit from cdn", "HIT from gatehouse"), hit.headers().allValues("X-Cache"));
    }

    @Test
    void secondGetIsAHitAndTheOriginSeesOneRequest() throws Exception {
        origin.enqueue(cacheable("hello"));

        HttpResponse<String> miss = get("/a");
        HttpResponse<String> hit = get("/a");

        assertEquals("hello", miss.body());
        assertEquals("hello", hit.body());
        assertEquals(200, hit.statusCode());
        assertEquals(1, origin.getRequestCount());
        assertEquals("MISS from gatehouse", miss.headers().firstValue("X-Cache").orElse(null));
        assertEquals("HIT from gatehouse", hit.headers().firstValue("X-Cache").orElse(null));
        assertTrue(hit.headers().firstValue("Age").isPresent(), "a hit carries Age (RFC 9111 §5.1)");
        assertEquals("1.1 gatehouse", hit.headers().firstValue("Via").orElse(null));
        assertEquals("5", hit.headers().firstValue("Content-Length").orElse(null));
        assertEquals("\"v1\"", hit.headers().firstValue("ETag").orElse(null));
        List<JsonNode> records = proxy.awaitRecords(2);
        assertEquals(List.of("TCP_MISS", "TCP_MEM_HIT"), records.stream().map(r -> r.get("result").asText()).toList());
        assertEquals("HIER_NONE", records.get(1).get("hierarchy").asText());
        proxy.assertNothingLoggedAboveInfo();
    }

    /** RFC 9110 §15.3.5: a 204 has no content, so it is complete with its head; with explicit freshness it is stored like any response. */
    @Test
    void aNoContentResponseIsStoredAndReused() throws Exception {
        origin.enqueue(new MockResponse.Builder().code(204).addHeader("Cache-Control", "max-age=600").build());
        origin.enqueue(new MockResponse.Builder().code(200).body("the origin asked again").build());

        HttpResponse<String> miss = get("/empty");
        HttpResponse<String> hit = get("/empty");

        assertEquals(204, miss.statusCode());
        assertEquals(204, hit.statusCode());
        assertEquals("", hit.body());
        assertEquals(1, origin.getRequestCount());
        assertEquals(List.of("TCP_MISS", "TCP_MEM_HIT"), results(2));
    }

    /**
     * RFC 9110 §9.3.1: the cache key leaves a GET's content out, so a GET with content neither hits nor is stored.
     * (The origin is the JDK's server, which reads a GET's content; MockWebServer does not.)
     */
    @Test
    void aGetWithContentIsNeitherAnsweredFromTheCacheNorStored() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        HttpServer echo = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        echo.createContext("/", ex -> {
            requests.incrementAndGet();
            byte[] body = ("for " + new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Cache-Control", "max-age=600");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        echo.start();
        try {
            URI target = URI.create("http://127.0.0.1:" + echo.getAddress().getPort() + "/with-body");
            HttpResponse<String> plain = proxy.client().send(HttpRequest.newBuilder(target).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> withContent = proxy.client().send(HttpRequest.newBuilder(target)
                    .method("GET", HttpRequest.BodyPublishers.ofString("query=1")).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> plainAgain = proxy.client().send(HttpRequest.newBuilder(target).build(), HttpResponse.BodyHandlers.ofString());

            assertEquals("for ", plain.body());
            assertEquals("for query=1", withContent.body(), "not the stored response to another request");
            assertEquals("for ", plainAgain.body(), "the response to the GET with content was not stored");
            assertEquals(2, requests.get());
            assertEquals(List.of("TCP_MISS", "TCP_MISS", "TCP_MEM_HIT"), results(3));
        } finally {
            echo.stop(0);
        }
    }

    @Test
    void staleResponseIsRevalidatedWithItsValidatorsAndA304RefreshesIt() throws Exception {
        origin.enqueue(cacheable("hello", "Cache-Control", "max-age=0", "Last-Modified", "Mon, 02 Nov 2026 10:00:00 GMT"));
        origin.enqueue(new MockResponse.Builder().code(304).addHeader("Cache-Control", "max-age=600").addHeader("ETag", "\"v1\"").build());

        get("/r");
        HttpResponse<String> refreshed = get("/r");
        HttpResponse<String> hit = get("/r");

        taken();
        RecordedRequest conditional = taken();
        assertEquals("\"v1\"", conditional.getHeaders().get("If-None-Match"));
        assertEquals("Mon, 02 Nov 2026 10:00:00 GMT", conditional.getHeaders().get("If-Modified-Since"));
        assertEquals(200, refreshed.statusCode());
        assertEquals("hello", refreshed.body(), "a 304 is answered with the stored body");
        assertEquals("hello", hit.body());
        assertEquals(2, origin.getRequestCount(), "the 304's max-age made the stored response fresh");
        assertEquals(List.of("TCP_MISS", "TCP_REFRESH_UNMODIFIED", "TCP_MEM_HIT"), results(3));
    }

    @Test
    void aMemoryHitAfterA304SendsTheRefreshedFieldsNotTheHeadPreparedBefore() throws Exception {
        origin.enqueue(cacheable("hello", "X-Version", "1", "Via", "1.1 origin-side"));
        origin.enqueue(new MockResponse.Builder().code(304).addHeader("Cache-Control", "max-age=600")
                .addHeader("ETag", "\"v1\"").addHeader("X-Version", "2").build());

        get("/p");
        HttpResponse<String> before = get("/p"); // a memory hit: the stored response's head is prepared
        get("/p", "Cache-Control", "no-cache"); // the client asks for validation: the origin's 304 updates it
        HttpResponse<String> after = get("/p");

        assertEquals("1", before.headers().firstValue("X-Version").orElse(null));
        assertEquals("2", after.headers().firstValue("X-Version").orElse(null));
        assertEquals("hello", after.body());
        assertEquals("1.1 origin-side, 1.1 gatehouse", after.headers().firstValue("Via").orElse(null));
        assertEquals("HIT from gatehouse", after.headers().firstValue("X-Cache").orElse(null));
        assertEquals(List.of("TCP_MISS", "TCP_MEM_HIT", "TCP_REFRESH_UNMODIFIED", "TCP_MEM_HIT"), results(4));
    }

    @Test
    void revalidationAnsweredWithANewResponseReplacesTheStoredOne() throws Exception {
        origin.enqueue(cacheable("old", "Cache-Control", "max-age=0"));
        origin.enqueue(cacheable("new", "ETag", "\"v2\""));

        get("/m");
        HttpResponse<String> modified = get("/m");
        HttpResponse<String> hit = get("/m");

        assertEquals("new", modified.body());
        assertEquals("new", hit.body());
        assertEquals(2, origin.getRequestCount());
        assertEquals(List.of("TCP_MISS", "TCP_REFRESH_MODIFIED", "TCP_MEM_HIT"), results(3));
    }

    @Test
    void clientsOwnConditionalIsAnsweredFromTheCache() throws Exception {
        origin.enqueue(cacheable("hello"));

        get("/c");
        HttpResponse<String> notModified = get("/c", "If-None-Match", "\"v1\"");

        assertEquals(304, notModified.statusCode());
        assertEquals("", notModified.body());
        assertEquals(1, origin.getRequestCount());
        assertEquals(List.of("TCP_MISS", "TCP_INM_HIT"), results(2));
    }

    static Stream<Arguments> privateExchanges() {
        return Stream.of(
                Arguments.of("Set-Cookie", new String[0], new String[] {"Set-Cookie", "session=alice"}),
                Arguments.of("private", new String[0], new String[] {"Cache-Control", "private, max-age=600"}),
                Arguments.of("no-store", new String[0], new String[] {"Cache-Control", "no-store"}),
                Arguments.of("Authorization", new String[] {"Authorization", "Basic YWxpY2U6c2VjcmV0"}, new String[0]),
                Arguments.of("Cookie", new String[] {"Cookie", "session=alice"}, new String[0]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("privateExchanges")
    void aPersonalisedResponseIsNeverHandedToAnotherClient(String name, String[] aliceHeaders, String[] responseHeaders)
            throws Exception {
        origin.enqueue(cacheable("for alice", responseHeaders));
        origin.enqueue(cacheable("for bob"));

        HttpResponse<String> alice = get("/p", aliceHeaders);
        HttpResponse<String> bob = get("/p");

        assertEquals("for alice", alice.body());
        assertEquals("for bob", bob.body(), "bob must get his own response from the origin");
        assertEquals(2, origin.getRequestCount());
        assertFalse(bob.headers().firstValue("Set-Cookie").isPresent());
    }

    @Test
    void aSharedResponseNeverCarriesAnotherClientsSetCookie() throws Exception {
        origin.enqueue(cacheable("public page", "Cache-Control", "public, max-age=600", "Set-Cookie", "session=alice"));

        HttpResponse<String> alice = get("/s");
        HttpResponse<String> bob = get("/s");

        assertEquals("session=alice", alice.headers().firstValue("Set-Cookie").orElse(null));
        assertEquals("public page", bob.body());
        assertEquals(1, origin.getRequestCount(), "public makes it shareable");
        assertNull(bob.headers().firstValue("Set-Cookie").orElse(null), "the stored copy has no Set-Cookie");
    }

    @Test
    void anUnsafeMethodInvalidatesTheStoredResponse() throws Exception {
        origin.enqueue(cacheable("v1"));
        origin.enqueue(new MockResponse.Builder().code(200).body("posted").build());
        origin.enqueue(cacheable("v2"));

        get("/u");
        HttpResponse<String> post = proxy.client().send(HttpRequest.newBuilder(URI.create(url("/u")))
                .POST(HttpRequest.BodyPublishers.ofString("x=1")).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> after = get("/u");

        assertEquals("posted", post.body());
        assertEquals("v2", after.body(), "RFC 9111 §4.4: the POST invalidated the stored GET");
        assertEquals(3, origin.getRequestCount());
    }

    @Test
    void headIsAnsweredFromTheStoredGet() throws Exception {
        origin.enqueue(cacheable("hello"));

        get("/h");
        HttpResponse<String> head = send("HEAD", "/h");

        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
        assertEquals("5", head.headers().firstValue("Content-Length").orElse(null));
        assertEquals(1, origin.getRequestCount());
        assertEquals(List.of("TCP_MISS", "TCP_MEM_HIT"), results(2));
    }

    @Test
    void aSingleRangeIsAnsweredFromTheStoredBody() throws Exception {
        origin.enqueue(cacheable("0123456789"));

        get("/range");
        HttpResponse<String> partial = get("/range", "Range", "bytes=2-5");
        HttpResponse<String> suffix = get("/range", "Range", "bytes=-3");
        HttpResponse<String> unsatisfiable = get("/range", "Range", "bytes=20-");

        assertEquals(206, partial.statusCode());
        assertEquals("2345", partial.body());
        assertEquals("bytes 2-5/10", partial.headers().firstValue("Content-Range").orElse(null));
        assertEquals("789", suffix.body());
        assertEquals(416, unsatisfiable.statusCode());
        assertEquals("bytes */10", unsatisfiable.headers().firstValue("Content-Range").orElse(null));
        // The 416 is the proxy's own: not the stored response's validators and freshness (RFC 9111 §3).
        for (String stored : List.of("Cache-Control", "ETag", "Content-Type")) {
            assertEquals(Optional.empty(), unsatisfiable.headers().firstValue(stored), stored + " on the 416");
        }
        assertTrue(unsatisfiable.headers().firstValue("Via").isPresent());
        assertEquals(1, origin.getRequestCount());
    }

    @Test
    void rangesAreAnsweredFromADiskTierBody() throws Exception {
        // memoryObjectBytes 0: every hit is a disk hit, whose body goes out by sendfile (to the end of the
        // file) or by copying (a range that stops before the end).
        try (GatehouseFixture disk = GatehouseFixture.start(c -> c.putObject("cache").put("memoryObjectBytes", 0))) {
            origin.enqueue(cacheable("0123456789"));
            java.util.function.BiFunction<String, String, HttpResponse<String>> get = (path, range) -> {
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path)));
                if (range != null) request.header("Range", range);
                try {
                    return disk.client().send(request.build(), HttpResponse.BodyHandlers.ofString());
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            };

            get.apply("/disk-range", null);
            HttpResponse<String> whole = get.apply("/disk-range", null);
            HttpResponse<String> middle = get.apply("/disk-range", "bytes=2-5");
            HttpResponse<String> tail = get.apply("/disk-range", "bytes=6-");
            HttpResponse<String> suffix = get.apply("/disk-range", "bytes=-3");

            assertEquals("0123456789", whole.body());
            assertEquals("2345", middle.body());
            assertEquals("bytes 2-5/10", middle.headers().firstValue("Content-Range").orElse(null));
            assertEquals("6789", tail.body());
            assertEquals("789", suffix.body());
            assertEquals(1, origin.getRequestCount());
            assertEquals(List.of("TCP_MISS", "TCP_HIT", "TCP_HIT", "TCP_HIT", "TCP_HIT"),
                    disk.awaitRecords(5).stream().map(r -> r.get("result").asText()).toList());
        }
    }

    @Test
    void onlyIfCachedWithNothingStoredIs504WithoutAskingTheOrigin() throws Exception {
        HttpResponse<String> response = get("/o", "Cache-Control", "only-if-cached");

        assertEquals(504, response.statusCode());
        assertEquals(0, origin.getRequestCount());
        assertEquals(List.of("TCP_OFFLINE_MISS"), results(1));
    }

    @Test
    void purgeDropsTheStoredResponse() throws Exception {
        origin.enqueue(cacheable("v1"));
        origin.enqueue(cacheable("v2"));

        get("/purge-me");
        HttpResponse<String> purged = send("PURGE", "/purge-me");
        HttpResponse<String> again = send("PURGE", "/purge-me");
        HttpResponse<String> after = get("/purge-me");

        assertEquals(200, purged.statusCode());
        assertEquals(404, again.statusCode(), "nothing left to purge");
        assertEquals("v2", after.body());
        assertEquals(2, origin.getRequestCount());
    }

    @Test
    void theAdminListenerPurgesByUrl() throws Exception {
        origin.enqueue(cacheable("v1"));
        origin.enqueue(cacheable("v2"));
        get("/admin-purge");

        java.net.http.HttpClient admin = java.net.http.HttpClient.newBuilder().proxy(java.net.http.HttpClient.Builder.NO_PROXY).build();
        URI purge = URI.create("http://127.0.0.1:" + proxy.gatehouse().adminAddress().getPort() + "/purge?url="
                + java.net.URLEncoder.encode(url("/admin-purge"), java.nio.charset.StandardCharsets.UTF_8));
        HttpRequest post = HttpRequest.newBuilder(purge).POST(HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<String> first = admin.send(post, HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> second = admin.send(post, HttpResponse.BodyHandlers.ofString());

        assertEquals(200, first.statusCode(), first.body());
        assertEquals("{\"purged\":true}", first.body());
        assertEquals(404, second.statusCode(), "nothing left to purge");
        assertEquals("v2", get("/admin-purge").body());
        assertEquals(2, origin.getRequestCount());
    }

    @Test
    void staleIfErrorServesTheStoredResponseWhenTheOriginAnswers5xx() throws Exception {
        origin.enqueue(cacheable("stale but useful", "Cache-Control", "max-age=0, stale-if-error=600"));
        origin.enqueue(new MockResponse.Builder().code(503).body("down").build());

        get("/e");
        HttpResponse<String> response = get("/e");

        assertEquals(200, response.statusCode());
        assertEquals("stale but useful", response.body());
        assertEquals(2, origin.getRequestCount());
        assertEquals(List.of("TCP_MISS", "TCP_REFRESH_FAIL_OLD"), results(2));
    }

    /** RFC 5861 §4: an error is a 500, 502, 503 or 504; a 501 is the origin's answer, passed on. */
    @Test
    void staleIfErrorDoesNotCoverA501() throws Exception {
        origin.enqueue(cacheable("stale but useful", "Cache-Control", "max-age=0, stale-if-error=600"));
        origin.enqueue(new MockResponse.Builder().code(501).body("not here").build());

        get("/e501");
        HttpResponse<String> response = get("/e501");

        assertEquals(501, response.statusCode());
        assertEquals("not here", response.body());
    }

    @Test
    void staleIfErrorServesTheStoredResponseWhenTheOriginIsDown() throws Exception {
        origin.enqueue(cacheable("stale but useful", "Cache-Control", "max-age=0, stale-if-error=600"));

        get("/down");
        origin.close();
        HttpResponse<String> response = get("/down");

        assertEquals(200, response.statusCode());
        assertEquals("stale but useful", response.body());
        assertEquals(List.of("TCP_MISS", "TCP_REFRESH_FAIL_OLD"), results(2));
    }

    @Test
    void withoutStaleIfErrorTheOriginsErrorIsPassedOn() throws Exception {
        origin.enqueue(cacheable("stale", "Cache-Control", "max-age=0"));
        origin.enqueue(new MockResponse.Builder().code(503).body("down").build());

        get("/err");
        HttpResponse<String> response = get("/err");

        assertEquals(503, response.statusCode());
        assertEquals("down", response.body());
        assertEquals(List.of("TCP_MISS", "TCP_REFRESH_FAIL_ERR"), results(2));
    }

    @Test
    void a304WithAnotherStrongETagIsFetchedAgainUnconditionallyAndLoggedRefreshModified() throws Exception {
        origin.enqueue(cacheable("old", "Cache-Control", "max-age=0"));
        // RFC 9111 §4.3.4: a 304 whose strong validator is not the stored one cannot update it.
        origin.enqueue(new MockResponse.Builder().code(304).addHeader("Cache-Control", "max-age=600").addHeader("ETag", "\"v2\"").build());
        origin.enqueue(cacheable("new", "ETag", "\"v2\""));

        get("/etag-changed");
        HttpResponse<String> modified = get("/etag-changed");
        HttpResponse<String> hit = get("/etag-changed");

        taken();
        assertEquals("\"v1\"", taken().getHeaders().get("If-None-Match"), "the revalidation carries the stored ETag");
        RecordedRequest again = taken();
        assertNull(again.getHeaders().get("If-None-Match"), "the request is repeated without the stored validator");
        assertNull(again.getHeaders().get("If-Modified-Since"));
        assertEquals(200, modified.statusCode());
        assertEquals("new", modified.body());
        assertEquals("new", hit.body(), "the repeated request's response replaced the stored one");
        assertEquals(3, origin.getRequestCount());
        assertEquals(List.of("TCP_MISS", "TCP_REFRESH_MODIFIED", "TCP_MEM_HIT"), results(3));
    }

    @Test
    void staleIfErrorStillAppliesWhenTheUnconditionalRepeatFails() throws Exception {
        origin.enqueue(cacheable("stale but useful", "Cache-Control", "max-age=0, stale-if-error=600"));
        origin.enqueue(new MockResponse.Builder().code(304).addHeader("ETag", "\"v2\"").build());
        origin.enqueue(new MockResponse.Builder().code(503).body("down").build());

        get("/etag-changed-then-down");
        HttpResponse<String> response = get("/etag-changed-then-down");

        assertEquals(200, response.statusCode());
        assertEquals("stale but useful", response.body(), "RFC 5861 §4: the stored response answers the 503");
        assertEquals(3, origin.getRequestCount());
        assertEquals(List.of("TCP_MISS", "TCP_REFRESH_FAIL_OLD"), results(2));
    }

    @Test
    void originDisconnectingWhileAMustRevalidateEntryIsRevalidatedIsLoggedRefreshFailErr() throws Exception {
        originAnswers(request -> request.getHeaders().get("If-None-Match") == null
                ? cacheable("stale", "Cache-Control", "max-age=0, must-revalidate")
                : new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build());

        get("/must-revalidate");
        HttpResponse<String> response = get("/must-revalidate");

        assertEquals(502, response.statusCode(), "RFC 9111 §5.2.2.2: an error, never the stale response");
        assertTrue(response.body().startsWith("<!DOCTYPE html>"), response.body());
        taken();
        assertEquals("\"v1\"", taken().getHeaders().get("If-None-Match"));
        List<JsonNode> records = proxy.awaitRecords(2);
        assertEquals(List.of("TCP_MISS", "TCP_REFRESH_FAIL_ERR"), records.stream().map(r -> r.get("result").asText()).toList());
        assertEquals("upstream_closed", records.get(1).get("error").asText(), records.get(1)::toString);
    }

    /** The origin answers the revalidation with a new response of {@code length} bytes and closes halfway through it. */
    private void revalidationCutOffInTheBody(int length) {
        origin.enqueue(cacheable("old", "Cache-Control", "max-age=0"));
        origin.enqueue(new MockResponse.Builder().addHeader("Cache-Control", "max-age=600").addHeader("ETag", "\"v2\"")
                .body("x".repeat(length)).onResponseBody(new SocketEffect.CloseSocket()).build());
    }

    @Test
    void aRevalidationWhoseSmallNewBodyIsCutOffIsAnErrorLoggedRefreshFailErr() throws Exception {
        revalidationCutOffInTheBody(1000); // small enough to be read whole before anything is sent

        get("/cut-small");
        HttpResponse<String> response = get("/cut-small");

        assertEquals(502, response.statusCode());
        List<JsonNode> records = proxy.awaitRecords(2);
        assertEquals(List.of("TCP_MISS", "TCP_REFRESH_FAIL_ERR"), records.stream().map(r -> r.get("result").asText()).toList());
        assertEquals("upstream_closed", records.get(1).get("error").asText(), records.get(1)::toString);
    }

    @Test
    void aRevalidationWhoseLargeNewBodyIsCutOffIsLoggedRefreshModifiedAborted() throws Exception {
        revalidationCutOffInTheBody(200_000); // streamed: the client's response has started when the origin fails

        get("/cut-large");
        assertThrows(java.io.IOException.class, () -> get("/cut-large"), "the client sees the response cut off");

        List<JsonNode> records = proxy.awaitRecords(2);
        assertEquals(List.of("TCP_MISS", "TCP_REFRESH_MODIFIED_ABORTED"), records.stream().map(r -> r.get("result").asText()).toList());
        assertEquals("upstream_aborted", records.get(1).get("error").asText(), records.get(1)::toString);
    }

    @Test
    void staleWhileRevalidateAnswersAtOnceAndRevalidatesInTheBackground() throws Exception {
        origin.enqueue(cacheable("hello", "Cache-Control", "max-age=0, stale-while-revalidate=600"));
        origin.enqueue(new MockResponse.Builder().code(304).addHeader("Cache-Control", "max-age=600").addHeader("ETag", "\"v1\"").build());

        get("/swr");
        HttpResponse<String> stale = get("/swr");

        assertEquals("hello", stale.body());
        taken();
        RecordedRequest background = taken();
        assertEquals("\"v1\"", background.getHeaders().get("If-None-Match"));
        assertEquals(List.of("TCP_MISS", "TCP_STALE_HIT"), results(2));
    }

    @Test
    void aRangeMissFetchesTheWholeObjectInTheBackgroundSoTheNextRangeHits() throws Exception {
        originAnswers(request -> request.getHeaders().get("Range") == null
                ? cacheable("0123456789")
                : new MockResponse.Builder().code(206).addHeader("Content-Range", "bytes 2-5/10").body("2345").build());

        HttpResponse<String> miss = get("/update.cab", "Range", "bytes=2-5");
        assertEquals(206, miss.statusCode());
        assertEquals("2345", miss.body());
        List<String> ranges = List.of(String.valueOf(taken().getHeaders().get("Range")), String.valueOf(taken().getHeaders().get("Range")));
        assertTrue(ranges.contains("bytes=2-5") && ranges.contains("null"), "one range request, one whole-object fetch: " + ranges);

        HttpResponse<String> hit = awaitFilled("/update.cab", "bytes=6-7");
        assertEquals(206, hit.statusCode());
        assertEquals("67", hit.body());
        assertEquals(2, origin.getRequestCount());
    }

    /**
     * A 206 names the whole object's length (RFC 9110 §14.4): one past {@code cache.rangeFillMaxBytes} (64 MiB by
     * default) is not asked for whole only to be dropped after its head, once per range (BITS asks for many).
     */
    @Test
    void aRangeOfAnObjectTooLargeToFillStartsNoWholeObjectFetch() throws Exception {
        originAnswers(request -> request.getHeaders().get("Range") == null
                ? cacheable("a whole object that is far too large, supposedly")
                : new MockResponse.Builder().code(206).addHeader("Content-Range", "bytes 2-5/1099511627776").body("2345").build());

        HttpResponse<String> miss = get("/huge.iso", "Range", "bytes=2-5");

        assertEquals(206, miss.statusCode());
        assertEquals("bytes=2-5", taken().getHeaders().get("Range"));
        RecordedRequest whole = origin.takeRequest(2, TimeUnit.SECONDS); // a fill would follow the 206 at once
        assertEquals(null, whole == null ? null : whole.getHeaders().get("Range") + " " + whole.getTarget(),
                "no request for the whole 1 TiB object");
    }

    /**
     * An origin that ignores Range answers the range miss with the whole object, which the cache stores as it
     * streams to the client (RFC 9110 §14.2 lets the client have the 200): the background fill would only
     * download it a second time.
     */
    @Test
    void aRangeMissAnsweredWholeIsStoredFromThatAnswerWithoutASecondDownload() throws Exception {
        // The delay gives a background fill started with the range request the time to reach the origin first.
        originAnswers(request -> new MockResponse.Builder().addHeader("Cache-Control", "max-age=600").addHeader("ETag", "\"v1\"")
                .body("0123456789").headersDelay(request.getHeaders().get("Range") == null ? 0 : 300, TimeUnit.MILLISECONDS).build());

        HttpResponse<String> miss = get("/ignores-ranges.cab", "Range", "bytes=2-5");
        HttpResponse<String> hit = get("/ignores-ranges.cab", "Range", "bytes=6-7", "Cache-Control", "only-if-cached");

        assertEquals(200, miss.statusCode());
        assertEquals("0123456789", miss.body());
        assertEquals(206, hit.statusCode());
        assertEquals("67", hit.body());
        assertEquals(1, origin.getRequestCount(), "the object went over the origin's link once");
        assertEquals("bytes=2-5", taken().getHeaders().get("Range"));
    }

    /**
     * A range of a stale object whose revalidation the origin answers with a 206 of a new version: that 206 is
     * not stored, so without a fill every later range would go to the origin again; the fill stores the new
     * version whole (the Windows Update pattern after an update replaced the file at its URL).
     */
    @Test
    void aRangeRevalidationAnsweredWithAPartNewVersionFillsTheWholeObject() throws Exception {
        java.util.concurrent.atomic.AtomicReference<String> version = new java.util.concurrent.atomic.AtomicReference<>("v1");
        originAnswers(request -> {
            String body = version.get().equals("v1") ? "0123456789" : "abcdefghij";
            MockResponse.Builder response = new MockResponse.Builder().addHeader("ETag", "\"" + version.get() + "\"")
                    .addHeader("Cache-Control", version.get().equals("v1") ? "max-age=0" : "max-age=600");
            String range = request.getHeaders().get("Range");
            if (("\"" + version.get() + "\"").equals(request.getHeaders().get("If-None-Match"))) return response.code(304).build();
            if (range == null) return response.body(body).build();
            return response.code(206).addHeader("Content-Range", "bytes 2-5/10").body(body.substring(2, 6)).build();
        });

        get("/replaced.cab");
        version.set("v2");
        HttpResponse<String> changed = get("/replaced.cab", "Range", "bytes=2-5");

        assertEquals(206, changed.statusCode());
        assertEquals("cdef", changed.body());
        taken();
        RecordedRequest revalidation = taken();
        assertEquals("bytes=2-5", revalidation.getHeaders().get("Range"));
        assertEquals("\"v1\"", revalidation.getHeaders().get("If-None-Match"));
        HttpResponse<String> hit = awaitFilled("/replaced.cab", "bytes=6-7");
        assertEquals(206, hit.statusCode());
        assertEquals("gh", hit.body());
        assertNull(taken().getHeaders().get("Range"), "the fill asks for the whole object");
        assertEquals(3, origin.getRequestCount());
    }
}
