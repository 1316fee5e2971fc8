package dev.gatehouse.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.gatehouse.cache.memory.MemoryStore;

/** Followers read a body while the leader is still writing it. */
class SharedBodyTest {
    private static final byte[] BODY = StoreFixtures.body(300_000, 3);

    @TempDir
    Path directory;

    private static byte[] readAll(InputStream reader) throws IOException {
        try (reader) {
            ByteArrayOutputStream copy = new ByteArrayOutputStream();
            byte[] buffer = new byte[7000];
            for (int n; (n = reader.read(buffer)) >= 0; ) {
                copy.write(buffer, 0, n);
            }
            return copy.toByteArray();
        }
    }

    @Test
    void readersTailTheBodyAsItArrives() throws Exception {
        try (SharedBody body = SharedBody.create(directory); ExecutorService threads = Executors.newFixedThreadPool(4)) {
            List<Future<byte[]>> readers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                InputStream reader = body.newReader().orElseThrow();
                readers.add(threads.submit(() -> readAll(reader)));
            }
            for (int offset = 0; offset < BODY.length; offset += 10_000) {
                body.writer().write(BODY, offset, Math.min(10_000, BODY.length - offset));
            }
            body.finish();
            for (Future<byte[]> reader : readers) {
                assertArrayEquals(BODY, reader.get());
            }
            assertArrayEquals(BODY, readAll(body.newReader().orElseThrow()), "a late reader starts from the first byte");
        }
        try (Stream<Path> left = Files.list(directory)) {
            assertEquals(0, left.count(), "the temporary file is gone");
        }
    }

    @Test
    void theLeadersTeeFeedsTheStoreAndTheFollowersInOnePass() throws Exception {
        MemoryStore store = new MemoryStore(1 << 20, 1 << 20);
        CacheKey key = CacheKey.of("http://example.com/shared");
        try (SharedBody shared = SharedBody.create(directory)) {
            InputStream follower = shared.newReader().orElseThrow();
            CacheStore.Writer writer = store.writer(key, StoreFixtures.entry("x"), BODY.length).orElseThrow();
            try (CachingInputStream tee = new CachingInputStream(new ByteArrayInputStream(BODY), writer, shared, BODY.length)) {
                assertArrayEquals(BODY, tee.readAllBytes(), "the leader's client");
                assertTrue(tee.stored());
            }
            assertArrayEquals(BODY, readAll(follower), "a follower");
        }
        assertArrayEquals(BODY, StoreFixtures.read(store, key), "the store");
    }

    @Test
    void aBodyCutShortFailsTheFollowersAndStoresNothing() throws Exception {
        MemoryStore store = new MemoryStore(1 << 20, 1 << 20);
        CacheKey key = CacheKey.of("http://example.com/short");
        try (SharedBody shared = SharedBody.create(directory)) {
            InputStream follower = shared.newReader().orElseThrow();
            CacheStore.Writer writer = store.writer(key, StoreFixtures.entry("x"), BODY.length + 1).orElseThrow();
            try (CachingInputStream tee = new CachingInputStream(new ByteArrayInputStream(BODY), writer, shared, BODY.length + 1)) {
                tee.readAllBytes();
                assertFalse(tee.stored());
            }
            assertThrows(IOException.class, () -> readAll(follower), "never a truncated body passed off as whole");
        }
        assertTrue(store.open(key).isEmpty());
    }

    @Test
    void readersGetWhatArrivedThenTheLeadersFailure() throws Exception {
        SharedBody body = SharedBody.create(directory);
        InputStream reader = body.newReader().orElseThrow();
        body.writer().write(BODY, 0, 1000);
        body.fail(new IOException("origin reset the connection"));
        byte[] buffer = new byte[5000];
        assertEquals(1000, reader.readNBytes(buffer, 0, 1000));
        IOException e = assertThrows(IOException.class, reader::read);
        assertEquals("origin reset the connection", e.getCause().getMessage());
        reader.close();
        body.close();
    }

    @Test
    void closingBeforeTheEndFailsReadersAndReleasingEndsNewReaders() throws Exception {
        SharedBody body = SharedBody.create(directory);
        InputStream reader = body.newReader().orElseThrow();
        body.writer().write(BODY, 0, 10);
        body.close();
        assertEquals(10, reader.readNBytes(10).length);
        assertThrows(IOException.class, reader::read, "an incomplete body is never passed off as complete");
        reader.close();
        assertTrue(body.newReader().isEmpty(), "released: a late follower reads the stored entry instead");
    }

    /** Small bodies stay in memory; one that outgrows it moves to a file, and readers on either side of the move read it whole. */
    @Test
    void aBodyThatOutgrowsMemoryMovesToAFileWithoutLosingAByteForAnyReader() throws Exception {
        byte[] large = StoreFixtures.body(SharedBody.IN_MEMORY_BYTES * 3 + 123, 7);
        int beforeSpill = SharedBody.IN_MEMORY_BYTES - 1000;
        try (SharedBody body = SharedBody.create(directory); ExecutorService threads = Executors.newFixedThreadPool(2)) {
            InputStream early = body.newReader().orElseThrow();
            Future<byte[]> tailing = threads.submit(() -> readAll(body.newReader().orElseThrow()));
            body.writer().write(large, 0, beforeSpill);
            byte[] head = early.readNBytes(beforeSpill - 10); // read from memory, then the rest from the file
            for (int offset = beforeSpill; offset < large.length; offset += 9_000) {
                body.writer().write(large, offset, Math.min(9_000, large.length - offset));
            }
            body.finish();
            byte[] rest = readAll(early);
            byte[] whole = Arrays.copyOf(head, head.length + rest.length);
            System.arraycopy(rest, 0, whole, head.length, rest.length);
            assertArrayEquals(large, whole, "a reader that started in memory");
            assertArrayEquals(large, tailing.get(), "a reader tailing the writer");
            assertArrayEquals(large, readAll(body.newReader().orElseThrow()), "a late reader");
        }
        try (Stream<Path> left = Files.list(directory)) {
            assertEquals(0, left.count(), "the temporary file is gone");
        }
    }

    /** All bodies together keep at most the budget in memory; past it they go to files, and every byte is still read. */
    @Test
    void bodiesPastTheMemoryBudgetGoToFilesAndGiveTheBudgetBack() throws Exception {
        int count = (int) (SharedBody.ALL_IN_MEMORY_BYTES / SharedBody.IN_MEMORY_BYTES) + 20;
        byte[] small = StoreFixtures.body(SharedBody.IN_MEMORY_BYTES, 11);
        long before = SharedBody.inMemoryBytes();
        List<SharedBody> bodies = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                SharedBody body = SharedBody.create(directory);
                bodies.add(body);
                body.writer().write(small, 0, small.length);
                body.finish();
            }
            assertTrue(SharedBody.inMemoryBytes() <= SharedBody.ALL_IN_MEMORY_BYTES, "in memory: " + SharedBody.inMemoryBytes());
            for (SharedBody body : bodies) {
                assertArrayEquals(small, readAll(body.newReader().orElseThrow()));
            }
        } finally {
            bodies.forEach(SharedBody::close);
        }
        assertEquals(before, SharedBody.inMemoryBytes(), "released bodies give their memory back");
    }
}
