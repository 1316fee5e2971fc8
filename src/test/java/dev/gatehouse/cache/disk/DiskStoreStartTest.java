package dev.gatehouse.cache.disk;

import static dev.gatehouse.cache.StoreFixtures.body;
import static dev.gatehouse.cache.StoreFixtures.entry;
import static dev.gatehouse.cache.StoreFixtures.put;
import static dev.gatehouse.cache.StoreFixtures.read;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import dev.gatehouse.cache.CacheKey;
import dev.gatehouse.cache.PendingStore;

/** What a start finds in the cache directory besides entries, and what happens while the index is rebuilt. */
class DiskStoreStartTest {
    private static final CacheKey KEY = CacheKey.of("http://example.com/a");
    private static final CacheKey OTHER = CacheKey.of("http://example.com/b");
    private static final long MIB = 1 << 20;

    @TempDir
    Path root;

    /** Something done to the store that may throw. */
    interface StoreAction {
        void run() throws IOException;
    }

    /** What the index rebuild logs while {@code action} runs. */
    private static List<ILoggingEvent> rebuildLogs(StoreAction action) throws IOException {
        return logs(IndexRebuild.class, action);
    }

    /** What {@code source}'s logger logs while {@code action} runs. */
    static List<ILoggingEvent> logs(Class<?> source, StoreAction action) throws IOException {
        Logger logger = (Logger) LoggerFactory.getLogger(source);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        logger.addAppender(logs);
        try {
            action.run();
        } finally {
            logger.detachAppender(logs);
        }
        return logs.list;
    }

    private DiskStore open() throws IOException {
        return DiskStore.open(root, 10 * MIB, MIB, 0, Runnable::run);
    }

    private Path shardOf(CacheKey key) {
        return root.resolve(DiskStore.hash(key).substring(0, 2));
    }

    /**
     * {@code stray} is what a stranger left, relative to the store's root: {@code SHARD} stands for the stored entry's
     * shard directory, a trailing slash for a directory with a file in it; {@code ab} is a file named like a shard.
     */
    @ParameterizedTest
    @ValueSource(strings = {"README", "lost+found/", "ab", "tmp/editor-backup/", "SHARD/notes.txt", "SHARD/old/",
            "SHARD/0000000000000000000000000000000000000000000000000000000000000000-5.body/"})
    void strayFilesAreIgnoredAndLoggedOnceNotADisabledTier(String stray) throws IOException {
        DiskStore crashed = open(); // not closed: the next start scans, and finds the stray files
        put(crashed, KEY, entry("x"), body(5000, 1));
        Path path = root.resolve(stray.replace("SHARD", shardOf(KEY).getFileName().toString()));
        if (stray.endsWith("/")) {
            Files.createDirectories(path);
            Files.writeString(path.resolve("inside"), "not the cache's"); // a non-empty directory
        } else {
            Files.writeString(path, "not the cache's");
        }
        List<ILoggingEvent> logs = rebuildLogs(() -> {
            try (DiskStore store = open()) {
                assertArrayEquals(body(5000, 1), read(store, KEY));
                assertTrue(put(store, OTHER, entry("y"), body(10, 2)), "the tier still stores");
            }
        });
        assertTrue(Files.exists(path), "a stranger's file is left alone");
        assertEquals(1, logs.size(), "logged once: " + logs);
        String logged = logs.getFirst().getFormattedMessage();
        assertTrue(logged.contains(path.getFileName().toString()), logged);
    }

    /**
     * A FIFO named like an entry's metadata: opening it for reading waits for a writer that never comes, so a scan that
     * opened it would hang the start. It is not a regular file, so it is dropped unread like any broken entry.
     */
    @Test
    void aFifoNamedLikeMetadataDoesNotHangTheScan() throws Exception {
        DiskStore crashed = open(); // not closed: the next start scans
        put(crashed, KEY, entry("x"), body(5000, 1));
        Path fifo = shardOf(OTHER).resolve(DiskStore.hash(OTHER) + "-7.meta");
        Files.createDirectories(fifo.getParent());
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertEquals(0, mkfifo.waitFor(), "mkfifo");
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try (DiskStore store = open()) {
                assertArrayEquals(body(5000, 1), read(store, KEY));
                assertEquals(1, store.count());
            }
        });
        assertFalse(Files.exists(fifo), "dropped as a broken entry");
    }

    /**
     * {@code broken} is what stands where the shard directory of one stored entry should be. The tests run as root,
     * whom chmod 000 does not stop: a file, or a link to nothing, cannot be listed by anyone, and fails where an
     * unreadable directory does.
     */
    @ParameterizedTest
    @ValueSource(strings = {"a file", "a dangling link", "an unreadable directory"})
    void aShardThatCannotBeListedIsSkippedWithOneWarningAndTheOthersIndexed(String broken) throws IOException {
        DiskStore crashed = open(); // not closed: the next start scans
        put(crashed, KEY, entry("x"), body(5000, 1));
        put(crashed, OTHER, entry("y"), body(6000, 2));
        Path shard = shardOf(OTHER);
        assertNotEquals(shardOf(KEY), shard, "the two entries share a shard");
        switch (broken) {
            case "a file", "a dangling link" -> {
                try (Stream<Path> files = Files.list(shard)) {
                    for (Path file : files.toList()) {
                        Files.delete(file);
                    }
                }
                Files.delete(shard);
                if (broken.equals("a file")) {
                    Files.writeString(shard, "not a directory");
                } else {
                    Files.createSymbolicLink(shard, root.resolve("gone"));
                }
            }
            default -> Files.setPosixFilePermissions(shard, Set.of());
        }
        try {
            assumeFalse(Files.isDirectory(shard) && Files.isReadable(shard), "root reads a directory whatever its mode");
            List<ILoggingEvent> logs = rebuildLogs(() -> {
                try (DiskStore store = open()) {
                    assertArrayEquals(body(5000, 1), read(store, KEY), "the other shards are indexed");
                    assertTrue(read(store, OTHER) == null);
                    assertEquals(1, store.count());
                }
            });
            assertEquals(1, logs.size(), "logged once: " + logs);
            assertEquals(Level.WARN, logs.getFirst().getLevel());
            assertTrue(logs.getFirst().getFormattedMessage().contains(shard.toString()), logs.getFirst().getFormattedMessage());
        } finally {
            if (Files.isDirectory(shard)) {
                Files.setPosixFilePermissions(shard, PosixFilePermissions.fromString("rwx------")); // for the cleanup
            }
        }
    }

    @Test
    void aNormalStartLogsNothing() throws IOException {
        try (DiskStore store = open()) {
            put(store, KEY, entry("x"), body(5000, 1));
        }
        assertEquals(List.of(), rebuildLogs(() -> {
            try (DiskStore store = open()) {
                assertEquals(1, store.count());
            }
        }));
    }

    @Test
    void aRemovalWhileTheIndexIsRebuiltHoldsWhenTheProcessStopsFirst() throws IOException {
        try (DiskStore store = open()) {
            put(store, KEY, entry("x"), body(5000, 1));
            put(store, OTHER, entry("y"), body(6000, 2));
        }
        CompletableFuture<DiskStore> opening = new CompletableFuture<>(); // the rebuild never finishes: stopped first
        PendingStore pending = new PendingStore(opening, key -> DiskStore.removeFiles(root, key));
        pending.remove(KEY); // an invalidation (RFC 9111 §4.4) or a purge
        pending.close();

        try (DiskStore store = open()) {
            assertTrue(read(store, KEY) == null, "an invalidated response came back");
            assertArrayEquals(body(6000, 2), read(store, OTHER));
            assertEquals(1, store.count());
        }
    }

    @Test
    void aRemovalWhileTheIndexIsRebuiltHoldsWhenTheRebuildFoundTheEntry() throws IOException {
        try (DiskStore store = open()) {
            put(store, KEY, entry("x"), body(5000, 1));
        }
        CompletableFuture<DiskStore> opening = new CompletableFuture<>();
        PendingStore pending = new PendingStore(opening, key -> DiskStore.removeFiles(root, key));
        DiskStore rebuilt = open(); // the rebuild indexed the entry before the removal came
        pending.remove(KEY);
        opening.complete(rebuilt);

        assertTrue(read(pending, KEY) == null);
        assertEquals(0, pending.count());
        pending.close();
        try (DiskStore store = open()) {
            assertTrue(read(store, KEY) == null);
        }
    }

    /**
     * A URI whose responses carry Vary keeps the list of its variants under its own key and each variant under its
     * key, a NUL and the variant's secondary key ({@link CacheKey}); a purge of the URI while the index is rebuilt
     * cannot read the list (the store is not open), so it deletes only the list's files.
     */
    @ParameterizedTest(name = "purged {0}, the last stop {1}")
    @CsvSource({"before the rebuild reads the list, clean", "after the rebuild has read it, clean", "and the process stops first, clean",
            "before the rebuild reads the list, a crash", "after the rebuild has read it, a crash", "and the process stops first, a crash"})
    void aPurgeWhileTheIndexIsRebuiltDropsTheVariantsToo(String when, String lastStop) throws IOException {
        List<CacheKey> variants = List.of(variantOf(KEY, "accept-encoding:gzip\n"), variantOf(KEY, "accept-encoding:br\n"));
        DiskStore before = open();
        put(before, KEY, entry("the list"), body(0, 0));
        for (CacheKey variant : variants) {
            put(before, variant, entry("a variant"), body(7000, variant.hashCode()));
        }
        put(before, OTHER, entry("y"), body(6000, 2));
        if (lastStop.equals("clean")) {
            before.close(); // the start loads the snapshot; after a crash it scans
        }
        CompletableFuture<DiskStore> opening = new CompletableFuture<>();
        PendingStore pending = new PendingStore(opening, key -> DiskStore.removeFiles(root, key));
        DiskStore rebuilt = when.startsWith("after") ? open() : null;
        pending.remove(KEY); // a purge
        if (when.startsWith("and the process stops")) {
            pending.close();
        } else {
            opening.complete(rebuilt != null ? rebuilt : open());
        }

        try (DiskStore store = when.startsWith("and the process stops") ? open() : opening.join()) {
            assertTrue(read(store, KEY) == null, "the purged list came back");
            for (CacheKey variant : variants) {
                assertTrue(read(store, variant) == null, when + ": a variant of the purged URI is still indexed");
                try (Stream<Path> files = Files.list(shardOf(variant))) {
                    assertEquals(List.of(), files.filter(f -> f.getFileName().toString().startsWith(DiskStore.hash(variant))).toList(),
                            "the files of a variant nothing can reach");
                }
            }
            assertArrayEquals(body(6000, 2), read(store, OTHER));
            assertEquals(1, store.count(), "only the other entry is counted against the bound");
        }
    }

    private static CacheKey variantOf(CacheKey uri, String secondaryKey) {
        return new CacheKey(uri.value() + '\u0000' + secondaryKey);
    }

    @Test
    void removalsRacingTheRebuildNeverFailIt() throws Exception {
        List<CacheKey> keys = new ArrayList<>();
        try (DiskStore store = DiskStore.open(root, 100 * MIB, MIB, 0, Runnable::run)) { // 2,000 entries of 8 KiB
            for (int i = 0; i < 2000; i++) {
                CacheKey key = CacheKey.of("http://example.com/" + i);
                put(store, key, entry("x"), body(10, i));
                keys.add(key);
            }
        }
        for (int round = 0; round < 5; round++) {
            CompletableFuture<DiskStore> rebuilding = CompletableFuture.supplyAsync(() -> {
                try {
                    return DiskStore.open(root, 100 * MIB, MIB, 0, Runnable::run);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            CompletableFuture<DiskStore> opening = new CompletableFuture<>();
            PendingStore pending = new PendingStore(opening, key -> DiskStore.removeFiles(root, key));
            List<CacheKey> removed = keys.subList(round * 400, round * 400 + 400);
            removed.forEach(pending::remove); // while the files are being scanned
            DiskStore store = rebuilding.join();
            opening.complete(store);
            assertTrue(pending.isReady());
            removed.forEach(key -> assertTrue(read(pending, key) == null, "a removed entry is served"));
            assertEquals(2000 - 400 * (round + 1), store.count());
            store.close();
        }
    }
}
