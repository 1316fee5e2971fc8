package dev.gatehouse.cache;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        Map<CacheStore, Writer> writers = new LinkedHashMap<>(2);
        if (expectedLength >= 0 && expectedLength <= writeThroughMaxBytes) {
            fast.writer(key, entry, expectedLength).ifPresent(writer -> writers.put(fast, writer));
        }
        durable.writer(key, entry, expectedLength).ifPresent(writer -> writers.put(durable, writer));
        if (writers.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new BothWriter(key, writers, List.of(fast, durable)));
    }

    @Override
    public boolean update(CacheKey key, CacheEntry expected, CacheEntry entry) {
        boolean inFast = fast.update(key, expected, entry);
        return durable.update(key, expected, entry) || inFast;
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

    /**
     * Writes one body to every tier that took it; committed if any tier committed. A tier that did not store it
     * (too large for memory, of unknown length, disk full) drops its older copy under the key: lookups would
     * find that one (memory first; disk once memory evicts), and RFC 9111 §4 wants the most recent response.
     */
    private static final class BothWriter extends BodyWriter {
        private final CacheKey key;
        private final Map<CacheStore, Writer> writers;
        private final List<CacheStore> tiers;

        BothWriter(CacheKey key, Map<CacheStore, Writer> writers, List<CacheStore> tiers) {
            super(Long.MAX_VALUE); // each tier enforces its own maximum
            this.key = key;
            this.writers = writers;
            this.tiers = tiers;
        }

        @Override
        protected void store(byte[] bytes, int offset, int length) throws IOException {
            for (Writer writer : writers.values()) {
                writer.body().write(bytes, offset, length);
            }
        }

        @Override
        protected void publish(long length) throws IOException {
            List<CacheStore> stored = new ArrayList<>(2);
            writers.forEach((tier, writer) -> {
                if (writer.commit()) stored.add(tier);
            });
            if (stored.isEmpty()) {
                throw new IOException("no tier stored the body");
            }
            for (CacheStore tier : tiers) {
                if (!stored.contains(tier)) tier.remove(key);
            }
        }

        @Override
        protected void discard() {
            writers.values().forEach(Writer::abort);
        }

        @Override
        public boolean storing() {
            return super.storing() && writers.values().stream().anyMatch(Writer::storing); // each tier gives up on its own
        }
    }
}
