package dev.gatehouse.cache.disk;

import static dev.gatehouse.cache.StoreFixtures.body;
import static dev.gatehouse.cache.StoreFixtures.entry;
import static dev.gatehouse.cache.StoreFixtures.put;
import static dev.gatehouse.cache.StoreFixtures.read;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;

import dev.gatehouse.cache.CacheKey;
import dev.gatehouse.cache.CacheStore;

/** The index snapshot a clean close writes, and what a start does with it, or without it. */
class DiskStoreSnapshotTest {
    private static final long MIB = 1 << 20;
    private static final List<CacheKey> KEYS = List.of(
            CacheKey.of("http://example.com/a"), CacheKey.of("http://example.com/b"), CacheKey.of("http://example.org/c?d"));
    private static final int[] LENGTHS = {0, 5000, 70_000};

    @TempDir
    Path root;

    @TempDir
    Path scratch;

    private DiskStore open(Executor deletions) throws IOException {
        return DiskStore.open(root, 10 * MIB, MIB, 0, deletions);
    }

    private DiskStore open() throws IOException {
        return open(Runnable::run);
    }

    private Path snapshot() {
        return root.resolve("index.snapshot");
    }

    /** Stores the three entries and closes cleanly; the snapshot is then on disk. */
    private void storeAndClose() throws IOException {
        try (DiskStore store = open()) {
            fill(store);
        }
        assertTrue(Files.exists(snapshot()), "a clean close leaves the snapshot");
    }

    private static void fill(DiskStore store) {
        for (int i = 0; i < KEYS.size(); i++) {
            assertTrue(put(store, KEYS.get(i), entry("e" + i), body(LENGTHS[i], i)));
        }
    }

    private static void assertHoldsTheThree(DiskStore store) {
        assertEquals(KEYS.size(), store.count());
        for (int i = 0; i < KEYS.size(); i++) {
            try (CacheStore.StoredResponse response = store.open(KEYS.get(i)).orElseThrow()) {
                assertEquals(entry("e" + i), response.entry());
                assertArrayEquals(body(LENGTHS[i], i), response.body().readAllBytes());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void aCleanRestartLoadsTheSameEntriesFromTheSnapshotAndDeletesIt() throws IOException {
        long sizeBytes;
        try (DiskStore store = open()) {
            fill(store);
            sizeBytes = store.sizeBytes();
        }
        try (DiskStore store = open()) {
            assertTrue(store.indexFromSnapshot());
            assertFalse(Files.exists(snapshot()), "the snapshot is deleted before the store is used");
            assertEquals(sizeBytes, store.sizeBytes(), "the same weights");
            assertHoldsTheThree(store);
        }
    }

    @Test
    void generationsKeepGrowingAcrossASnapshotRestart() throws IOException {
        storeAndClose();
        // Deletions never run and no close: the replaced generation stays on disk for the scan to choose from.
        DiskStore crashed = open(task -> { });
        assertTrue(crashed.indexFromSnapshot());
        assertTrue(put(crashed, KEYS.get(1), entry("newer"), body(300, 9)));

        try (DiskStore store = open()) {
            assertFalse(store.indexFromSnapshot());
            try (CacheStore.StoredResponse response = store.open(KEYS.get(1)).orElseThrow()) {
                assertEquals(entry("newer"), response.entry(), "a commit after the restart is the newest generation");
                assertArrayEquals(body(300, 9), response.body().readAllBytes());
            }
        }
    }

    @Test
    void aCrashAfterASnapshotStartMeansAScanThatFindsEverything() throws IOException {
        storeAndClose();
        DiskStore crashed = open();
        CacheKey later = CacheKey.of("http://example.com/later");
        assertTrue(put(crashed, later, entry("later"), body(100, 7)));
        // no close: the process dies; the snapshot it loaded must not come back

        try (DiskStore store = open()) {
            assertFalse(store.indexFromSnapshot());
            assertArrayEquals(body(100, 7), read(store, later), "the scan found what the dead process stored");
            assertEquals(KEYS.size() + 1, store.count());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"empty", "truncated by one byte", "truncated to half", "flipped bit", "version 2", "garbage"})
    void aDamagedSnapshotMeansAScanWithTheSameResult(String damage) throws IOException {
        storeAndClose();
        byte[] bytes = Files.readAllBytes(snapshot());
        byte[] damaged = switch (damage) {
            case "empty" -> new byte[0];
            case "truncated by one byte" -> Arrays.copyOf(bytes, bytes.length - 1);
            case "truncated to half" -> Arrays.copyOf(bytes, bytes.length / 2);
            case "flipped bit" -> {
                bytes[bytes.length / 2] ^= 0x10;
                yield bytes;
            }
            case "version 2" -> withCrc(ByteBuffer.wrap(bytes).putInt(4, 2).array()); // well-formed, of another version
            default -> body(bytes.length, 3);
        };
        Files.write(snapshot(), damaged);

        List<ILoggingEvent> logs = DiskStoreStartTest.logs(IndexSnapshot.class, () -> {
            try (DiskStore store = open()) {
                assertFalse(store.indexFromSnapshot(), damage);
                assertFalse(Files.exists(snapshot()));
                assertHoldsTheThree(store);
            }
        });
        assertEquals(1, logs.size(), "one line: " + logs);
        assertEquals(Level.INFO, logs.getFirst().getLevel());
        assertTrue(logs.getFirst().getFormattedMessage().contains("scanning"), logs.getFirst().getFormattedMessage());
        if (damage.equals("version 2")) {
            assertTrue(logs.getFirst().getFormattedMessage().contains("version 2"), logs.getFirst().getFormattedMessage());
        }
    }

    @Test
    void aRemovedEntryIsNotInTheSnapshot() throws IOException {
        try (DiskStore store = open()) {
            fill(store);
            store.remove(KEYS.get(0)); // an invalidation (RFC 9111 §4.4) or a purge
        }
        assertEquals(KEYS.size() - 1, snapshotCount());
        try (DiskStore store = open()) {
            assertTrue(store.indexFromSnapshot());
            assertNull(read(store, KEYS.get(0)));
            assertEquals(KEYS.size() - 1, store.count());
        }
    }

    @Test
    void evictedAndReplacedEntriesWhoseDeletionIsQueuedLeaveNoFilesBehindAClose() throws IOException {
        List<Runnable> queued = new ArrayList<>();
        List<CacheKey> keys = new ArrayList<>();
        // 16 KiB bodies weigh 20 KiB: at most 10 fit in 200 KiB. The deletion executor never runs anything itself.
        try (DiskStore store = DiskStore.open(root, 200 * 1024, MIB, 0, queued::add)) {
            for (int i = 0; i < 25; i++) {
                keys.add(CacheKey.of("http://example.com/" + i));
                assertTrue(put(store, keys.getLast(), entry("x"), body(16 * 1024, i)));
            }
            assertTrue(put(store, keys.getLast(), entry("replaced"), body(16 * 1024, 99)));
            store.cleanUp();
        }
        try (DiskStore store = open()) {
            assertTrue(store.indexFromSnapshot());
            assertTrue(store.count() <= 10, "count " + store.count());
            assertEquals(store.count(), entryFiles(".meta").size(), "no files the snapshot does not name");
            assertEquals(store.count(), entryFiles(".body").size());
            assertArrayEquals(body(16 * 1024, 99), read(store, keys.getLast()));
        }
    }

    @Test
    void aCommitAfterCloseIsRefusedAndLeavesNothing() throws IOException {
        CacheKey late = CacheKey.of("http://example.com/late");
        DiskStore store = open();
        fill(store);
        CacheStore.Writer writer = store.writer(late, entry("late"), -1).orElseThrow();
        writer.body().write(body(4000, 5));
        store.close();
        assertFalse(writer.commit(), "a commit after the snapshot would be missing from it");
        assertTrue(store.writer(late, entry("late"), -1).isEmpty());
        assertFalse(store.update(KEYS.get(1), entry("e1"), entry("updated")));

        try (DiskStore reopened = open()) {
            assertTrue(reopened.indexFromSnapshot());
            assertNull(read(reopened, late));
            assertEquals(KEYS.size(), entryFiles(".meta").size(), "no files of the refused commit");
            assertEquals(KEYS.size(), entryFiles(".body").size());
            assertHoldsTheThree(reopened);
        }
    }

    @Test
    void leftoversInTmpAreDeletedOnASnapshotStartToo() throws IOException {
        storeAndClose();
        Files.write(root.resolve("tmp").resolve("99.body.tmp"), body(50, 2));
        try (DiskStore store = open()) {
            assertTrue(store.indexFromSnapshot());
            try (Stream<Path> files = Files.list(root.resolve("tmp"))) {
                assertEquals(List.of(), files.toList());
            }
        }
    }

    @Test
    void aFileLostWhileStoppedIsAMissDroppedOnFirstRead() throws IOException {
        storeAndClose();
        try (Stream<Path> files = Files.list(root.resolve(DiskStore.hash(KEYS.get(2)).substring(0, 2)))) {
            for (Path file : files.filter(p -> p.getFileName().toString().startsWith(DiskStore.hash(KEYS.get(2)))).toList()) {
                Files.delete(file);
            }
        }
        try (DiskStore store = open()) {
            assertTrue(store.indexFromSnapshot());
            assertNull(read(store, KEYS.get(2)));
            assertEquals(KEYS.size() - 1, store.count());
        }
    }

    @Test
    void entryFilesTheSnapshotDoesNotNameAreDeletedInTheBackgroundAfterTheStart() throws IOException {
        storeAndClose();
        List<Path> planted = new ArrayList<>(plant(CacheKey.of("http://example.com/stray"), 1)); // a generation it knew
        planted.addAll(plant(CacheKey.of("http://example.com/stray-later"), 1000)); // one above its highest
        Queue<Runnable> background = new ConcurrentLinkedQueue<>();
        try (DiskStore store = open(background::add)) {
            assertTrue(store.indexFromSnapshot());
            planted.forEach(file -> assertTrue(Files.exists(file), "the start does not wait for the sweep"));
            runAll(background);
            planted.forEach(file -> assertFalse(Files.exists(file), file + " is left, not counted against the bound"));
            assertHoldsTheThree(store);
            assertEquals(KEYS.size(), entryFiles(".meta").size());
            assertEquals(KEYS.size(), entryFiles(".body").size());
        }
    }

    @Test
    void theSweepKeepsWhatIsCommittedWhileItRuns() throws Exception {
        storeAndClose();
        Queue<Runnable> background = new ConcurrentLinkedQueue<>();
        List<CacheKey> committed = new ArrayList<>();
        try (DiskStore store = open(background::add)) {
            CacheKey before = CacheKey.of("http://example.com/before-the-sweep");
            assertTrue(put(store, before, entry("before"), body(3000, 4)));
            committed.add(before);
            CompletableFuture<Void> commits = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 300; i++) {
                    CacheKey key = CacheKey.of("http://example.com/during/" + i);
                    assertTrue(put(store, key, entry("during"), body(100, i)));
                    synchronized (committed) {
                        committed.add(key);
                    }
                }
            });
            while (!commits.isDone() && committed(committed) < 100) {
                Thread.onSpinWait();
            }
            runAll(background); // the sweep, while the commits go on, and the index's upkeep
            commits.join();
            runAll(background);
            for (CacheKey key : committed) {
                assertNotNull(read(store, key), key + " was deleted under the index");
            }
            assertHoldsTheThreeAmong(store, KEYS.size() + committed.size());
        }
    }

    private static int committed(List<CacheKey> committed) {
        synchronized (committed) {
            return committed.size();
        }
    }

    /** Puts the two files of an entry for {@code key}, of {@code generation}, under the root, unknown to any index. */
    private List<Path> plant(CacheKey key, long generation) throws IOException {
        try (DiskStore elsewhere = DiskStore.open(scratch, 10 * MIB, MIB, 0, Runnable::run)) {
            assertTrue(put(elsewhere, key, entry("stray"), body(9000, 8)));
        }
        String hash = DiskStore.hash(key);
        Path shard = Files.createDirectories(root.resolve(hash.substring(0, 2)));
        List<Path> planted = new ArrayList<>();
        try (Stream<Path> files = Files.walk(scratch)) {
            for (Path file : files.filter(p -> p.getFileName().toString().startsWith(hash)).toList()) {
                String suffix = file.toString().substring(file.toString().lastIndexOf('.'));
                planted.add(Files.copy(file, shard.resolve(hash + "-" + generation + suffix)));
            }
        }
        assertEquals(2, planted.size());
        return planted;
    }

    /** Runs what was handed to the deletion executor, and what that hands it, until nothing is left. */
    private static void runAll(Queue<Runnable> background) {
        for (Runnable task = background.poll(); task != null; task = background.poll()) {
            task.run();
        }
    }

    private static void assertHoldsTheThreeAmong(DiskStore store, int count) {
        assertEquals(count, store.count());
        for (int i = 0; i < KEYS.size(); i++) {
            assertArrayEquals(body(LENGTHS[i], i), read(store, KEYS.get(i)));
        }
    }

    /** The bytes with their trailing CRC32C recomputed. */
    private static byte[] withCrc(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        return ByteBuffer.wrap(bytes).putInt(bytes.length - 4, (int) crc.getValue()).array();
    }

    private int snapshotCount() throws IOException {
        return ByteBuffer.wrap(Files.readAllBytes(snapshot())).getInt(16); // after magic, version, max generation
    }

    private List<Path> entryFiles(String suffix) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(suffix)).toList();
        }
    }
}
