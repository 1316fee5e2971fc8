package dev.gatehouse.cache;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.Random;

/** Writing and reading whole entries through the streaming store API, for the store tests. */
public final class StoreFixtures {
    private StoreFixtures() {
    }

    /** Metadata for a 200 with max-age=60 and a marker header. */
    public static CacheEntry entry(String marker) {
        return new CacheEntry(200, CacheHeaders.of("Cache-Control", "max-age=60", "X-Marker", marker), 1000, 2000, "");
    }

    /** {@code length} pseudo-random bytes from {@code seed}. */
    public static byte[] body(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** Streams {@code body} into the store in 1000-byte chunks and commits; false if the store declined. */
    public static boolean put(CacheStore store, CacheKey key, CacheEntry entry, byte[] body) {
        return put(store, key, entry, body, -1);
    }

    /** As {@link #put(CacheStore, CacheKey, CacheEntry, byte[])}, announcing {@code expectedLength} (-1: unknown). */
    public static boolean put(CacheStore store, CacheKey key, CacheEntry entry, byte[] body, long expectedLength) {
        Optional<CacheStore.Writer> writer = store.writer(key, entry, expectedLength);
        if (writer.isEmpty()) {
            return false;
        }
        try (CacheStore.Writer w = writer.get()) {
            for (int offset = 0; offset < body.length; offset += 1000) {
                w.body().write(body, offset, Math.min(1000, body.length - offset));
            }
            return w.commit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The stored body of {@code key}, or null on a miss. */
    public static byte[] read(CacheStore store, CacheKey key) {
        Optional<CacheStore.StoredResponse> stored = store.open(key);
        if (stored.isEmpty()) {
            return null;
        }
        try (CacheStore.StoredResponse response = stored.get(); InputStream in = response.body()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
