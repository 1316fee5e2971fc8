package dev.gatehouse.cache.disk;

import static dev.gatehouse.cache.StoreFixtures.body;
import static dev.gatehouse.cache.StoreFixtures.entry;
import static dev.gatehouse.cache.StoreFixtures.put;
import static dev.gatehouse.cache.StoreFixtures.read;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.gatehouse.cache.CacheKey;

/** Damage one entry's files between two runs: it must become a miss, never garbage, and its neighbours must survive. */
class DiskStoreCorruptionTest {
    private static final CacheKey KEY = CacheKey.of("http://example.com/victim");
    private static final CacheKey NEIGHBOUR = CacheKey.of("http://example.com/neighbour");
    private static final int LENGTH = 100_000;

    @TempDir
    Path root;

    /** One way to damage a file. */
    interface Damage {
        void apply(Path file) throws IOException;
    }

    static Stream<Arguments> damages() {
        return Stream.of(
                Arguments.of("body truncated by one byte", ".body", (Damage) file -> truncate(file, Files.size(file) - 1)),
                Arguments.of("body truncated to zero", ".body", (Damage) file -> truncate(file, 0)),
                Arguments.of("body with one byte appended", ".body", (Damage) file -> Files.write(file, new byte[] {1}, java.nio.file.StandardOpenOption.APPEND)),
                Arguments.of("body with a flipped byte in the middle", ".body", (Damage) file -> flip(file, LENGTH / 2)),
                Arguments.of("body with its first byte flipped", ".body", (Damage) file -> flip(file, 0)),
                Arguments.of("body with its last byte flipped", ".body", (Damage) file -> flip(file, LENGTH - 1)),
                Arguments.of("body deleted", ".body", (Damage) Files::delete),
                Arguments.of("metadata with a flipped byte in its payload", ".meta", (Damage) file -> flip(file, 20)),
                Arguments.of("metadata with a flipped magic", ".meta", (Damage) file -> flip(file, 0)),
                Arguments.of("metadata with a flipped checksum", ".meta", (Damage) file -> flip(file, Files.size(file) - 1)),
                Arguments.of("metadata truncated", ".meta", (Damage) file -> truncate(file, Files.size(file) / 2)),
                Arguments.of("metadata empty", ".meta", (Damage) file -> truncate(file, 0)),
                Arguments.of("metadata replaced by garbage", ".meta", (Damage) file -> Files.write(file, body(300, 9))),
                Arguments.of("metadata deleted", ".meta", (Damage) Files::delete));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("damages")
    void aDamagedEntryIsAMissNeverGarbage(String damage, String suffix, Damage apply) throws IOException {
        try (DiskStore store = DiskStore.open(root, 1 << 24, 1 << 20, 0, Runnable::run)) {
            put(store, KEY, entry("victim"), body(LENGTH, 1));
            put(store, NEIGHBOUR, entry("neighbour"), body(LENGTH, 2));
        }
        apply.apply(fileOf(KEY, suffix));

        try (DiskStore store = DiskStore.open(root, 1 << 24, 1 << 20, 0, Runnable::run)) {
            assertTrue(read(store, KEY) == null, damage + ": served bytes from a damaged entry");
            store.cleanUp();
            assertEquals(List.of(), filesOf(KEY), "the damaged entry's files are deleted");
            assertArrayEquals(body(LENGTH, 2), read(store, NEIGHBOUR));
            assertEquals(1, store.count());
        }
        try (DiskStore store = DiskStore.open(root, 1 << 24, 1 << 20, 0, Runnable::run)) {
            assertTrue(read(store, KEY) == null, "still a miss after another restart");
        }
    }

    private Path fileOf(CacheKey key, String suffix) throws IOException {
        return filesOf(key).stream().filter(p -> p.toString().endsWith(suffix)).findFirst().orElseThrow();
    }

    private List<Path> filesOf(CacheKey key) throws IOException {
        String hash = DiskStore.hash(key);
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.getFileName().toString().startsWith(hash)).toList();
        }
    }

    static void truncate(Path file, long length) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(length);
        }
    }

    private static void flip(Path file, long position) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(position);
            int b = raf.read();
            raf.seek(position);
            raf.write(b ^ 0x40);
        }
    }
}
