package dev.gatehouse.cache.memory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.gatehouse.cache.BodyWriter;
import dev.gatehouse.cache.CacheEntry;
import dev.gatehouse.cache.CacheKey;
import dev.gatehouse.cache.CacheStore;

/**
 * Holds small hot responses in memory, in a Caffeine cache bounded by the bytes of bodies and
 * headers (a weigher), evicting by Caffeine's W-TinyLFU policy.
 *
 * <p>A body is copied once, when committed; hits hand out read-only views of the same array, so
 * serving from memory never copies per request. Evicted entries are simply dropped: the disk tier
 * is the source of truth (FEASIBILITY.md §6).
 */
public final class MemoryStore implements CacheStore {
    /** Rough per-entry overhead beyond the body and header text, so many tiny entries still count. */
    private static final int ENTRY_OVERHEAD = 128;

    private final Cache<CacheKey, Held> entries;
    private final long maxObjectBytes;

    /** A store holding at most {@code maxBytes} in total and no body over {@code maxObjectBytes}. */
    public MemoryStore(long maxBytes, long maxObjectBytes) {
        if (maxBytes < 0 || maxObjectBytes < 0) {
            throw new IllegalArgumentException("memory store sizes must not be negative, got " + maxBytes + " and " + maxObjectBytes);
        }
        this.maxObjectBytes = Math.min(maxObjectBytes, Integer.MAX_VALUE - 16);
        this.entries = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((CacheKey key, Held held) -> held.weight())
                .executor(Runnable::run) // nothing slow happens on removal, so keep eviction synchronous and predictable
                .build();
    }

    @Override
    public Optional<StoredResponse> open(CacheKey key) {
        Held held = entries.getIfPresent(key);
        return held == null ? Optional.empty() : Optional.of(held.response());
    }

    @Override
    public Optional<StoredResponse> openInMemory(CacheKey key) {
        return open(key);
    }

    @Override
    public Optional<Writer> writer(CacheKey key, CacheEntry entry, long expectedLength) {
        if (expectedLength > maxObjectBytes) {
            return Optional.empty();
        }
        return Optional.of(new MemoryWriter(key, entry, expectedLength));
    }

    /** Stores a complete body directly, e.g. to promote a small entry read from disk; false if too large. */
    public boolean put(CacheKey key, CacheEntry entry, byte[] body) {
        if (body.length > maxObjectBytes) {
            return false;
        }
        entries.put(key, new Held(entry, body));
        return true;
    }

    @Override
    public boolean update(CacheKey key, CacheEntry entry) {
        return entries.asMap().computeIfPresent(key, (k, held) -> new Held(entry, held.body)) != null;
    }

    @Override
    public void remove(CacheKey key) {
        entries.invalidate(key);
    }

    @Override
    public long sizeBytes() {
        return entries.policy().eviction().orElseThrow().weightedSize().orElse(0);
    }

    @Override
    public long count() {
        return entries.estimatedSize();
    }

    @Override
    public void close() {
        entries.invalidateAll();
    }

    private record Held(CacheEntry entry, byte[] body) {
        int weight() {
            long headerBytes = entry.headers().fields().stream()
                    .mapToLong(field -> field.getKey().length() + field.getValue().length() + 4).sum();
            return (int) Math.min(Integer.MAX_VALUE, body.length + headerBytes + ENTRY_OVERHEAD);
        }

        StoredResponse response() {
            return new StoredResponse() {
                @Override
                public CacheEntry entry() {
                    return entry;
                }

                @Override
                public long bodyLength() {
                    return body.length;
                }

                @Override
                public InputStream body() {
                    return new ByteArrayInputStream(body);
                }

                @Override
                public boolean fromMemory() {
                    return true;
                }

                @Override
                public Optional<ByteBuffer> bodyBuffer() {
                    return Optional.of(ByteBuffer.wrap(body).asReadOnlyBuffer());
                }

                @Override
                public void close() {
                }
            };
        }
    }

    private final class MemoryWriter extends BodyWriter {
        private final CacheKey key;
        private final CacheEntry entry;
        private ByteArrayOutputStream buffer;

        MemoryWriter(CacheKey key, CacheEntry entry, long expectedLength) {
            super(maxObjectBytes);
            this.key = key;
            this.entry = entry;
            this.buffer = new ByteArrayOutputStream(Math.clamp(expectedLength, 256, 64 * 1024));
        }

        @Override
        protected void store(byte[] bytes, int offset, int length) {
            buffer.write(bytes, offset, length);
        }

        @Override
        protected void publish(long length) {
            entries.put(key, new Held(entry, buffer.toByteArray()));
            buffer = null;
        }

        @Override
        protected void discard() {
            buffer = null;
        }
    }
}
