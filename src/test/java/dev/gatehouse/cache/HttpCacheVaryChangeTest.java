package dev.gatehouse.cache;

import static dev.gatehouse.cache.PolicyFixtures.T0;
import static dev.gatehouse.cache.PolicyFixtures.URI;
import static dev.gatehouse.cache.PolicyFixtures.h;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.gatehouse.cache.CacheDecision.Outcome;
import dev.gatehouse.cache.HttpCacheVariantsTest.Tier;

/**
 * A 304 (or a HEAD's 200) whose {@code Vary} names other fields than the stored response's files the refreshed
 * response again, as the variant the revalidating request selects under the new {@code Vary} (RFC 9111 §4.3.4 with
 * §3.2, §4.1, §4.3.5), in each tier and across a restart.
 */
class HttpCacheVaryChangeTest {
    private static final CacheHeaders STALE_SOON = h("Cache-Control", "max-age=10", "ETag", "\"v1\"");
    private static final CacheHeaders VARY_ENCODING = STALE_SOON.with("Vary", "Accept-Encoding");
    private static final CacheRequest GZIP_DE = request("Accept-Encoding", "gzip", "Accept-Language", "de");
    private static final CacheRequest BR_DE = request("Accept-Encoding", "br", "Accept-Language", "de");
    private static final CacheRequest GZIP_FR = request("Accept-Encoding", "gzip", "Accept-Language", "fr");
    private static final CacheRequest BR_FR = request("Accept-Encoding", "br", "Accept-Language", "fr");

    @TempDir
    Path root;
    private final MutableClock clock = new MutableClock(T0);

    private static CacheRequest request(String... headers) {
        return CacheRequest.of("GET", URI, h(headers));
    }

    /** A 304 confirming ETag "v1", fresh for 100 s, with these other fields. */
    private static CacheHeaders notModified(String... fields) {
        return h("Cache-Control", "max-age=100", "ETag", "\"v1\"").toBuilder().addAll(h(fields)).build();
    }

    private HttpCache cache(CacheStore store) {
        return new HttpCache(CachePolicy.defaults(), store, clock, 8);
    }

    /** Stores {@code body} as the origin's answer to {@code request}, as the miss path does. */
    private void store(HttpCache cache, CacheRequest request, CacheHeaders response, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try (CacheLookup missed = cache.lookup(request, true);
             CacheStore.Writer writer = cache.writer(missed, request, 200, response, clock.millis(), clock.millis(), bytes.length).orElseThrow()) {
            writer.body().write(bytes);
            assertTrue(writer.commit());
        }
    }

    /** Stores two variants selected by Accept-Encoding, both for German: gzip (ETag "v1") and br. */
    private void storeGzipAndBr(HttpCache cache) throws IOException {
        store(cache, GZIP_DE, VARY_ENCODING, "gzip");
        store(cache, BR_DE, VARY_ENCODING.with("ETag", "\"br\""), "br");
    }

    /** Neither variant {@link #storeGzipAndBr} stored is kept under its old key: the old copy of gzip, nor br. */
    private static void assertEncodingVariantsDropped(CacheStore store) {
        assertTrue(store.open(variantKey(VARY_ENCODING, GZIP_DE)).isEmpty(), "the old copy is dropped");
        assertTrue(store.open(variantKey(VARY_ENCODING, BR_DE)).isEmpty(), "the variants of the old Vary are dropped");
    }

    /** Lets what is stored go stale, then revalidates {@code request}'s stored response with a 304 of {@code fields}. */
    private void revalidate(HttpCache cache, CacheRequest request, CacheHeaders fields) throws IOException {
        revalidate(cache, request, fields, () -> { });
    }

    /** As {@link #revalidate(HttpCache, CacheRequest, CacheHeaders)}, running {@code meanwhile} while the 304 is on its way. */
    private void revalidate(HttpCache cache, CacheRequest request, CacheHeaders fields, Meanwhile meanwhile) throws IOException {
        clock.advanceSeconds(20);
        try (CacheLookup lookup = cache.lookup(request, false)) {
            assertEquals(Outcome.STALE_NEEDS_REVALIDATION, lookup.decision().outcome());
            meanwhile.run();
            assertTrue(cache.notModified(lookup, fields, clock.millis(), clock.millis()).isPresent());
        }
    }

    /** What happens between a lookup and the 304 that answers its conditional request. */
    private interface Meanwhile {
        void run() throws IOException;
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

    /** The key of {@code request}'s variant under {@code vary}'s selecting fields. */
    private static CacheKey variantKey(CacheHeaders vary, CacheRequest request) {
        return Variants.keyOf(CacheKey.of(URI), SecondaryKey.of(vary, request.headers()).orElseThrow());
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void aVaryAddedBy304FilesTheResponseAsTheRevalidatingRequestsVariant(Tier tier) throws IOException {
        CacheStore store = tier.open(root);
        HttpCache cache = cache(store);
        store(cache, GZIP_DE, STALE_SOON, "body");

        revalidate(cache, GZIP_DE, notModified("Vary", "Accept-Language"));

        assertEquals("body", hit(cache, BR_DE), "selected by Accept-Language alone now");
        assertNull(hit(cache, GZIP_FR), "another language is another variant (§4.1)");
        assertTrue(Variants.of(store.open(CacheKey.of(URI)).orElseThrow().entry()).isPresent(),
                "the URI's key lists variants in place of the response without Vary");
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void aVaryRemovedBy304ReplacesEveryVariantOfTheUri(Tier tier) throws IOException {
        CacheStore store = tier.open(root);
        HttpCache cache = cache(store);
        storeGzipAndBr(cache);

        revalidate(cache, GZIP_DE, notModified("Vary", "")); // an empty list: no selecting fields (RFC 9110 §12.5.5)

        assertEquals("gzip", hit(cache, BR_FR), "one response for every request, as a response without Vary is stored");
        assertEquals("gzip", hit(cache, request()));
        assertEncodingVariantsDropped(store); // br: replaced, as by a commit without Vary
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void aVaryChangedBy304ToOtherNamesRetiresTheVariantsOfTheOldNames(Tier tier) throws IOException {
        CacheStore store = tier.open(root);
        HttpCache cache = cache(store);
        storeGzipAndBr(cache);

        revalidate(cache, GZIP_DE, notModified("Vary", "Accept-Language"));

        assertEquals("gzip", hit(cache, BR_DE), "selected by the German of the request that revalidated it");
        assertNull(hit(cache, GZIP_FR), "selected by the language now, not the encoding");
        assertEncodingVariantsDropped(store); // br: never selected under the new names
        CacheHeaders varyLanguage = h("Vary", "Accept-Language");
        assertEquals("gzip", new String(StoreFixtures.read(store, variantKey(varyLanguage, GZIP_DE)), StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void anUnchangedVaryUpdatesTheStoredVariantInPlace(Tier tier) throws IOException {
        CountingStore store = new CountingStore(tier.open(root));
        HttpCache cache = cache(store);
        store(cache, GZIP_DE, VARY_ENCODING, "gzip");
        CacheKey key = variantKey(VARY_ENCODING, GZIP_DE);
        store.writers.set(0);

        // The same names, spelled otherwise: compared once normalised, not as text.
        revalidate(cache, GZIP_DE, notModified("Vary", "accept-encoding,  Accept-Encoding"));

        assertEquals(0, store.writers.get(), "nothing written anew");
        assertEquals(1, store.updates.get(), "the stored variant's fields replaced");
        assertEquals("gzip", hit(cache, GZIP_FR));
        try (CacheLookup lookup = cache.lookup(GZIP_DE, true)) {
            assertEquals(key, lookup.storedKey(), "still filed under its secondary key");
        }
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void aHeadsOkThatChangesVaryFilesTheStoredGetAgain(Tier tier) throws IOException {
        HttpCache cache = cache(tier.open(root));
        store(cache, GZIP_DE, VARY_ENCODING, "body");
        clock.advanceSeconds(20);
        try (CacheLookup lookup = cache.lookup(CacheRequest.of("HEAD", URI, GZIP_DE.headers()), true)) {
            assertEquals(Outcome.STALE_NEEDS_REVALIDATION, lookup.decision().outcome());
            assertTrue(cache.headAnswered(lookup, 200, notModified("Content-Length", "4", "Vary", "Accept-Language"),
                    clock.millis(), clock.millis()));
        }
        assertEquals("body", hit(cache, BR_DE), "§4.3.5 refreshes as a 304 does, Vary included");
        assertNull(hit(cache, GZIP_FR));
    }

    @ParameterizedTest
    @EnumSource(value = Tier.class, names = {"DISK", "TIERED"})
    void aVariantFiledAgainIsFoundUnderItsNewVaryAfterARestart(Tier tier) throws IOException {
        HttpCache before = cache(tier.open(root));
        storeGzipAndBr(before);
        revalidate(before, GZIP_DE, notModified("Vary", "Accept-Language"));

        HttpCache after = cache(tier.open(root));
        assertEquals("gzip", hit(after, BR_DE), "the metadata on disk carries the new Vary and secondary key");
        assertNull(hit(after, GZIP_FR));
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void aResponseStoredWhileThe304WasOnItsWayIsNotReplacedByTheRefiledOne(Tier tier) throws IOException {
        HttpCache cache = cache(tier.open(root));
        store(cache, GZIP_DE, VARY_ENCODING, "old");
        revalidate(cache, GZIP_DE, notModified("Vary", "Accept-Language"),
                () -> store(cache, GZIP_DE, h("Cache-Control", "max-age=60", "ETag", "\"v2\"", "Vary", "Accept-Language"), "new"));
        assertEquals("new", hit(cache, BR_DE), "the most recent response (RFC 9111 §4)");
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void aResponseRevalidatedAcrossAPurgeIsNotFiledAgain(Tier tier) throws IOException {
        HttpCache cache = cache(tier.open(root));
        store(cache, GZIP_DE, VARY_ENCODING, "old");
        revalidate(cache, GZIP_DE, notModified("Vary", "Accept-Language"), () -> assertTrue(cache.purge(CacheKey.of(URI))));
        assertNull(hit(cache, BR_DE), "purged (§4.4): the 304 does not bring it back");
        assertNull(hit(cache, GZIP_DE));
    }

    /** A store that counts writers opened and updates made. */
    private static final class CountingStore extends ForwardingStore {
        final AtomicInteger writers = new AtomicInteger();
        final AtomicInteger updates = new AtomicInteger();

        CountingStore(CacheStore store) {
            super(store);
        }

        @Override
        public Optional<Writer> writer(CacheKey key, CacheEntry entry, long expectedLength) {
            writers.incrementAndGet();
            return super.writer(key, entry, expectedLength);
        }

        @Override
        public boolean update(CacheKey key, CacheEntry expected, CacheEntry entry) {
            updates.incrementAndGet();
            return super.update(key, expected, entry);
        }
    }
}
