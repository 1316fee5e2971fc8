package dev.gatehouse.cache;

import static dev.gatehouse.cache.PolicyFixtures.URI;
import static dev.gatehouse.cache.PolicyFixtures.h;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.cache.memory.MemoryStore;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Variants and a response without {@code Vary} racing for one URI: a variant stored while a plain miss was
 * fetching is dropped when the plain response commits, not left stored and unreachable; a variant listed right
 * after a plain commit keeps its body.
 */
class HttpCacheVariantRaceTest {
    private static final CacheHeaders VARY = h("Cache-Control", "max-age=60", "Vary", "Accept-Encoding");
    private static final CacheHeaders PLAIN = h("Cache-Control", "max-age=60");
    private static final CacheRequest GZIP = CacheRequest.of("GET", URI, h("Accept-Encoding", "gzip"));
    private static final CacheRequest IDENTITY = CacheRequest.of("GET", URI, h("Accept-Encoding", "identity"));
    private final MutableClock clock = new MutableClock(PolicyFixtures.T0);

    private static void store(HttpCache cache, CacheLookup after, CacheRequest request, CacheHeaders response, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try (CacheStore.Writer w = cache.writer(after, request, 200, response, PolicyFixtures.T0, PolicyFixtures.T0, bytes.length).orElseThrow()) {
            w.body().write(bytes);
            assertTrue(w.commit());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static CacheKey gzipKey() {
        return Variants.keyOf(CacheKey.of(URI), SecondaryKey.of(VARY, GZIP.headers()).orElseThrow());
    }

    /** A variant committed while a plain miss was fetching stays stored, unreachable, once the plain response commits. */
    @Test
    void aVariantStoredAfterThePlainMissLookedUpIsNotOrphaned() {
        CacheStore store = new MemoryStore(1 << 20, 1 << 16);
        HttpCache cache = new HttpCache(CachePolicy.defaults(), store, clock, 8);
        CacheLookup plainMiss = cache.lookup(IDENTITY, true); // nothing stored yet
        try (CacheLookup gzipMiss = cache.lookup(GZIP, true)) {
            store(cache, gzipMiss, GZIP, VARY, "gzip"); // another client's Vary response commits meanwhile
        }
        store(cache, plainMiss, IDENTITY, PLAIN, "plain"); // the plain response replaces the list
        plainMiss.close();
        assertTrue(store.open(gzipKey()).isEmpty(), "the gzip variant's body is left stored, unreachable");
    }

    /** A variant that another thread lists right after a plain response commits must not lose its body to the drop. */
    @Test
    void aVariantListedRightAfterAPlainCommitKeepsItsBody() {
        CacheStore memory = new MemoryStore(1 << 20, 1 << 16);
        HttpCache[] cacheRef = new HttpCache[1];
        Thread[] other = new Thread[1];
        CacheKey uri = CacheKey.of(URI);
        CacheStore store = new ForwardingStore(memory) {
            boolean injected;

            @Override
            public java.util.Optional<Writer> writer(CacheKey key, CacheEntry entry, long expectedLength) {
                java.util.Optional<Writer> w = super.writer(key, entry, expectedLength);
                if (!key.equals(uri) || Variants.of(entry).isPresent() || !entry.secondaryKey().isEmpty() || injected) return w;
                return w.map(inner -> new Writer() {
                    public OutputStream body() { return inner.body(); }
                    public boolean commit() {
                        boolean c = inner.commit();
                        if (!injected) {
                            injected = true; // another thread's Vary response commits right now
                            other[0] = Thread.ofPlatform().start(() -> {
                                try (CacheLookup l = cacheRef[0].lookup(GZIP, true)) {
                                    store(cacheRef[0], l, GZIP, VARY, "gzip 2");
                                }
                            });
                            // until it is done, or parked on a lock this thread holds
                            while (other[0].isAlive() && other[0].getState() != Thread.State.WAITING) Thread.onSpinWait();
                        }
                        return c;
                    }
                    public void abort() { inner.abort(); }
                    public boolean storing() { return inner.storing(); }
                    public void close() { inner.close(); }
                });
            }
        };
        HttpCache cache = new HttpCache(CachePolicy.defaults(), store, clock, 8);
        cacheRef[0] = cache;
        try (CacheLookup l = cache.lookup(GZIP, true)) {
            store(cache, l, GZIP, VARY, "gzip 1");
        }
        injectedPlain(cache);
        try {
            other[0].join();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        try (CacheLookup hit = cache.lookup(GZIP, true)) {
            assertEquals(CacheDecision.Outcome.HIT, hit.decision().outcome(),
                    "the newest response for gzip (committed last) is listed and must be served");
        }
    }

    private static void injectedPlain(HttpCache cache) {
        try (CacheLookup plainMiss = cache.lookup(IDENTITY, true)) {
            store(cache, plainMiss, IDENTITY, PLAIN, "plain");
        }
    }
}
