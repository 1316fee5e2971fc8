package dev.gatehouse.cache;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Two stores as one: a small fast tier (memory) in front of a large durable one (disk).
 *
 * <p>Reads try the fast tier first; a durable hit whose body is small enough is copied into the
 * fast tier so the next hit is a memory hit (one copy per key at a time: a burst of first hits on a large
 * object must not read it into memory once per request). Writes of a response whose length is known and
 * at most {@code writeThroughMaxBytes} go to both tiers at once; larger ones go to the durable tier only
 * and reach memory on their first hit, so that a fill never holds a large body in memory while it
 * streams (many concurrent downloads of large files would add up). Updates and removals go to both.
 */
public final class TieredStore implements CacheStore {
    private final CacheStore fast;
    private final CacheStore durable;
    private final long promoteMaxBytes;
    private final long writeThroughMaxBytes;
    private final Set<CacheKey> promoting = ConcurrentHashMap.newKeySet();

    /**
     * {@code fast} in front of {@code durable}; durable hits up to {@code promoteMaxBytes} are copied into
     * {@code fast}; responses of a known length up to {@code writeThroughMaxBytes} are written to both.
     */
    public TieredStore(CacheStore fast, CacheStore durable, long promoteMaxBytes, long writeThroughMaxBytes) {
        this.fast = fast;
        this.durable = durable;
        this.promoteMaxBytes = promoteMaxBytes;
        this.writeThroughMaxBytes = writeThroughMaxBytes;
    }

    /** Both limits the same: every object that fits in memory is written there at once. */
    public TieredStore(CacheStore fast, CacheStore durable, long promoteMaxBytes) {
        this(fast, durable, promoteMaxBytes, promoteMaxBytes);
    }

    @Override
    public Optional<StoredResponse> open(CacheKey key) {
        Optional<StoredResponse> hot = fast.open(key);
        if (hot.isPresent()) {
            return hot;
        }
        Optional<StoredResponse> cold = durable.open(key);
        if (cold.isEmpty() || cold.get().bodyLength() > promoteMaxBytes || !promoting.add(key)) {
            return cold;
        }
        try (StoredResponse response = cold.get()) {
            promote(key, response);
        } finally {
            promoting.remove(key);
        }
        // This hit is still served from the durable tier (and logged so); the next one is a memory hit.
        return durable.open(key);
    }

    @Override
    public Optional<StoredResponse> openInMemory(CacheKey key) {
        return fast.openInMemory(key);
    }

    private void promote(CacheKey key, StoredResponse response) {
        fast.writer(key, response.entry(), response.bodyLength()).ifPresent(writer -> {
            try (writer; InputStream body = response.body()) {
                body.transferTo(writer.body());
                writer.commit();
            } catch (IOException e) {
                // not promoted: the durable tier still serves it
            }
        });
    }

    @Override
    public Optional<Writer> writer(CacheKey key, CacheEntry entry, long expectedLength) {
        List<Writer> writers = new ArrayList<>(2);
        if (expectedLength >= 0 && expectedLength <= writeThroughMaxBytes) {
            fast.writer(key, entry, expectedLength).ifPresent(writers::add);
        }
        boolean inFast = !writers.isEmpty();
        durable.writer(key, entry, expectedLength).ifPresent(writers::add);
        if (writers.isEmpty()) {
            return Optional.empty();
        }
        // A response stored on disk only (too large for memory, or of unknown length) must not leave an older
        // copy under the same key in memory, where every lookup would find that one first.
        return Optional.of(new BothWriter(writers, inFast ? () -> { } : () -> fast.remove(key)));
    }

    @Override
    public boolean update(CacheKey key, CacheEntry entry) {
        boolean inFast = fast.update(key, entry);
        return durable.update(key, entry) || inFast;
    }

    @Override
    public void remove(CacheKey key) {
        fast.remove(key);
        durable.remove(key);
    }

    @Override
    public long sizeBytes() {
        return fast.sizeBytes() + durable.sizeBytes();
    }

    @Override
    public long count() {
        return durable.count();
    }

    @Override
    public void close() {
        fast.close();
        durable.close();
    }

    /** Writes one body to every tier that took it; committed if any tier committed. */
    private static final class BothWriter extends BodyWriter {
        private final List<Writer> writers;
        private final Runnable afterCommit;

        BothWriter(List<Writer> writers, Runnable afterCommit) {
            super(Long.MAX_VALUE); // each tier enforces its own maximum
            this.writers = writers;
            this.afterCommit = afterCommit;
        }

        @Override
        protected void store(byte[] bytes, int offset, int length) throws IOException {
            for (Writer writer : writers) {
                writer.body().write(bytes, offset, length);
            }
        }

        @Override
        protected void publish(long length) throws IOException {
            boolean any = false;
            for (Writer writer : writers) {
                any |= writer.commit();
            }
            if (!any) {
                throw new IOException("no tier stored the body");
            }
            afterCommit.run();
        }

        @Override
        protected void discard() {
            writers.forEach(Writer::abort);
        }

        @Override
        public boolean storing() {
            return super.storing() && writers.stream().anyMatch(Writer::storing); // each tier gives up on its own
        }
    }
}
