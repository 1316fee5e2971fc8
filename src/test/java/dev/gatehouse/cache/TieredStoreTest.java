package dev.gatehouse.cache;

import static dev.gatehouse.cache.StoreFixtures.body;
import static dev.gatehouse.cache.StoreFixtures.entry;
import static dev.gatehouse.cache.StoreFixtures.put;
import static dev.gatehouse.cache.StoreFixtures.read;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.cache.disk.DiskStore;
import dev.gatehouse.cache.memory.MemoryStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The two tiers as one store: never an older response found behind a newer one (RFC 9111 §4, the most recent). */
class TieredStoreTest {
    private static final CacheKey KEY = CacheKey.of("http://example.com/app.js");

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
        MemoryStore memory = new MemoryStore(1 << 20, 1 << 16);
        FillingDisk disk = new FillingDisk(DiskStore.open(root, 1 << 24, 1 << 20, 0, Runnable::run));
        try (TieredStore tiers = new TieredStore(memory, disk, 1 << 16)) {
            assertTrue(put(tiers, KEY, entry("v1"), body(1000, 1), 1000));
            disk.full = true;
            assertTrue(put(tiers, KEY, entry("v2"), body(1000, 2), 1000)); // in memory only

            assertArrayEquals(body(1000, 2), read(tiers, KEY));
            memory.remove(KEY); // evicted from memory, say
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
