package dev.gatehouse.cache;

import static dev.gatehouse.cache.PolicyFixtures.T0;
import static dev.gatehouse.cache.PolicyFixtures.URI;
import static dev.gatehouse.cache.PolicyFixtures.h;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.gatehouse.cache.CacheDecision.Outcome;
import dev.gatehouse.cache.disk.DiskStore;
import dev.gatehouse.cache.memory.MemoryStore;

/** Several {@code Vary} variants per URL (RFC 9111 §4.1), in each tier: selection, bounds, invalidation, 304s, restarts. */
class HttpCacheVariantsTest {
    private static final CacheHeaders VARY_ENCODING = h("Cache-Control", "max-age=60", "Vary", "Accept-Encoding");
    private static final CacheRequest GZIP = request("Accept-Encoding", "gzip");
    private static final CacheRequest BR = request("Accept-Encoding", "br");
    private static final CacheRequest IDENTITY = request("Accept-Encoding", "identity");

    @TempDir
    Path root;
    private final MutableClock clock = new MutableClock(T0);

    /** The tiers a cache may sit on; each test runs on every one. */
    enum Tier {
        MEMORY, DISK, TIERED;

        CacheStore open(Path root) {
            try {
                return switch (this) {
                    case MEMORY -> new MemoryStore(1 << 20, 1 << 16);
                    case DISK -> DiskStore.open(root, 1 << 24, 1 << 20, 0, Runnable::run);
                    case TIERED -> new TieredStore(new MemoryStore(1 << 20, 1 << 16),
                            DiskStore.open(root, 1 << 24, 1 << 20, 0, Runnable::run), 1 << 16);
                };
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static CacheRequest request(String... headers) {
        return CacheRequest.of("GET", URI, h(headers));
    }

    private HttpCache cache(Tier tier, int maxVariants) {
        return new HttpCache(CachePolicy.defaults(), tier.open(root), clock, maxVariants);
    }

    /** Stores {@code body} as the origin's answer to {@code request}, as the miss path does. */
    private void store(HttpCache cache, CacheRequest request, CacheHeaders response, String body) throws IOException {
        store(cache, request, response, body, true);
    }

    /** As {@link #store(HttpCache, CacheRequest, CacheHeaders, String)}; without a length, as for a chunked response. */
    private void store(HttpCache cache, CacheRequest request, CacheHeaders response, String body, boolean lengthKnown)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        long length = lengthKnown ? bytes.length : -1;
        try (CacheStore.Writer writer = writer(cache, request, response, length).orElseThrow()) {
            writer.body().write(bytes);
            assertTrue(writer.commit());
        }
    }

    /** A writer for the origin's response to {@code request}, after the lookup that missed, as the miss path makes it. */
    private Optional<CacheStore.Writer> writer(HttpCache cache, CacheRequest request, CacheHeaders response, long length) {
        try (CacheLookup missed = cache.lookup(request, true)) {
            return cache.writer(missed, request, 200, response, clock.millis(), clock.millis(), length);
        }
    }

    /** Stores two variants and checks both are served, so what a test drops next was there. */
    private void storeGzipAndBr(HttpCache cache) throws IOException {
        store(cache, GZIP, VARY_ENCODING, "gzip");
        store(cache, BR, VARY_ENCODING, "br");
        assertEquals("gzip", hit(cache, GZIP));
        assertEquals("br", hit(cache, BR));
    }

    /** The stored body a lookup of {@code request} serves as a fresh hit, or null if it does not hit. */
    private static String hit(HttpCache cache, CacheRequest request) throws IOException {
        try (CacheLookup lookup = cache.lookup(request, true)) {
            if (lookup.decision().outcome() != Outcome.HIT) {
                return null;
            }
            return new String(lookup.stored().orElseThrow().body().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void clientsThatAlternateBetweenVariantsAllHit(Tier tier) throws IOException {
        HttpCache cache = cache(tier, 8);
        store(cache, GZIP, VARY_ENCODING, "gzip body");
        store(cache, BR, VARY_ENCODING, "br body");
        for (int round = 0; round < 2; round++) {
            assertEquals("gzip body", hit(cache, GZIP));
            assertEquals("br body", hit(cache, BR));
        }
        assertNull(hit(cache, IDENTITY), "a variant never stored");
        assertNull(hit(cache, request()), "an absent field matches only an absent one (§4.1)");
        assertEquals("br body", hit(cache, request("Accept-Encoding", "BR ")), "normalised like any secondary key");
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void aStoredVariantIsReplacedByItsOwnNewerResponseOnly(Tier tier) throws IOException {
        HttpCache cache = cache(tier, 8);
        store(cache, GZIP, VARY_ENCODING, "gzip v1");
        store(cache, BR, VARY_ENCODING, "br v1");
        store(cache, GZIP, VARY_ENCODING, "gzip v2");
        assertEquals("gzip v2", hit(cache, GZIP));
        assertEquals("br v1", hit(cache, BR));
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void beyondTheBoundTheOldestVariantIsDropped(Tier tier) throws IOException {
        HttpCache cache = cache(tier, 2);
        storeGzipAndBr(cache);
        store(cache, GZIP, VARY_ENCODING, "gzip again"); // now the newest: br is the oldest
        store(cache, IDENTITY, VARY_ENCODING, "identity");
        assertNull(hit(cache, BR), "the oldest variant was dropped");
        assertEquals("gzip again", hit(cache, GZIP));
        assertEquals("identity", hit(cache, IDENTITY));
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void newVaryFieldNamesRetireTheVariantsSelectedByTheOldOnes(Tier tier) throws IOException {
        HttpCache cache = cache(tier, 8);
        storeGzipAndBr(cache);
        CacheRequest gzipGerman = request("Accept-Encoding", "gzip", "Accept-Language", "de");
        store(cache, gzipGerman, h("Cache-Control", "max-age=60", "Vary", "Accept-Language"), "german");
        assertNull(hit(cache, BR), "selected by Accept-Encoding, which the latest response no longer varies on");
        assertEquals("german", hit(cache, request("Accept-Encoding", "br", "Accept-Language", "de")));
        assertNull(hit(cache, request("Accept-Language", "fr")));
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void aResponseWithoutVaryReplacesEveryVariant(Tier tier) throws IOException {
        HttpCache cache = cache(tier, 8);
        storeGzipAndBr(cache);
        store(cache, GZIP, h("Cache-Control", "max-age=60"), "plain");
        assertEquals("plain", hit(cache, BR));
        assertEquals("plain", hit(cache, IDENTITY));
        store(cache, BR, VARY_ENCODING, "br again");
        assertEquals("br again", hit(cache, BR));
        assertNull(hit(cache, GZIP), "the plain response is gone with the list that replaced it");
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void aResponseOfUnknownLengthWithoutVaryIsServedInPlaceOfTheVariantsAndOfAnOlderCopy(Tier tier) throws IOException {
        HttpCache cache = cache(tier, 8);
        storeGzipAndBr(cache);
        // Chunked, so the two-tier store puts it on disk only: the list in memory must not hide it.
        store(cache, GZIP, h("Cache-Control", "max-age=60"), "plain", false);
        assertEquals("plain", hit(cache, GZIP));
        assertEquals("plain", hit(cache, BR));
        store(cache, GZIP, h("Cache-Control", "max-age=60"), "small", true); // in memory too
        store(cache, GZIP, h("Cache-Control", "max-age=60"), "newer, chunked", false);
        assertEquals("newer, chunked", hit(cache, IDENTITY), "the most recent response (RFC 9111 §4), not the copy in memory");
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void aResponseWithoutVaryThatIsNeverStoredLeavesTheVariantsServed(Tier tier) throws IOException {
        HttpCache cache = cache(tier, 8);
        storeGzipAndBr(cache);
        try (CacheStore.Writer writer = writer(cache, IDENTITY, h("Cache-Control", "max-age=60"), 5).orElseThrow()) {
            writer.body().write("cut ".getBytes(StandardCharsets.UTF_8));
            writer.abort(); // the origin went away mid-body
        }
        assertEquals("gzip", hit(cache, GZIP));
        assertEquals("br", hit(cache, BR));
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void unsafeRequestsPurgesAndVaryStarDropEveryVariant(Tier tier) throws IOException {
        HttpCache cache = cache(tier, 8);
        storeGzipAndBr(cache);
        cache.invalidate(CacheRequest.of("POST", URI, h()), 200, h());
        assertNull(hit(cache, GZIP), "§4.4");
        assertNull(hit(cache, BR), "§4.4");

        storeGzipAndBr(cache);
        assertTrue(cache.purge(CacheKey.of(URI)));
        assertNull(hit(cache, GZIP));
        assertNull(hit(cache, BR));
        assertFalse(cache.purge(CacheKey.of(URI)), "nothing left");

        storeGzipAndBr(cache);
        assertTrue(writer(cache, GZIP, h("Cache-Control", "max-age=60", "Vary", "*"), -1).isEmpty());
        assertNull(hit(cache, GZIP), "Vary: * forbids keeping any stored response (§4.1)");
        assertNull(hit(cache, BR));
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void a304UpdatesOnlyTheVariantItValidated(Tier tier) throws IOException {
        HttpCache cache = cache(tier, 8);
        CacheHeaders shortLived = h("Cache-Control", "max-age=10", "Vary", "Accept-Encoding", "ETag", "\"gz\"");
        store(cache, GZIP, shortLived, "gzip");
        store(cache, BR, shortLived.with("ETag", "\"br\""), "br");
        clock.advanceSeconds(20);
        try (CacheLookup lookup = cache.lookup(GZIP, false)) {
            assertEquals(Outcome.STALE_NEEDS_REVALIDATION, lookup.decision().outcome());
            assertEquals("\"gz\"", lookup.headers().first("If-None-Match"), "the selected variant's validator (§4.3.1)");
            Optional<CacheEntry> merged = cache.notModified(lookup, h("Cache-Control", "max-age=100", "ETag", "\"gz\""),
                    clock.millis(), clock.millis());
            assertTrue(merged.isPresent());
        }
        assertEquals("gzip", hit(cache, GZIP), "refreshed by the 304");
        try (CacheLookup lookup = cache.lookup(BR, false)) {
            assertEquals(Outcome.STALE_NEEDS_REVALIDATION, lookup.decision().outcome(), "the other variant is still stale");
        }
    }

    @ParameterizedTest
    @EnumSource(value = Tier.class, names = {"DISK", "TIERED"})
    void variantsSurviveARestart(Tier tier) throws IOException {
        HttpCache before = new HttpCache(CachePolicy.defaults(), tier.open(root), clock, 8);
        store(before, GZIP, VARY_ENCODING, "gzip");
        store(before, BR, VARY_ENCODING, "br");
        HttpCache after = cache(tier, 8);
        assertEquals("gzip", hit(after, GZIP));
        assertEquals("br", hit(after, BR));
        assertTrue(after.purge(CacheKey.of(URI)));
        HttpCache afterPurge = cache(tier, 8);
        assertNull(hit(afterPurge, GZIP), "the purge reached the disk");
        assertNull(hit(afterPurge, BR));
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void aCommittedVariantOnlyIsListed(Tier tier) throws IOException {
        HttpCache cache = cache(tier, 1); // room for one: an aborted variant listed anyway would displace gzip
        store(cache, GZIP, VARY_ENCODING, "gzip");
        try (CacheStore.Writer aborted = writer(cache, BR, VARY_ENCODING, 2).orElseThrow()) {
            aborted.body().write("br".getBytes(StandardCharsets.UTF_8));
            aborted.abort();
        }
        assertNull(hit(cache, BR));
        assertEquals("gzip", hit(cache, GZIP));
        store(cache, BR, VARY_ENCODING, "br");
        assertEquals("br", hit(cache, BR));
        assertNull(hit(cache, GZIP), "a committed variant does displace it");
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void storingAResponseWithoutVaryReadsTheUrisKeyOnlyInTheLookup(Tier tier) throws IOException {
        OpenCountingStore store = new OpenCountingStore(tier.open(root));
        HttpCache cache = new HttpCache(CachePolicy.defaults(), store, clock, 8);
        CacheKey uri = CacheKey.of(URI);
        store(cache, IDENTITY, h("Cache-Control", "max-age=60"), "first");
        assertEquals(1, store.opens(uri), "nothing was stored: the miss's lookup found that out");

        store(cache, GZIP, VARY_ENCODING, "gzip");
        store(cache, BR, VARY_ENCODING, "br");
        store.reset();
        store(cache, IDENTITY, h("Cache-Control", "max-age=60"), "plain");
        assertEquals(1, store.opens(uri), "the list of variants the lookup found is the one the response replaces");
        for (CacheRequest variant : new CacheRequest[] {GZIP, BR}) {
            CacheKey variantKey = Variants.keyOf(uri, SecondaryKey.of(VARY_ENCODING, variant.headers()).orElseThrow());
            assertTrue(store.open(variantKey).isEmpty(), "dropped when the response without Vary was committed");
        }
        assertEquals("plain", hit(cache, GZIP));
    }

    /** A store that counts how often each key is opened. */
    private static final class OpenCountingStore extends ForwardingStore {
        private final Map<CacheKey, Integer> opens = new ConcurrentHashMap<>();

        OpenCountingStore(CacheStore store) {
            super(store);
        }

        int opens(CacheKey key) {
            return opens.getOrDefault(key, 0);
        }

        void reset() {
            opens.clear();
        }

        @Override
        public Optional<StoredResponse> open(CacheKey key) {
            opens.merge(key, 1, Integer::sum);
            return super.open(key);
        }

        @Override
        public Optional<StoredResponse> openInMemory(CacheKey key) {
            opens.merge(key, 1, Integer::sum);
            return super.openInMemory(key);
        }
    }
}
