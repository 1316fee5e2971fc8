package dev.gatehouse.cache;

import static dev.gatehouse.cache.StoreFixtures.body;
import static dev.gatehouse.cache.StoreFixtures.entry;
import static dev.gatehouse.cache.StoreFixtures.put;
import static dev.gatehouse.cache.StoreFixtures.read;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.cache.disk.DiskStore;
import dev.gatehouse.cache.memory.MemoryStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two tiers as one store: never an older response found behind a newer one (RFC 9111 §4, the most recent). A
 * new response a tier could not take leaves no older copy there; and a durable hit copied into memory does not
 * outlive a change made to the durable copy while it was being made (an invalidated or replaced response would be
 * served from memory again, as after a restart, when every first hit is a durable one): those tests make the change
 * at the worst moment, while the copy reads the body it copies.
 */
class TieredStoreTest {
    private static final CacheKey KEY = CacheKey.of("http://example.com/page");
    private static final byte[] OLD = body(5_000, 1);
    private static final byte[] NEW = body(6_000, 2);

    private final MemoryStore memory = new MemoryStore(1 << 20, 1 << 16);
    /** Runs once, when a body stored in the durable tier is first read. */
    private Runnable whileCopying = () -> { };
    private final CacheStore durable = new ForwardingStore(new MemoryStore(1 << 20, 1 << 16)) {
        @Override
        public Optional<StoredResponse> open(CacheKey key) {
            return super.open(key).map(HookedResponse::new);
        }
    };
    private final TieredStore tiered = new TieredStore(memory, durable, 1 << 16);

    /** A durable-tier response whose body, read, first makes the test's change. */
    private final class HookedResponse implements CacheStore.StoredResponse {
        private final CacheStore.StoredResponse stored;

        HookedResponse(CacheStore.StoredResponse stored) {
            this.stored = stored;
        }

        @Override
        public CacheEntry entry() {
            return stored.entry();
        }

        @Override
        public long bodyLength() {
            return stored.bodyLength();
        }

        @Override
        public InputStream body() {
            Runnable change = whileCopying;
            whileCopying = () -> { };
            change.run();
            return stored.body();
        }

        @Override
        public boolean fromMemory() {
            return false;
        }

        @Override
        public void close() {
            stored.close();
        }
    }

    private void storedOnDiskOnly() {
        assertTrue(put(durable, KEY, entry("old"), OLD, OLD.length));
    }

    @Test
    void aDurableHitIsCopiedIntoMemory() {
        storedOnDiskOnly();

        assertArrayEquals(OLD, read(tiered, KEY));

        assertArrayEquals(OLD, read(memory, KEY), "the next hit is a memory hit");
    }

    @Test
    void aRemovalWhileAHitIsCopiedIntoMemoryIsNotUndone() {
        storedOnDiskOnly();
        whileCopying = () -> tiered.remove(KEY); // an invalidation, a purge

        tiered.open(KEY).ifPresent(CacheStore.StoredResponse::close);

        assertTrue(memory.open(KEY).isEmpty(), "the copy came back after the removal");
        assertTrue(tiered.open(KEY).isEmpty());
    }

    @Test
    void aResponseStoredWhileAnOlderOneIsCopiedIntoMemoryIsWhatLaterHitsGet() {
        storedOnDiskOnly();
        whileCopying = () -> assertTrue(put(tiered, KEY, entry("new"), NEW, NEW.length));

        tiered.open(KEY).ifPresent(CacheStore.StoredResponse::close);

        assertArrayEquals(NEW, read(tiered, KEY), "the older copy replaced the newer one in memory");
    }

    @Test
    void anUpdateWhileAHitIsCopiedIntoMemoryIsNotUndone() {
        storedOnDiskOnly();
        whileCopying = () -> assertTrue(tiered.update(KEY, entry("old"), entry("refreshed"))); // a 304

        tiered.open(KEY).ifPresent(CacheStore.StoredResponse::close);

        try (CacheStore.StoredResponse hit = tiered.open(KEY).orElseThrow()) {
            assertEquals("refreshed", hit.entry().headers().first("X-Marker"));
        }
    }

    /** A disk tier that takes no new bodies while {@code full} is set, as when the disk is (nearly) full. */
    private static final class FillingDisk extends ForwardingStore {
        boolean full;

        FillingDisk(CacheStore disk) {
            super(disk);
        }

        @Override
        public Optional<Writer> writer(CacheKey key, CacheEntry entry, long expectedLength) {
            return full ? Optional.empty() : super.writer(key, entry, expectedLength);
        }
    }

    @Test
    void aNewResponseTheDiskCouldNotTakeLeavesNoOlderCopyThere(@TempDir Path root) throws IOException {
        MemoryStore ram = new MemoryStore(1 << 20, 1 << 16);
        FillingDisk disk = new FillingDisk(DiskStore.open(root, 1 << 24, 1 << 20, 0, Runnable::run));
        try (TieredStore tiers = new TieredStore(ram, disk, 1 << 16)) {
            assertTrue(put(tiers, KEY, entry("v1"), body(1000, 1), 1000));
            disk.full = true;
            assertTrue(put(tiers, KEY, entry("v2"), body(1000, 2), 1000)); // in memory only

            assertArrayEquals(body(1000, 2), read(tiers, KEY));
            ram.remove(KEY); // evicted from memory, say
            assertTrue(read(tiers, KEY) == null, "v1 on disk must not come back in v2's place");
        }
    }

    @Test
    void aNewResponseTooLargeForMemoryLeavesNoOlderCopyThere(@TempDir Path root) throws IOException {
        try (TieredStore tiers = new TieredStore(new MemoryStore(1 << 20, 1 << 16),
                DiskStore.open(root, 1 << 24, 1 << 20, 0, Runnable::run), 1 << 16)) {
            assertTrue(put(tiers, KEY, entry("v1"), body(1000, 1), 1000));
            assertTrue(put(tiers, KEY, entry("v2"), body(100_000, 2), 100_000)); // on disk only

            assertArrayEquals(body(100_000, 2), read(tiers, KEY));
        }
    }
}
