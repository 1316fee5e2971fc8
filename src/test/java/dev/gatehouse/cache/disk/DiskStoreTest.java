package dev.gatehouse.cache.disk;

import static dev.gatehouse.cache.StoreFixtures.body;
import static dev.gatehouse.cache.StoreFixtures.entry;
import static dev.gatehouse.cache.StoreFixtures.put;
import static dev.gatehouse.cache.StoreFixtures.read;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.gatehouse.cache.CacheEntry;
import dev.gatehouse.cache.CacheHeaders;
import dev.gatehouse.cache.CacheKey;
import dev.gatehouse.cache.CacheStore;

class DiskStoreTest {
    private static final CacheKey KEY = CacheKey.of("http://example.com/a");
    private static final long MIB = 1 << 20;

    @TempDir
    Path root;

    private DiskStore open(long maxBytes) throws IOException {
        return DiskStore.open(root, maxBytes, MIB, 0, Runnable::run);
    }

    @Test
    void storesAndServesABodyByStreamAndByChannel() throws IOException {
        DiskStore store = open(10 * MIB);
        byte[] body = body(100_000, 1);
        assertTrue(put(store, KEY, entry("one"), body));
        assertArrayEquals(body, read(store, KEY));
        try (CacheStore.StoredResponse response = store.open(KEY).orElseThrow()) {
            assertFalse(response.fromMemory());
            assertEquals(entry("one"), response.entry());
            FileChannel channel = response.bodyChannel().orElseThrow();
            ByteArrayOutputStream sent = new ByteArrayOutputStream();
            long transferred = 0;
            while (transferred < response.bodyLength()) {
                transferred += channel.transferTo(transferred, response.bodyLength() - transferred, Channels.newChannel(sent));
            }
            assertArrayEquals(body, sent.toByteArray());
        }
        assertEquals(1, store.count());
    }

    @Test
    void storesAnEmptyBody() throws IOException {
        DiskStore store = open(10 * MIB);
        assertTrue(put(store, KEY, entry("empty"), new byte[0]));
        assertArrayEquals(new byte[0], read(store, KEY));
    }

    @Test
    void survivesARestart() throws IOException {
        try (DiskStore store = open(10 * MIB)) {
            for (int i = 0; i < 5; i++) {
                put(store, CacheKey.of("http://example.com/" + i), entry("n" + i), body(3000 + i, i));
            }
        }
        try (DiskStore store = open(10 * MIB)) {
            assertEquals(5, store.count());
            for (int i = 0; i < 5; i++) {
                CacheKey key = CacheKey.of("http://example.com/" + i);
                assertArrayEquals(body(3000 + i, i), read(store, key));
                try (CacheStore.StoredResponse response = store.open(key).orElseThrow()) {
                    assertEquals(entry("n" + i), response.entry());
                }
            }
        }
    }

    @Test
    void itsSizeIsSettledWhenOpenReturns() throws IOException {
        try (DiskStore store = open(10 * MIB)) {
            put(store, KEY, entry("one"), body(10_000, 1));
        }
        // Maintenance handed to an executor that never runs it: what open() reports must not wait for it.
        try (DiskStore store = DiskStore.open(root, 10 * MIB, MIB, 0, task -> {})) {
            assertEquals(1, store.count());
            assertEquals((12 + 4) * 1024, store.sizeBytes(), "a 10,000-byte body in 4 KiB blocks plus one metadata block");
        }
    }

    @Test
    void aNewResponseReplacesTheOldAndItsFiles() throws IOException {
        try (DiskStore store = open(10 * MIB)) {
            put(store, KEY, entry("old"), body(2000, 1));
            put(store, KEY, entry("new"), body(3000, 2));
            store.cleanUp();
            assertArrayEquals(body(3000, 2), read(store, KEY));
            assertEquals(1, entryFiles(".body").size(), "the old generation's files are deleted");
        }
        try (DiskStore store = open(10 * MIB)) {
            assertArrayEquals(body(3000, 2), read(store, KEY));
            put(store, KEY, entry("newer"), body(10, 3));
        }
        try (DiskStore store = open(10 * MIB)) {
            assertArrayEquals(body(10, 3), read(store, KEY), "generations keep growing across restarts");
        }
    }

    @Test
    void updatedMetadataSurvivesARestart() throws IOException {
        try (DiskStore store = open(10 * MIB)) {
            put(store, KEY, entry("before"), body(2000, 1));
            assertTrue(store.update(KEY, entry("before"), entry("after")));
            assertFalse(store.update(CacheKey.of("http://example.com/none"), entry("before"), entry("x")));
        }
        try (DiskStore store = open(10 * MIB); CacheStore.StoredResponse response = store.open(KEY).orElseThrow()) {
            assertEquals(entry("after"), response.entry());
            assertArrayEquals(body(2000, 1), response.body().readAllBytes());
        }
    }

    @Test
    void staysWithinItsByteBoundAndDeletesEvictedFiles() throws IOException {
        // 16 KiB bodies weigh 16 KiB + one 4 KiB metadata block: at most 10 fit in 200 KiB.
        try (DiskStore store = open(200 * 1024)) {
            for (int i = 0; i < 25; i++) {
                assertTrue(put(store, CacheKey.of("http://example.com/" + i), entry("x"), body(16 * 1024, i)));
            }
            store.cleanUp();
            assertTrue(store.sizeBytes() <= 200 * 1024, "size " + store.sizeBytes());
            assertTrue(store.count() <= 10 && store.count() >= 5, "count " + store.count());
            assertEquals(store.count(), entryFiles(".body").size());
            assertEquals(store.count(), entryFiles(".meta").size());
        }
        try (DiskStore smaller = open(60 * 1024)) {
            smaller.cleanUp();
            assertTrue(smaller.count() <= 3, "a smaller bound at start evicts down to it: " + smaller.count());
            assertEquals(smaller.count(), entryFiles(".body").size());
        }
    }

    @Test
    void declinesObjectsOverTheMaximumSizeAndKeepsThePreviousOne() throws IOException {
        DiskStore store = DiskStore.open(root, 10 * MIB, 10_000, 0, Runnable::run);
        assertTrue(put(store, KEY, entry("small"), body(5000, 1)));
        assertTrue(store.writer(KEY, entry("big"), 20_000).isEmpty());
        assertFalse(put(store, KEY, entry("big"), body(20_000, 2)));
        assertArrayEquals(body(5000, 1), read(store, KEY));
        assertEquals(List.of(), tempFiles());
    }

    @Test
    void anAbortedWriteLeavesNothingBehind() throws IOException {
        DiskStore store = open(10 * MIB);
        try (CacheStore.Writer writer = store.writer(KEY, entry("x"), -1).orElseThrow()) {
            writer.body().write(body(5000, 1)); // the origin dies here; close() aborts
        }
        assertNull(read(store, KEY));
        assertEquals(List.of(), tempFiles());
        assertEquals(List.of(), entryFiles(".body"));
    }

    @Test
    void stopsStoringWhenTheDiskIsFull() throws IOException {
        DiskStore store = DiskStore.open(root, 10 * MIB, MIB, Long.MAX_VALUE / 2, Runnable::run);
        assertTrue(store.writer(KEY, entry("x"), -1).isEmpty());
        assertFalse(put(store, KEY, entry("x"), body(10, 1)));
    }

    @Test
    void removeDeletesTheFiles() throws IOException {
        DiskStore store = open(10 * MIB);
        put(store, KEY, entry("x"), body(10, 1));
        store.remove(KEY);
        store.cleanUp();
        assertNull(read(store, KEY));
        assertEquals(List.of(), entryFiles(".meta"));
    }

    @Test
    void aRemovedEntryStaysRemovedAfterARestartThatCutItsDeletionsShort() throws IOException {
        // Deletions handed to an executor that never runs them, and no close: the process dies with them queued.
        DiskStore crashed = DiskStore.open(root, 10 * MIB, MIB, 0, task -> { });
        put(crashed, KEY, entry("x"), body(100, 1));
        crashed.remove(KEY); // an invalidation (RFC 9111 §4.4) or a purge
        try (DiskStore store = open(10 * MIB)) {
            assertNull(read(store, KEY), "an invalidated response came back");
            assertEquals(0, store.count());
        }
    }

    @Test
    void tornWritesLeftInTmpAreNeverServed() throws IOException {
        DiskStore crashed = open(10 * MIB); // not closed: the next start scans
        put(crashed, KEY, entry("x"), body(100, 1));
        Files.write(root.resolve("tmp").resolve("99.body.tmp"), body(50, 2));
        Path orphan = entryFiles(".body").getFirst().resolveSibling("0".repeat(64) + "-7.body");
        Files.write(orphan, body(10, 3));
        try (DiskStore store = open(10 * MIB)) {
            assertEquals(List.of(), tempFiles());
            assertFalse(Files.exists(orphan), "a body without metadata is deleted");
            assertArrayEquals(body(100, 1), read(store, KEY));
        }
    }

    @Test
    void aBodyTruncatedAfterCommitIsAMissAndDropped() throws IOException {
        DiskStore store = open(10 * MIB);
        put(store, KEY, entry("x"), body(10_000, 1));
        DiskStoreCorruptionTest.truncate(only(".body"), 5000);
        assertNull(read(store, KEY));
        store.cleanUp();
        assertEquals(0, store.count());
        assertEquals(List.of(), entryFiles(".meta"));
    }

    @ParameterizedTest
    @ValueSource(strings = {".body", ".meta"})
    void anEntryMissingAFileWhileRunningIsAMissAndLeavesTheIndex(String lost) throws IOException {
        DiskStore store = open(10 * MIB);
        put(store, KEY, entry("x"), body(10_000, 1));
        Files.delete(only(lost));
        assertNull(read(store, KEY));
        store.cleanUp();
        assertEquals(0, store.count(), "an entry whose files are gone is not counted");
        assertEquals(0, store.sizeBytes());
        assertEquals(List.of(), Stream.concat(entryFiles(".body").stream(), entryFiles(".meta").stream()).toList(),
                "its other file is deleted with it");
    }

    @Test
    void aReaderFinishesTheBodyItOpenedWhenTheEntryIsRemovedAndReplaced() throws IOException {
        DiskStore store = open(10 * MIB);
        put(store, KEY, entry("old"), body(200_000, 1));
        try (CacheStore.StoredResponse response = store.open(KEY).orElseThrow(); InputStream in = response.body()) {
            byte[] first = in.readNBytes(1000);
            store.remove(KEY);
            put(store, KEY, entry("new"), body(200_000, 2));
            store.cleanUp();
            byte[] rest = in.readAllBytes();
            byte[] all = new byte[first.length + rest.length];
            System.arraycopy(first, 0, all, 0, first.length);
            System.arraycopy(rest, 0, all, first.length, rest.length);
            assertArrayEquals(body(200_000, 1), all);
        }
        assertArrayEquals(body(200_000, 2), read(store, KEY));
    }

    @Test
    void racingWritersForOneKeyLastCommitWins() throws IOException {
        try (DiskStore store = open(10 * MIB)) {
            CacheStore.Writer first = store.writer(KEY, entry("first"), -1).orElseThrow();
            CacheStore.Writer second = store.writer(KEY, entry("second"), -1).orElseThrow();
            first.body().write(body(5000, 1));
            second.body().write(body(7000, 2));
            assertTrue(second.commit());
            assertTrue(first.commit());
            store.cleanUp();
            assertArrayEquals(body(5000, 1), read(store, KEY));
            try (CacheStore.StoredResponse response = store.open(KEY).orElseThrow()) {
                assertEquals(entry("first"), response.entry());
            }
            assertEquals(1, entryFiles(".body").size());
        }
        try (DiskStore store = open(10 * MIB); CacheStore.StoredResponse response = store.open(KEY).orElseThrow()) {
            assertEquals(entry("first"), response.entry());
            assertArrayEquals(body(5000, 1), response.body().readAllBytes());
        }
    }

    @Test
    void theByteBoundHoldsAfterARestart() throws IOException {
        try (DiskStore store = open(200 * 1024)) {
            for (int i = 0; i < 10; i++) {
                put(store, CacheKey.of("http://example.com/" + i), entry("x"), body(16 * 1024, i));
            }
        }
        try (DiskStore store = open(200 * 1024)) {
            long before = store.sizeBytes();
            assertTrue(before > 0 && before <= 200 * 1024, "rebuilt size " + before);
            for (int i = 10; i < 30; i++) {
                put(store, CacheKey.of("http://example.com/" + i), entry("x"), body(16 * 1024, i));
            }
            store.cleanUp();
            assertTrue(store.sizeBytes() <= 200 * 1024, "size " + store.sizeBytes());
            assertEquals(store.count(), entryFiles(".body").size());
            assertEquals(store.count(), entryFiles(".meta").size());
        }
    }

    /** RFC 9111 §4.3.4: a 304 for the response validated must not relabel another one stored meanwhile. */
    @Test
    void anUpdateForAResponseReplacedMeanwhileChangesNothing() throws IOException {
        try (DiskStore store = open(10 * MIB)) {
            put(store, KEY, entry("one"), body(100, 1)); // validated ...
            put(store, KEY, entry("two"), body(100, 2)); // ... while another request stored a new response
            assertFalse(store.update(KEY, entry("one"), entry("one, refreshed")));
        }
        try (DiskStore store = open(10 * MIB); CacheStore.StoredResponse response = store.open(KEY).orElseThrow()) {
            assertEquals(entry("two"), response.entry());
            assertArrayEquals(body(100, 2), read(store, KEY));
        }
    }

    @Test
    void anUpdateDoesNotResurrectARemovedEntry() throws IOException {
        DiskStore store = open(10 * MIB);
        put(store, KEY, entry("x"), body(100, 1));
        store.remove(KEY);
        store.cleanUp();
        assertFalse(store.update(KEY, entry("x"), entry("y")));
        assertEquals(List.of(), entryFiles(".meta"));
    }

    @Test
    void aReplacedResponseStaysReplacedAfterARestartThatCutItsDeletionsShort() throws IOException {
        // Deletions handed to an executor that never runs them, and no close: the process dies with them queued.
        DiskStore crashed = DiskStore.open(root, 10 * MIB, MIB, 0, task -> { });
        put(crashed, KEY, entry("old"), body(2000, 1));
        put(crashed, KEY, entry("new"), body(3000, 2));
        assertEquals(2, entryFiles(".meta").size(), "both generations are on disk");
        try (DiskStore store = open(10 * MIB); CacheStore.StoredResponse response = store.open(KEY).orElseThrow()) {
            assertEquals(entry("new"), response.entry());
            assertArrayEquals(body(3000, 2), response.body().readAllBytes());
            assertEquals(1, store.count());
            assertEquals(1, entryFiles(".meta").size(), "the older generation is deleted at start");
            assertEquals(1, entryFiles(".body").size());
        }
    }

    @Test
    void racingWritersForOneKeyLastCommitWinsAfterARestartThatCutItsDeletionsShort() throws IOException {
        DiskStore crashed = DiskStore.open(root, 10 * MIB, MIB, 0, task -> { }); // never closed, deletions never run
        CacheStore.Writer first = crashed.writer(KEY, entry("first"), -1).orElseThrow();
        CacheStore.Writer second = crashed.writer(KEY, entry("second"), -1).orElseThrow();
        first.body().write(body(5000, 1));
        second.body().write(body(7000, 2));
        assertTrue(second.commit());
        assertTrue(first.commit()); // the last commit, but the writer opened first
        try (CacheStore.StoredResponse response = crashed.open(KEY).orElseThrow()) {
            assertEquals(entry("first"), response.entry());
        }
        try (DiskStore store = open(10 * MIB); CacheStore.StoredResponse response = store.open(KEY).orElseThrow()) {
            assertEquals(entry("first"), response.entry(), "the restart brought back the response the last commit replaced");
            assertArrayEquals(body(5000, 1), response.body().readAllBytes());
            assertEquals(1, entryFiles(".body").size());
        }
    }

    @Test
    void anUpdateReweighsTheEntry() throws IOException {
        CacheEntry larger = new CacheEntry(200, CacheHeaders.of("Cache-Control", "max-age=60", "X-Large", "x".repeat(10_000)), 1000, 2000, "");
        try (DiskStore store = open(10 * MIB)) {
            put(store, KEY, entry("small"), body(2000, 1));
            assertEquals((4 + 4) * 1024, store.sizeBytes(), "one body block, one metadata block");
            assertTrue(store.update(KEY, entry("small"), larger)); // a 304 that brought a large field (RFC 9111 §4.3.4)
            store.cleanUp();
            assertEquals((4 + 12) * 1024, store.sizeBytes(), "the metadata now takes three blocks");
            assertEquals(1, entryFiles(".meta").size());
        }
        try (DiskStore store = open(10 * MIB); CacheStore.StoredResponse response = store.open(KEY).orElseThrow()) {
            assertEquals(larger, response.entry());
            assertEquals((4 + 12) * 1024, store.sizeBytes(), "the same weight after a restart");
        }
    }

    @Test
    void anUpdateRacingARemovalLeavesNoMetadataBehind() throws Exception {
        try (DiskStore store = open(10 * MIB)) {
            for (int i = 0; i < 300; i++) {
                CacheKey key = CacheKey.of("http://example.com/race/" + i);
                put(store, key, entry("x"), body(100, i));
                CyclicBarrier start = new CyclicBarrier(2);
                Thread updater = Thread.ofPlatform().start(() -> {
                    await(start);
                    store.update(key, entry("x"), entry("y")); // a 304 arrives ...
                });
                await(start);
                store.remove(key); // ... as a purge drops the entry
                updater.join();
            }
            store.cleanUp();
            assertEquals(0, store.count());
            assertEquals(List.of(), entryFiles(".meta"), "an update wrote metadata for an entry already removed");
        }
    }

    @Test
    void bodiesBeingWrittenCountAgainstTheBound() throws IOException {
        // 16 KiB bodies weigh 20 KiB with their metadata: ten fill the 200 KiB bound.
        try (DiskStore store = open(200 * 1024)) {
            for (int i = 0; i < 10; i++) {
                assertTrue(put(store, CacheKey.of("http://example.com/" + i), entry("x"), body(16 * 1024, i)));
            }
            List<CacheStore.Writer> writers = new ArrayList<>();
            for (int i = 0; i < 10; i++) { // ten large downloads at once
                CacheStore.Writer writer = store.writer(CacheKey.of("http://example.com/big/" + i), entry("big"), -1).orElseThrow();
                writer.body().write(body(64 * 1024, 100 + i));
                writers.add(writer);
            }
            store.cleanUp();
            assertTrue(bytesOnDisk() <= 200 * 1024, "files being written took the store to " + bytesOnDisk() + " bytes");
            assertTrue(writers.stream().anyMatch(CacheStore.Writer::storing), "some downloads are still stored");
            writers.forEach(CacheStore.Writer::commit);
            store.cleanUp();
            assertTrue(store.sizeBytes() <= 200 * 1024, "size " + store.sizeBytes());
            assertTrue(bytesOnDisk() <= 200 * 1024, "on disk " + bytesOnDisk());
            assertEquals(store.count(), entryFiles(".body").size());
            assertEquals(List.of(), tempFiles());
        }
    }

    /** What every file under the store takes, in whole 4 KiB blocks, as the bound counts it. */
    private long bytesOnDisk() throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return (Files.size(p) + 4095) / 4096 * 4096;
                } catch (IOException e) {
                    return 0; // deleted meanwhile
                }
            }).sum();
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (InterruptedException | BrokenBarrierException e) {
            throw new IllegalStateException(e);
        }
    }

    private Path only(String suffix) throws IOException {
        List<Path> found = entryFiles(suffix);
        assertEquals(1, found.size());
        return found.getFirst();
    }

    List<Path> entryFiles(String suffix) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(suffix)).toList();
        }
    }

    private List<Path> tempFiles() throws IOException {
        try (Stream<Path> files = Files.list(root.resolve("tmp"))) {
            return files.toList();
        }
    }
}
