package dev.gatehouse.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.gatehouse.cache.CacheEntry;
import dev.gatehouse.cache.CacheHeaders;
import dev.gatehouse.cache.CacheKey;
import dev.gatehouse.cache.CacheRequest;
import dev.gatehouse.cache.CacheStore;
import dev.gatehouse.cache.StoreFixtures;
import dev.gatehouse.cache.memory.MemoryStore;
import dev.gatehouse.http.Via;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.HttpString;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The head a memory hit goes out with, prepared once per stored response: it must carry exactly the fields
 * the per-hit path writes for the same response (stored fields, Age, Via, X-Cache, framing), with the age of
 * this hit, and follow the stored response when a 304 updates it.
 */
class StoredResponderTest {
    private static final String URI = "http://example.com/a";
    private static final CacheKey KEY = CacheKey.of(URI);
    private static final CacheRequest GET = CacheRequest.of("GET", URI, CacheHeaders.empty());

    private final MemoryStore store = new MemoryStore(1 << 20, 64 * 1024);

    private static CacheHeaders stored(String... extra) {
        CacheHeaders.Builder fields = CacheHeaders.builder().add("Date", "Mon, 23 Nov 2026 10:00:00 GMT")
                .add("Content-Type", "text/plain").add("Content-Length", "5").add("ETag", "\"v1\"")
                .add("Cache-Control", "max-age=600").add("X-Origin", "a").add("X-Origin", "b").add("Age", "7");
        for (int i = 0; i < extra.length; i += 2) fields.add(extra[i], extra[i + 1]);
        return fields.build();
    }

    private CacheStore.StoredResponse put(CacheHeaders headers) {
        StoreFixtures.put(store, KEY, new CacheEntry(200, headers, 1000, 2000, ""), "hello".getBytes());
        return store.open(KEY).orElseThrow();
    }

    /** Every field of {@code out}, names lower-cased, values in order. */
    private static Map<String, List<String>> fields(HeaderMap out) {
        Map<String, List<String>> fields = new TreeMap<>();
        for (HeaderValues values : out) fields.put(values.getHeaderName().toString().toLowerCase(), List.copyOf(values));
        return fields;
    }

    private static Map<String, List<String>> memoryHit(StoredResponder responder, CacheRequest request,
                                                       CacheStore.StoredResponse stored, long age) {
        HttpServerExchange exchange = new HttpServerExchange(null);
        responder.memoryHead(exchange, request, stored, age);
        return fields(exchange.getResponseHeaders());
    }

    /** What {@link StoredResponder#send} writes: the stored fields with Age set, made for this one response. */
    private static Map<String, List<String>> perResponse(StoredResponder responder, CacheRequest request,
                                                         CacheStore.StoredResponse stored, long age) throws Exception {
        HttpServerExchange exchange = new HttpServerExchange(null);
        java.lang.reflect.Method head = StoredResponder.class.getDeclaredMethod("head", HttpServerExchange.class,
                CacheRequest.class, CacheStore.StoredResponse.class, ResponseHead.class, String.class);
        head.setAccessible(true);
        CacheHeaders withAge = stored.entry().headers().with("Age", Long.toString(age));
        java.lang.reflect.Method storedHead = StoredResponder.class.getDeclaredMethod("storedHead",
                CacheStore.StoredResponse.class, CacheHeaders.class);
        storedHead.setAccessible(true);
        head.invoke(responder, exchange, request, stored, storedHead.invoke(responder, stored, withAge), null);
        return fields(exchange.getResponseHeaders());
    }

    @Test
    void aMemoryHitSendsTheSameFieldsAsAHeadMadeForTheResponse() throws Exception {
        StoredResponder responder = new StoredResponder(new Via("gatehouse"), true);
        CacheStore.StoredResponse stored = put(stored("Via", "1.1 upstream", "Via", "1.0 older"));

        Map<String, List<String>> hit = memoryHit(responder, GET, stored, 42);

        assertEquals(perResponse(responder, GET, stored, 42), hit);
        assertEquals(List.of("42"), hit.get("age"), "this hit's age replaces the stored Age (RFC 9111 §5.1)");
        assertEquals(List.of("1.1 upstream, 1.0 older, 1.1 gatehouse"), hit.get("via"), "the origin's Via is kept (RFC 9110 §7.6.3)");
        assertEquals(List.of("a", "b"), hit.get("x-origin"), "repeated fields keep their lines and order");
        assertEquals(List.of("5"), hit.get("content-length"));
        assertEquals(List.of("HIT from gatehouse"), hit.get("x-cache"));
    }

    @Test
    void theAgeChangesFromHitToHitWhileTheRestIsPreparedOnce() {
        StoredResponder responder = new StoredResponder(new Via("gatehouse"), true);
        CacheStore.StoredResponse stored = put(stored());

        Map<String, List<String>> first = memoryHit(responder, GET, stored, 1);
        Map<String, List<String>> second = memoryHit(responder, store.open(KEY).orElseThrow(), 2);

        assertEquals(List.of("1"), first.get("age"));
        assertEquals(List.of("2"), second.get("age"));
        first.remove("age");
        second.remove("age");
        assertEquals(first, second);
    }

    private Map<String, List<String>> memoryHit(StoredResponder responder, CacheStore.StoredResponse stored, long age) {
        return memoryHit(responder, GET, stored, age);
    }

    @Test
    void aStoredResponseUpdatedByA304IsSentWithItsNewFields() {
        StoredResponder responder = new StoredResponder(new Via("gatehouse"), true);
        CacheStore.StoredResponse before = put(stored("X-Version", "1"));
        assertEquals(List.of("1"), memoryHit(responder, before, 0).get("x-version"));

        store.update(KEY, before.entry(), before.entry().updated(stored("X-Version", "2", "Via", "1.1 revalidated-by"), 3000, 4000));
        Map<String, List<String>> after = memoryHit(responder, store.open(KEY).orElseThrow(), 0);

        assertEquals(List.of("2"), after.get("x-version"), "not the head prepared before the 304");
        assertEquals(List.of("1.1 revalidated-by, 1.1 gatehouse"), after.get("via"));
    }

    @Test
    void withoutXCacheAHitCarriesNone() {
        StoredResponder responder = new StoredResponder(new Via("gatehouse"), false);
        Map<String, List<String>> hit = memoryHit(responder, put(stored()), 5);

        assertNull(hit.get("x-cache"));
        assertEquals(List.of("1.1 gatehouse"), hit.get("via"));
        assertEquals(List.of("5"), hit.get("age"));
    }

    @Test
    void aRangeOrHeadFromMemoryGetsItsOwnFramingOnTheSharedHead() {
        StoredResponder responder = new StoredResponder(new Via("gatehouse"), true);
        CacheStore.StoredResponse stored = put(stored());
        memoryHit(responder, stored, 0); // prepares the head with the whole body's length

        Map<String, List<String>> range = memoryHit(responder,
                CacheRequest.of("GET", URI, CacheHeaders.of("Range", "bytes=1-2")), stored, 0);
        assertEquals(List.of("bytes 1-2/5"), range.get("content-range"));
        assertEquals(List.of("2"), range.get("content-length"));

        HttpServerExchange head = new HttpServerExchange(null);
        assertNull(responder.memoryHead(head, CacheRequest.of("HEAD", URI, CacheHeaders.empty()), stored, 0), "no body for HEAD");
        assertEquals("5", head.getResponseHeaders().getFirst(HttpString.tryFromString("Content-Length")));
        assertNotNull(head.getResponseHeaders().getFirst(HttpString.tryFromString("ETag")));
    }

    /**
     * RFC 9111 §3.1: a cache stores and sends every field but the hop-by-hop ones, so an origin's Content-Range on a
     * 200 stays on the whole response (cache-tests headers-store-Content-Range); a range gets only its own.
     */
    @Test
    void aStoredContentRangeGoesOutWithTheWholeResponseAndARangeGetsItsOwn() throws Exception {
        StoredResponder responder = new StoredResponder(new Via("gatehouse"), true);
        CacheStore.StoredResponse stored = put(stored("Content-Range", "origin-value"));

        assertEquals(List.of("origin-value"), memoryHit(responder, stored, 0).get("content-range"));
        assertEquals(List.of("origin-value"), perResponse(responder, GET, stored, 0).get("content-range"));
        CacheRequest range = CacheRequest.of("GET", URI, CacheHeaders.of("Range", "bytes=1-2"));
        assertEquals(List.of("bytes 1-2/5"), memoryHit(responder, range, stored, 0).get("content-range"));
        assertEquals(List.of("bytes 1-2/5"), perResponse(responder, range, stored, 0).get("content-range"));
    }
}
