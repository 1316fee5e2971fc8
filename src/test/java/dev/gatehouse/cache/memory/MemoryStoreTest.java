package dev.gatehouse.cache.memory;

import static dev.gatehouse.cache.StoreFixtures.body;
import static dev.gatehouse.cache.StoreFixtures.entry;
import static dev.gatehouse.cache.StoreFixtures.put;
import static dev.gatehouse.cache.StoreFixtures.read;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import dev.gatehouse.cache.CacheKey;
import dev.gatehouse.cache.CacheStore;

class MemoryStoreTest {
    private static final CacheKey KEY = CacheKey.of("http://example.com/a");

    @Test
    void storesAndServesABodyWithoutCopying() {
        MemoryStore store = new MemoryStore(1 << 20, 64 * 1024);
        byte[] body = body(5000, 1);
        assertTrue(put(store, KEY, entry("one"), body));
        assertArrayEquals(body, read(store, KEY));
        try (CacheStore.StoredResponse response = store.open(KEY).orElseThrow()) {
            assertTrue(response.fromMemory());
            assertEquals(5000, response.bodyLength());
            assertEquals("one", response.entry().headers().first("X-Marker"));
            ByteBuffer buffer = response.bodyBuffer().orElseThrow();
            assertTrue(buffer.isReadOnly());
            assertThrows(ReadOnlyBufferException.class, () -> buffer.put(0, (byte) 1));
        }
    }

    @Test
    void aBodyOfKnownLengthIsWrittenStraightIntoAnExactlySizedBuffer() {
        int length = 1 << 20;
        MemoryStore store = new MemoryStore(8 << 20, 2 << 20);
        byte[] body = body(length, 3);
        assertTrue(put(store, CacheKey.of("http://example.com/warm-up"), entry("w"), body, length)); // loads the classes first
        long before = allocatedBytes();
        assertTrue(put(store, KEY, entry("one"), body, length));
        long allocated = allocatedBytes() - before;
        try (CacheStore.StoredResponse response = store.open(KEY).orElseThrow()) {
            ByteBuffer held = response.bodyBuffer().orElseThrow();
            assertEquals(length, held.capacity(), "exactly sized");
            // The body's one copy is the held buffer: off the heap, or on it only when direct memory ran short.
            long heldOnHeap = held.isDirect() ? 0 : length;
            assertTrue(allocated < heldOnHeap + length / 4, "allocated " + allocated + " bytes on the heap for a "
                    + length + "-byte body held " + (held.isDirect() ? "off" : "on") + " the heap");
        }
        assertArrayEquals(body, read(store, KEY));
    }

    @Test
    void aBodyOfUnknownLengthIsHeldInAnExactlySizedBuffer() {
        MemoryStore store = new MemoryStore(1 << 20, 512 * 1024);
        for (int length : new int[] {0, 1, 65_536, 200_001}) { // within and past the gathering array's first size
            byte[] body = body(length, length);
            assertTrue(put(store, KEY, entry("one"), body, -1), "length " + length);
            try (CacheStore.StoredResponse response = store.open(KEY).orElseThrow()) {
                assertEquals(length, response.bodyLength());
                assertEquals(length, response.bodyBuffer().orElseThrow().capacity(), "exactly sized, length " + length);
            }
            assertArrayEquals(body, read(store, KEY), "length " + length);
        }
    }

    @Test
    void aBodyThatDoesNotMatchItsAnnouncedLengthIsNotStored() {
        MemoryStore store = new MemoryStore(1 << 20, 64 * 1024);
        byte[] first = body(100, 1);
        assertTrue(put(store, KEY, entry("one"), first, 100));
        assertFalse(put(store, KEY, entry("longer"), body(150, 2), 100), "longer than announced");
        assertFalse(put(store, KEY, entry("shorter"), body(50, 3), 100), "shorter than announced");
        assertArrayEquals(first, read(store, KEY), "the previous entry stays");
    }

    /** Bytes this thread allocated on the heap so far (exact per thread, not a timing). */
    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test
    void anEmptyBodyIsStoredUnderATinyObjectLimit() throws Exception {
        // Known lengths size the buffer exactly; a limit below the old 256-byte floor made that throw.
        for (int limit : new int[] {0, 100}) {
            MemoryStore store = new MemoryStore(1 << 20, limit);
            CacheStore.Writer writer = store.writer(KEY, entry("empty"), 0).orElseThrow();
            assertTrue(writer.commit(), "limit " + limit);
            assertEquals(0, read(store, KEY).length, "limit " + limit);
        }
    }

    @Test
    void staysWithinItsByteBound() {
        MemoryStore store = new MemoryStore(100_000, 64 * 1024);
        for (int i = 0; i < 30; i++) {
            assertTrue(put(store, CacheKey.of("http://example.com/" + i), entry("x"), body(10_000, i)));
        }
        store.open(KEY); // any access runs pending maintenance
        assertTrue(store.sizeBytes() <= 100_000, "size " + store.sizeBytes());
        assertTrue(store.count() < 30);
        assertTrue(store.count() >= 5, "count " + store.count());
    }

    @Test
    void declinesObjectsOverTheMaximumSize() {
        MemoryStore store = new MemoryStore(1 << 20, 4000);
        assertTrue(store.writer(KEY, entry("x"), 5000).isEmpty(), "known length over the maximum");
        assertFalse(put(store, KEY, entry("x"), body(5000, 1)), "unknown length that grows over the maximum");
        assertNull(read(store, KEY));
    }

    @Test
    void abortingKeepsThePreviousEntry() throws java.io.IOException {
        MemoryStore store = new MemoryStore(1 << 20, 64 * 1024);
        byte[] first = body(100, 1);
        put(store, KEY, entry("one"), first);
        try (CacheStore.Writer writer = store.writer(KEY, entry("two"), -1).orElseThrow()) {
            writer.body().write(body(50, 2), 0, 50);
            writer.abort();
            assertFalse(writer.commit(), "a commit after abort stores nothing");
        }
        assertArrayEquals(first, read(store, KEY));
    }

    @Test
    void updatesMetadataAndRemoves() {
        MemoryStore store = new MemoryStore(1 << 20, 64 * 1024);
        byte[] body = body(100, 1);
        put(store, KEY, entry("one"), body);
        assertTrue(store.update(KEY, entry("one"), entry("two")));
        try (CacheStore.StoredResponse response = store.open(KEY).orElseThrow()) {
            assertEquals("two", response.entry().headers().first("X-Marker"));
        }
        assertArrayEquals(body, read(store, KEY));
        store.remove(KEY);
        assertNull(read(store, KEY));
        assertFalse(store.update(KEY, entry("two"), entry("three")));
    }

    /** RFC 9111 §4.3.4: a 304 for the response validated must not relabel another one stored meanwhile. */
    @Test
    void anUpdateForAResponseReplacedMeanwhileChangesNothing() {
        MemoryStore store = new MemoryStore(1 << 20, 64 * 1024);
        put(store, KEY, entry("one"), body(100, 1)); // validated ...
        put(store, KEY, entry("two"), body(100, 2)); // ... while another request stored a new response
        assertFalse(store.update(KEY, entry("one"), entry("one, refreshed")));
        try (CacheStore.StoredResponse response = store.open(KEY).orElseThrow()) {
            assertEquals("two", response.entry().headers().first("X-Marker"));
        }
        assertArrayEquals(body(100, 2), read(store, KEY));
    }

    @Test
    void aDerivedValueIsMadeOncePerStoredResponseAndDroppedWhenItIsUpdatedOrReplaced() {
        MemoryStore store = new MemoryStore(1 << 20, 64 * 1024);
        put(store, KEY, entry("one"), body(100, 1));
        AtomicInteger made = new AtomicInteger();
        Function<CacheStore.StoredResponse, String> marker = stored -> {
            made.incrementAndGet();
            return new String(stored.entry().headers().first("X-Marker"));
        };

        String first = store.open(KEY).orElseThrow().derived(marker);
        assertSame(first, store.open(KEY).orElseThrow().derived(marker), "kept with the stored response");
        assertEquals(1, made.get());

        store.update(KEY, entry("one"), entry("two")); // a 304's merged fields
        assertEquals("two", store.open(KEY).orElseThrow().derived(marker));
        put(store, KEY, entry("three"), body(100, 2));
        assertEquals("three", store.open(KEY).orElseThrow().derived(marker));
        assertEquals(3, made.get());

        Function<CacheStore.StoredResponse, String> other = stored -> "other";
        assertEquals("other", store.open(KEY).orElseThrow().derived(other), "another function gets its own value");
        assertNotSame(first, store.open(KEY).orElseThrow().derived(marker));
    }
}
