package dev.gatehouse.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import dev.gatehouse.cache.memory.MemoryStore;

/** A store still opening serves nothing and stores nothing, and loses no removal asked for meanwhile. */
class PendingStoreTest {
    private static final CacheKey A = CacheKey.of("http://example.com/a");
    private static final CacheKey B = CacheKey.of("http://example.com/b");
    private static final CacheEntry ENTRY = new CacheEntry(200, CacheHeaders.of("Cache-Control", "max-age=60"), 0, 0, "");

    private static void put(CacheStore store, CacheKey key) throws IOException {
        try (CacheStore.Writer writer = store.writer(key, ENTRY, 3).orElseThrow()) {
            writer.body().write(new byte[] {1, 2, 3});
            assertTrue(writer.commit());
        }
    }

    @Test
    void nothingIsServedOrStoredUntilReadyAndRemovalsMeanwhileAreApplied() throws IOException {
        MemoryStore rebuilt = new MemoryStore(1 << 20, 1 << 16);
        put(rebuilt, A);
        put(rebuilt, B);
        CompletableFuture<MemoryStore> opening = new CompletableFuture<>();
        PendingStore pending = new PendingStore(opening);

        assertFalse(pending.isReady());
        assertTrue(pending.open(A).isEmpty());
        assertTrue(pending.writer(A, ENTRY, 3).isEmpty());
        assertFalse(pending.update(A, ENTRY, ENTRY));
        pending.remove(A); // e.g. a POST invalidated it while the index was being rebuilt

        opening.complete(rebuilt);

        assertTrue(pending.isReady());
        assertTrue(pending.open(A).isEmpty(), "the invalidation asked for while opening was applied");
        assertTrue(pending.open(B).isPresent());
        assertEquals(1, pending.count());
    }

    @Test
    void aStoreThatNeverOpensStaysEmpty() {
        CompletableFuture<MemoryStore> opening = new CompletableFuture<>();
        PendingStore pending = new PendingStore(opening);
        opening.completeExceptionally(new IOException("disk gone"));

        assertFalse(pending.isReady());
        assertTrue(pending.open(A).isEmpty());
        pending.remove(A);
        assertEquals(0, pending.sizeBytes());
    }
}
