package dev.gatehouse.cache;

import static dev.gatehouse.cache.PolicyFixtures.URI;
import static dev.gatehouse.cache.PolicyFixtures.h;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.cache.CacheDecision.Outcome;
import dev.gatehouse.cache.memory.MemoryStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * A response on its way when its URI is invalidated (RFC 9111 §4.4) or purged is not stored when its body ends:
 * it was fetched before the invalidation (found by the e2e CacheStressIT).
 */
class HttpCacheInvalidationRaceTest {
    private static final CacheRequest GET = CacheRequest.of("GET", URI, CacheHeaders.empty());
    private final MutableClock clock = new MutableClock(PolicyFixtures.T0);
    private final HttpCache cache = new HttpCache(CachePolicy.defaults(), new MemoryStore(1 << 20, 1 << 16), clock);

    private CacheStore.Writer writer(CacheLookup after, CacheHeaders response, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        CacheStore.Writer writer = cache.writer(after, GET, 200, response, clock.millis(), clock.millis(), bytes.length).orElseThrow();
        writer.body().write(bytes);
        return writer;
    }

    private void store(CacheHeaders response, String body) throws IOException {
        try (CacheLookup lookup = cache.lookup(GET, true); CacheStore.Writer writer = writer(lookup, response, body)) {
            assertTrue(writer.commit());
        }
    }

    private void invalidate(String how) {
        if (how.equals("POST")) {
            cache.invalidate(CacheRequest.of("POST", URI, CacheHeaders.empty()), 200, CacheHeaders.empty());
        } else {
            cache.purge(CacheKey.of(URI));
        }
    }

    private String storedBody() throws IOException {
        try (CacheLookup lookup = cache.lookup(GET, true)) {
            return lookup.stored().isEmpty() ? null : new String(lookup.stored().get().body().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PURGE"})
    void aResponseFetchedBeforeAnInvalidationIsNotStored(String how) throws IOException {
        store(h("Cache-Control", "max-age=600"), "old");
        clock.advanceSeconds(700);
        try (CacheLookup stale = cache.lookup(GET, true);
             CacheStore.Writer arriving = writer(stale, h("Cache-Control", "max-age=600"), "fetched before")) {
            invalidate(how); // answered while the body is still arriving

            assertFalse(arriving.commit(), "stored after the invalidation it predates");
        }
        try (CacheLookup after = cache.lookup(GET, true)) {
            assertEquals(Outcome.MISS, after.decision().outcome());
        }
    }

    @Test
    void theWriterKeepsTheClaimOnceItsLookupIsClosed() throws IOException {
        CacheStore.Writer arriving;
        try (CacheLookup missed = cache.lookup(GET, true)) {
            arriving = writer(missed, h("Cache-Control", "max-age=600"), "fetched before");
        }
        invalidate("POST");

        assertFalse(arriving.commit());
        arriving.close();
        assertEquals(0, cache.urisInFlight(), "every claim was released");
    }

    @Test
    void aResponseFetchedAfterAnInvalidationIsStored() throws IOException {
        invalidate("POST");
        store(h("Cache-Control", "max-age=600"), "fetched after");

        assertEquals("fetched after", storedBody());
        assertEquals(0, cache.urisInFlight());
    }
}
