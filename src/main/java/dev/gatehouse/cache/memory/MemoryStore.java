package dev.gatehouse.cache.memory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.function.Function;

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
 * <p>A body is held in an exactly sized direct (off-heap) buffer: one of known length is written into it as
 * it arrives, one of unknown length is gathered on the heap and copied into it once, when committed. Hits
 * hand out read-only views of it, so serving from memory never copies per request: not here, and not in the
 * JDK either, which copies a heap buffer into a temporary direct one on every socket write. Once the
 * process's direct memory reaches half the maximum heap (the JVM's default direct limit), a body is held on
 * the heap instead.
 * Evicted entries are simply dropped: the disk tier is the source of truth (FEASIBILITY.md §6).
 */
public final class MemoryStore implements CacheStore {
    /** Rough per-entry overhead beyond the body and header text, so many tiny entries still count. */
    private static final int ENTRY_OVERHEAD = 128;

    /** Half the JVM's default direct memory limit (its maximum heap); the rest is for Undertow's buffers. */
    private static final long DIRECT_BUDGET = Runtime.getRuntime().maxMemory() / 2;
    private static final BufferPoolMXBean DIRECT_POOL = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)
            .stream().filter(pool -> pool.getName().equals("direct")).findFirst().orElse(null);

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
        return held == null ? Optional.empty() : Optional.of(held);
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

    /**
     * A buffer for a body of {@code length} bytes: direct while the process's direct memory stays under
     * {@link #DIRECT_BUDGET}, else on the heap. The budget keeps stores out of the JDK's reservation path
     * near its limit, which runs System.gc() and sleeps up to half a second before failing.
     */
    private static ByteBuffer allocate(int length) {
        if (DIRECT_POOL == null || DIRECT_POOL.getMemoryUsed() + length <= DIRECT_BUDGET) {
            try {
                return ByteBuffer.allocateDirect(length);
            } catch (OutOfMemoryError directMemoryFull) { // a lower -XX:MaxDirectMemorySize; the heap is untouched
                // held on the heap
            }
        }
        return ByteBuffer.allocate(length);
    }

    @Override
    public boolean update(CacheKey key, CacheEntry expected, CacheEntry entry) {
        boolean[] updated = {false};
        entries.asMap().computeIfPresent(key, (k, held) -> {
            updated[0] = held.entry().equals(expected);
            return updated[0] ? new Held(entry, held.body) : held;
        });
        return updated[0];
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

    /**
     * One stored response, handed to readers as is: nothing to release, and nothing allocated per hit. Its
     * {@link #derived} value is kept here, so it goes with the entry on eviction, update and replacement.
     */
    private static final class Held implements StoredResponse {
        private final CacheEntry entry;
        /** Read-only, position 0; hand out duplicates, never this instance. */
        private final ByteBuffer body;
        /** The last derived value; plain, since a value is immutable and a lost race only derives it twice. */
        private Derived derived;

        Held(CacheEntry entry, ByteBuffer body) {
            this.entry = entry;
            this.body = body;
        }

        int weight() {
            long headerBytes = entry.headers().fields().stream()
                    .mapToLong(field -> field.getKey().length() + field.getValue().length() + 4).sum();
            return (int) Math.min(Integer.MAX_VALUE, body.capacity() + headerBytes + ENTRY_OVERHEAD);
        }

        @Override
        public CacheEntry entry() {
            return entry;
        }

        @Override
        public long bodyLength() {
            return body.capacity();
        }

        @Override
        public InputStream body() {
            return new BufferInputStream(body.duplicate());
        }

        @Override
        public boolean fromMemory() {
            return true;
        }

        @Override
        public Optional<ByteBuffer> bodyBuffer() {
            return Optional.of(body.duplicate());
        }

        @Override
        public <T> T derived(Function<? super StoredResponse, ? extends T> derive) {
            Derived kept = derived;
            if (kept == null || kept.by != derive) {
                kept = new Derived(derive, derive.apply(this));
                derived = kept;
            }
            @SuppressWarnings("unchecked") // stored by this very function, which returns a T
            T value = (T) kept.value;
            return value;
        }

        @Override
        public void close() {
        }
    }

    /** A derived value and the function that made it; final fields, so safely shared between threads. */
    private record Derived(Function<?, ?> by, Object value) {}

    /**
     * Fills a body: with a known length (a promotion from disk, or a response of at most the write-through
     * size) straight into the held buffer, sized at once; otherwise into a growing heap array, copied once
     * into an exactly sized held buffer on commit. A body that does not match its announced length is not
     * stored (the tee aborts it anyway, {@link dev.gatehouse.cache.CachingInputStream}).
     */
    private final class MemoryWriter extends BodyWriter {
        private final CacheKey key;
        private final CacheEntry entry;
        /** The held buffer being filled, for a known length; else null. */
        private ByteBuffer exact;
        /** The body so far, for an unknown length; else null. */
        private Gathered gathered;

        MemoryWriter(CacheKey key, CacheEntry entry, long expectedLength) {
            super(maxObjectBytes);
            this.key = key;
            this.entry = entry;
            if (expectedLength >= 0) {
                exact = allocate((int) expectedLength); // writer() capped it
            } else {
                gathered = new Gathered();
            }
        }

        @Override
        protected void store(byte[] bytes, int offset, int length) throws IOException {
            if (gathered != null) {
                gathered.write(bytes, offset, length);
            } else if (length > exact.remaining()) {
                throw new IOException("the body is longer than the " + exact.capacity() + " bytes announced");
            } else {
                exact.put(bytes, offset, length);
            }
        }

        @Override
        protected void publish(long length) throws IOException {
            if (exact != null && exact.hasRemaining()) {
                throw new IOException("the body ended after " + length + " of the " + exact.capacity() + " bytes announced");
            }
            ByteBuffer body = exact != null ? exact.flip() : gathered.held();
            entries.put(key, new Held(entry, body.asReadOnlyBuffer()));
            discard();
        }

        @Override
        protected void discard() {
            exact = null;
            gathered = null;
        }
    }

    /** A body of unknown length as it arrives; its array is copied straight into the held buffer. */
    private static final class Gathered extends ByteArrayOutputStream {
        Gathered() {
            super(64 * 1024);
        }

        ByteBuffer held() {
            return allocate(count).put(buf, 0, count).flip();
        }
    }

    /** Reads a held body without copying it first. */
    private static final class BufferInputStream extends InputStream {
        private final ByteBuffer body;

        BufferInputStream(ByteBuffer body) {
            this.body = body;
        }

        @Override
        public int read() {
            return body.hasRemaining() ? body.get() & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) return 0;
            if (!body.hasRemaining()) return -1;
            int n = Math.min(len, body.remaining());
            body.get(b, off, n);
            return n;
        }

        @Override
        public long skip(long n) {
            int k = (int) Math.max(0, Math.min(n, body.remaining()));
            body.position(body.position() + k);
            return k;
        }

        @Override
        public int available() {
            return body.remaining();
        }
    }
}
