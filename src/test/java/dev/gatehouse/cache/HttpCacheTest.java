package dev.gatehouse.cache;

import static dev.gatehouse.cache.PolicyFixtures.T0;
import static dev.gatehouse.cache.PolicyFixtures.URI;
import static dev.gatehouse.cache.PolicyFixtures.h;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.cache.CacheDecision.Outcome;
import dev.gatehouse.cache.disk.DiskStore;
import dev.gatehouse.cache.memory.MemoryStore;

/** The forward path's use of the cache, step by step: miss and tee, hit, revalidation, isolation, invalidation. */
class HttpCacheTest {
    private static final CacheHeaders NONE = CacheHeaders.empty();
    private static final byte[] BODY = StoreFixtures.body(20_000, 7);

    private final MutableClock clock = new MutableClock(T0);
    private final HttpCache cache = new HttpCache(CachePolicy.defaults(), new MemoryStore(1 << 20, 1 << 16), clock);

    /** Runs a miss the way the forward path does: look up, fetch, tee into the store while copying to the client. */
    private byte[] fetchThrough(CacheRequest request, CacheHeaders response, InputStream origin) throws IOException {
        Optional<CacheStore.Writer> writer;
        try (CacheLookup lookup = cache.lookup(request, true)) {
            assertFalse(lookup.decision().servesStoredBody());
            writer = cache.writer(lookup, request, 200, response, clock.millis(), clock.millis(), -1);
        }
        InputStream body = writer.<InputStream>map(w -> new CachingInputStream(origin, w, -1)).orElse(origin);
        ByteArrayOutputStream client = new ByteArrayOutputStream();
        try (body) {
            body.transferTo(client);
        }
        return client.toByteArray();
    }

    /** A writer for the origin's response to {@code request}, after looking it up, as the forward path makes it. */
    private Optional<CacheStore.Writer> writer(HttpCache cache, CacheRequest request, CacheHeaders response, long length) {
        try (CacheLookup lookup = cache.lookup(request, true)) {
            return cache.writer(lookup, request, 200, response, clock.millis(), clock.millis(), length);
        }
    }

    private Lookup hitOrMiss(CacheRequest request) throws IOException {
        try (CacheLookup lookup = cache.lookup(request, true)) {
            byte[] body = lookup.decision().servesStoredBody() ? lookup.stored().orElseThrow().body().readAllBytes() : null;
            return new Lookup(lookup.decision(), lookup.headers(), body);
        }
    }

    private record Lookup(CacheDecision decision, CacheHeaders headers, byte[] body) {
    }

    @Test
    void aMissIsTeedIntoTheStoreAndTheNextRequestHits() throws IOException {
        CacheRequest request = CacheRequest.of("GET", URI, NONE);
        byte[] client = fetchThrough(request, h("Cache-Control", "max-age=60", "Content-Type", "text/plain"), new ByteArrayInputStream(BODY));
        assertArrayEquals(BODY, client, "the client got the whole body while it was stored");

        clock.advanceSeconds(5);
        Lookup hit = hitOrMiss(request);
        assertEquals(Outcome.HIT, hit.decision().outcome());
        assertEquals(ResultCode.TCP_MEM_HIT, hit.decision().resultCode());
        assertEquals("5", hit.headers().first("Age"));
        assertArrayEquals(BODY, hit.body());
        assertEquals(Outcome.HIT, hitOrMiss(CacheRequest.of("HEAD", URI, NONE)).decision().outcome(), "HEAD from the stored GET");
    }

    @Test
    void aStoredSetCookieIsNeverServedToAnotherClient() throws IOException {
        fetchThrough(CacheRequest.of("GET", URI, NONE), h("Cache-Control", "public, max-age=60", "Set-Cookie", "sid=alice"),
                new ByteArrayInputStream(BODY));
        Lookup bob = hitOrMiss(CacheRequest.of("GET", URI, NONE));
        assertEquals(Outcome.HIT, bob.decision().outcome());
        assertFalse(bob.headers().has("Set-Cookie"), "Alice's cookie must not reach Bob");
    }

    @Test
    void aResponseToOneClientsCredentialsIsNotSharedWithAnother() throws IOException {
        fetchThrough(CacheRequest.of("GET", URI, h("Authorization", "Basic YWxpY2U6eA==")), h("Cache-Control", "max-age=60"),
                new ByteArrayInputStream(BODY));
        fetchThrough(CacheRequest.of("GET", URI + "?2", h("Cookie", "sid=alice")), h("Cache-Control", "max-age=60"),
                new ByteArrayInputStream(BODY));
        assertEquals(Outcome.MISS, hitOrMiss(CacheRequest.of("GET", URI, NONE)).decision().outcome());
        assertEquals(Outcome.MISS, hitOrMiss(CacheRequest.of("GET", URI + "?2", NONE)).decision().outcome());
    }

    @Test
    void aStaleEntryIsRevalidatedAndA304RefreshesIt() throws IOException {
        CacheRequest request = CacheRequest.of("GET", URI, h("Accept", "*/*"));
        fetchThrough(request, h("Cache-Control", "max-age=10", "ETag", "\"v1\""), new ByteArrayInputStream(BODY));
        clock.advanceSeconds(20);
        try (CacheLookup lookup = cache.lookup(request, true)) {
            assertEquals(Outcome.STALE_NEEDS_REVALIDATION, lookup.decision().outcome());
            assertEquals(h("Accept", "*/*", "If-None-Match", "\"v1\""), lookup.headers(), "what the origin sees");
            CacheEntry refreshed = cache.notModified(lookup, h("Cache-Control", "max-age=100", "ETag", "\"v1\""),
                    clock.millis(), clock.millis()).orElseThrow();
            assertEquals(ResultCode.TCP_REFRESH_UNMODIFIED, cache.policy().afterRevalidation(304));
            assertEquals("max-age=100", cache.responseHeaders(refreshed).first("Cache-Control"));
            assertArrayEquals(BODY, lookup.stored().orElseThrow().body().readAllBytes(), "the stored body answers the client");
        }
        clock.advanceSeconds(50);
        Lookup later = hitOrMiss(request);
        assertEquals(Outcome.HIT, later.decision().outcome(), "the 304's freshness was stored");
        assertArrayEquals(BODY, later.body());
    }

    /**
     * A 304 whose Cache-Control makes the response private (§3.2 merges it into the stored fields) answers the client
     * that revalidated, but the response is no longer kept for others (§5.2.2.7); before, it was stored private and
     * served to everyone.
     */
    @Test
    void a304ThatMakesTheResponsePrivateAnswersItsClientButDropsTheSharedCopy() throws IOException {
        CacheRequest request = CacheRequest.of("GET", URI, NONE);
        fetchThrough(request, h("Cache-Control", "max-age=10", "ETag", "\"v1\""), new ByteArrayInputStream(BODY));
        clock.advanceSeconds(20);
        try (CacheLookup lookup = cache.lookup(request, true)) {
            CacheEntry merged = cache.notModified(lookup, h("Cache-Control", "private, max-age=100", "ETag", "\"v1\""),
                    clock.millis(), clock.millis()).orElseThrow();
            assertEquals("private, max-age=100", merged.headers().first("Cache-Control"), "this client's answer");
            assertArrayEquals(BODY, lookup.stored().orElseThrow().body().readAllBytes());
        }
        assertEquals(Outcome.MISS, hitOrMiss(request).decision().outcome(), "not served to the next client");
    }

    /** RFC 9111 §4.3.5: the origin's 200 to a forwarded HEAD refreshes the stored GET it describes, or drops one it does not. */
    @Test
    void aHeadsOkRefreshesTheStoredGetItDescribesAndDropsOneItDoesNot() throws IOException {
        CacheRequest get = CacheRequest.of("GET", URI, NONE);
        CacheRequest head = CacheRequest.of("HEAD", URI, NONE);
        String length = Integer.toString(BODY.length);
        fetchThrough(get, h("Cache-Control", "max-age=10", "ETag", "\"v1\"", "X-Version", "1"), new ByteArrayInputStream(BODY));
        clock.advanceSeconds(20);
        try (CacheLookup lookup = cache.lookup(head, true)) {
            assertEquals(Outcome.STALE_NEEDS_REVALIDATION, lookup.decision().outcome());
            assertFalse(cache.headAnswered(lookup, 404, h("ETag", "\"v2\""), clock.millis(), clock.millis()), "§4.3.5: a 200 only");
            assertTrue(cache.headAnswered(lookup, 200, h("Cache-Control", "max-age=100", "ETag", "\"v1\"", "Content-Length", length,
                    "X-Version", "2"), clock.millis(), clock.millis()));
        }
        Lookup refreshed = hitOrMiss(get);
        assertEquals(Outcome.HIT, refreshed.decision().outcome(), "the HEAD's max-age was stored");
        assertEquals("2", refreshed.headers().first("X-Version"));
        assertArrayEquals(BODY, refreshed.body());

        try (CacheLookup lookup = cache.lookup(CacheRequest.of("HEAD", URI, h("Cache-Control", "no-cache")), true)) {
            assertFalse(cache.headAnswered(lookup, 200, h("Cache-Control", "max-age=100", "ETag", "\"v2\"", "Content-Length", length),
                    clock.millis(), clock.millis()));
        }
        assertEquals(Outcome.MISS, hitOrMiss(get).decision().outcome(), "a changed representation is not served any more");
    }

    /** Stores {@code get}'s response (ETag "v1"), lets it go stale, and looks a HEAD of it up. */
    private CacheLookup headOfAStaleGet(CacheRequest get) throws IOException {
        fetchThrough(get, h("Cache-Control", "max-age=10", "ETag", "\"v1\""), new ByteArrayInputStream(BODY));
        clock.advanceSeconds(20);
        return cache.lookup(CacheRequest.of("HEAD", URI, NONE), true);
    }

    /** A HEAD's 200 that a GET's would match but that is private now drops the stored GET, as that GET's answer would. */
    @Test
    void aHeadsOkThatIsPrivateNowDropsTheStoredGetInsteadOfRefreshingIt() throws IOException {
        CacheRequest get = CacheRequest.of("GET", URI, NONE);
        try (CacheLookup lookup = headOfAStaleGet(get)) {
            assertFalse(cache.headAnswered(lookup, 200, h("Cache-Control", "private, max-age=100", "ETag", "\"v1\""),
                    clock.millis(), clock.millis()));
        }
        assertEquals(Outcome.MISS, hitOrMiss(get).decision().outcome(), "§5.2.2.7: never shared");
    }

    /** Only the response the HEAD was compared with is dropped: one stored while the HEAD was on its way stays. */
    @Test
    void aHeadDescribingAnotherRepresentationLeavesAResponseStoredMeanwhile() throws IOException {
        CacheRequest get = CacheRequest.of("GET", URI, NONE);
        try (CacheLookup lookup = headOfAStaleGet(get)) {
            fetchThrough(CacheRequest.of("GET", URI, h("Cache-Control", "no-cache")), h("Cache-Control", "max-age=60", "ETag", "\"v2\""),
                    new ByteArrayInputStream(BODY));
            assertFalse(cache.headAnswered(lookup, 200, h("ETag", "\"v3\""), clock.millis(), clock.millis()));
        }
        Lookup hit = hitOrMiss(get);
        assertEquals(Outcome.HIT, hit.decision().outcome());
        assertEquals("\"v2\"", hit.headers().first("ETag"));
    }

    @Test
    void aCallerThatCannotRevalidateInTheBackgroundGetsAConditionalRevalidationInsteadOfAStaleHit() throws IOException {
        CacheRequest request = CacheRequest.of("GET", URI, NONE);
        String lastModified = PolicyFixtures.date(-3600);
        fetchThrough(request, h("Cache-Control", "max-age=10, stale-while-revalidate=60", "Last-Modified", lastModified),
                new ByteArrayInputStream(BODY));
        clock.advanceSeconds(30);
        try (CacheLookup lookup = cache.lookup(request, true)) {
            assertEquals(Outcome.STALE_WHILE_REVALIDATE, lookup.decision().outcome());
        }
        try (CacheLookup lookup = cache.lookup(request, false)) {
            assertEquals(Outcome.STALE_NEEDS_REVALIDATION, lookup.decision().outcome());
            assertEquals(ResultCode.TCP_REFRESH_MODIFIED, lookup.decision().resultCode(), "if the origin sends a new body");
            assertEquals(h("If-Modified-Since", lastModified), lookup.headers(), "what the origin sees (RFC 9111 §4.3.1)");
        }
    }

    @Test
    void staleIfErrorServesTheStaleEntryWhenTheOriginFails() throws IOException {
        CacheRequest request = CacheRequest.of("GET", URI, NONE);
        fetchThrough(request, h("Cache-Control", "max-age=10, stale-if-error=60", "ETag", "\"v1\""), new ByteArrayInputStream(BODY));
        clock.advanceSeconds(30);
        try (CacheLookup lookup = cache.lookup(request, true)) {
            assertEquals(Outcome.STALE_NEEDS_REVALIDATION, lookup.decision().outcome());
            assertTrue(cache.mayServeStaleOnError(lookup));
        }
    }

    @Test
    void anUnsafeRequestInvalidatesTheStoredResponse() throws IOException {
        CacheRequest get = CacheRequest.of("GET", URI, NONE);
        fetchThrough(get, h("Cache-Control", "max-age=60"), new ByteArrayInputStream(BODY));
        cache.invalidate(CacheRequest.of("POST", URI, NONE), 200, NONE);
        assertEquals(Outcome.MISS, hitOrMiss(get).decision().outcome());
    }

    @Test
    void aNoStoreResponseDropsTheStoredCopyButACookieRequestDoesNot() throws IOException {
        CacheRequest get = CacheRequest.of("GET", URI, NONE);
        fetchThrough(get, h("Cache-Control", "max-age=60"), new ByteArrayInputStream(BODY));
        assertTrue(writer(cache, CacheRequest.of("GET", URI, h("Cookie", "a=b")), h("Cache-Control", "max-age=60"), -1).isEmpty());
        assertEquals(Outcome.HIT, hitOrMiss(get).decision().outcome(), "a client's cookie cannot flush a shared entry");
        assertTrue(writer(cache, get, h("Cache-Control", "no-store"), -1).isEmpty());
        assertEquals(Outcome.MISS, hitOrMiss(get).decision().outcome());
    }

    @Test
    void anOriginThatDiesMidBodyStoresNothing() throws IOException {
        CacheRequest request = CacheRequest.of("GET", URI, NONE);
        InputStream dying = new InputStream() {
            private int left = 5000;

            @Override
            public int read() throws IOException {
                if (left-- <= 0) {
                    throw new IOException("connection reset");
                }
                return 'x';
            }
        };
        assertThrows(IOException.class, () -> fetchThrough(request, h("Cache-Control", "max-age=60"), dying));
        assertEquals(Outcome.MISS, hitOrMiss(request).decision().outcome());
    }

    @Test
    void aBodyShorterThanItsContentLengthIsNotStored() throws IOException {
        CacheRequest request = CacheRequest.of("GET", URI, NONE);
        CacheStore.Writer writer = writer(cache, request, h("Cache-Control", "max-age=60"), BODY.length + 1).orElseThrow();
        try (CachingInputStream body = new CachingInputStream(new ByteArrayInputStream(BODY), writer, BODY.length + 1)) {
            body.transferTo(OutputStreamSink.INSTANCE);
            assertFalse(body.stored());
        }
        assertEquals(Outcome.MISS, hitOrMiss(request).decision().outcome());
    }

    @Test
    void aClientThatLeavesEarlyStoresNothing() throws IOException {
        CacheRequest request = CacheRequest.of("GET", URI, NONE);
        CacheStore.Writer writer = writer(cache, request, h("Cache-Control", "max-age=60"), -1).orElseThrow();
        try (CachingInputStream body = new CachingInputStream(new ByteArrayInputStream(BODY), writer, -1)) {
            body.readNBytes(100);
        }
        assertEquals(Outcome.MISS, hitOrMiss(request).decision().outcome());
    }

    @Test
    void aLargeObjectReachesMemoryOnItsFirstHitNotWhileItStreams(@TempDir Path root) throws IOException {
        CacheKey key = CacheKey.of(URI);
        // Up to 64 KiB in memory, but only 10 KB written through while streaming: the 20 KB body goes to disk.
        try (TieredStore tiers = new TieredStore(new MemoryStore(1 << 20, 1 << 16),
                DiskStore.open(root, 1 << 24, 1 << 20, 0, Runnable::run), 1 << 16, 10_000)) {
            try (CacheStore.Writer w = tiers.writer(key, StoreFixtures.entry("x"), BODY.length).orElseThrow()) {
                w.body().write(BODY);
                assertTrue(w.commit());
            }
            assertTrue(tiers.openInMemory(key).isEmpty(), "not held in memory while it was stored");
            try (CacheStore.StoredResponse first = tiers.open(key).orElseThrow()) {
                assertFalse(first.fromMemory());
                assertArrayEquals(BODY, first.body().readAllBytes());
            }
            try (CacheStore.StoredResponse second = tiers.open(key).orElseThrow()) {
                assertTrue(second.fromMemory(), "promoted by the first hit");
                assertArrayEquals(BODY, second.body().readAllBytes());
            }
        }
    }

    @Test
    void aDiskHitIsPromotedToMemory(@TempDir Path root) throws IOException {
        CacheKey key = CacheKey.of(URI);
        try (DiskStore disk = DiskStore.open(root, 1 << 24, 1 << 20, 0, Runnable::run)) {
            StoreFixtures.put(disk, key, StoreFixtures.entry("x"), BODY);
        }
        try (TieredStore tiers = new TieredStore(new MemoryStore(1 << 20, 1 << 16), DiskStore.open(root, 1 << 24, 1 << 20, 0, Runnable::run), 1 << 16)) {
            try (CacheStore.StoredResponse first = tiers.open(key).orElseThrow()) {
                assertFalse(first.fromMemory(), "after a restart the first hit comes from disk");
                assertArrayEquals(BODY, first.body().readAllBytes());
            }
            try (CacheStore.StoredResponse second = tiers.open(key).orElseThrow()) {
                assertTrue(second.fromMemory());
                assertArrayEquals(BODY, second.body().readAllBytes());
            }
            // A body of known length that fits is written to memory as it streams.
            CacheKey known = CacheKey.of(URI + "?known");
            try (CacheStore.Writer w = tiers.writer(known, StoreFixtures.entry("y"), BODY.length).orElseThrow()) {
                w.body().write(BODY);
                assertTrue(w.commit());
            }
            assertTrue(tiers.open(known).orElseThrow().fromMemory());
            // One of unknown length (chunked) goes to disk only, and to memory on its first hit.
            CacheKey chunked = CacheKey.of(URI + "?chunked");
            assertTrue(StoreFixtures.put(tiers, chunked, StoreFixtures.entry("z"), BODY));
            try (CacheStore.StoredResponse first = tiers.open(chunked).orElseThrow()) {
                assertFalse(first.fromMemory());
            }
            assertTrue(tiers.open(chunked).orElseThrow().fromMemory());
        }
    }

    /** Discards what it is given. */
    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }

    @Test
    void onlyAFreshMemoryHitIsAnsweredWithoutBlocking(@TempDir Path dir) throws IOException {
        HttpCache tiered = new HttpCache(CachePolicy.defaults(),
                new TieredStore(new MemoryStore(1 << 20, 1 << 10), DiskStore.open(dir, 1 << 24, 1 << 20), 1 << 10), clock);
        CacheRequest small = CacheRequest.of("GET", URI, NONE);
        CacheRequest large = CacheRequest.of("GET", URI + "large", NONE);
        for (CacheRequest request : new CacheRequest[] {small, large}) {
            byte[] body = request == small ? new byte[100] : BODY;
            CacheStore.Writer writer = writer(tiered, request, h("Cache-Control", "max-age=60"), body.length).orElseThrow();
            try (InputStream in = new CachingInputStream(new ByteArrayInputStream(body), writer, body.length)) {
                in.transferTo(OutputStream.nullOutputStream());
            }
        }

        try (CacheLookup hit = tiered.lookupInMemory(small).orElseThrow()) {
            assertEquals(ResultCode.TCP_MEM_HIT, hit.decision().resultCode());
            assertTrue(hit.stored().orElseThrow().bodyBuffer().isPresent());
        }
        assertTrue(tiered.lookupInMemory(large).isEmpty(), "on disk only: looked up where blocking is allowed");
        assertTrue(tiered.lookupInMemory(CacheRequest.of("POST", URI, NONE)).isEmpty());
        clock.advanceSeconds(120);
        assertTrue(tiered.lookupInMemory(small).isEmpty(), "stale: revalidation needs the origin");
    }
}
