package dev.gatehouse.cache;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
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
 *
 * <p>A copy into the fast tier must not outlive a change to the durable copy it was made from: a removal (an
 * invalidation, a purge), a new response or a 304's update made while the copy is under way would otherwise be
 * undone in memory, where lookups look first. Every change is made to the durable tier first, then marks a copy
 * of that key under way as overtaken, then is made to the fast tier; a copy checks the mark after it is stored and
 * drops itself when set. Either the mark is seen, or the change reaches the fast tier after the copy.
 */
public final class TieredStore implements CacheStore {
    private final CacheStore fast;
    private final CacheStore durable;
    private final long promoteMaxBytes;
    private final long writeThroughMaxBytes;
    /** The copies into the fast tier under way, one per key at a time. */
    private final ConcurrentHashMap<CacheKey, Promotion> promoting = new ConcurrentHashMap<>();

    /** A durable hit being copied into the fast tier; overtaken when the key changes meanwhile. */
    private static final class Promotion {
        volatile boolean overtaken;
    }

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
        Promotion promotion = new Promotion();
        if (promoting.putIfAbsent(key, promotion) != null) {
            return durable.open(key); // another hit is copying it
        }
        try {
            Optional<StoredResponse> cold = durable.open(key); // after the copy is registered, so a change after this read marks it
            if (cold.isEmpty() || cold.get().bodyLength() > promoteMaxBytes) {
                return cold;
            }
            try (StoredResponse response = cold.get()) {
                promote(key, response, promotion);
            }
        } finally {
            promoting.remove(key, promotion);
        }
        // This hit is still served from the durable tier (and logged so); the next one is a memory hit.
        return durable.open(key);
    }

    @Override
    public Optional<StoredResponse> openInMemory(CacheKey key) {
        return fast.openInMemory(key);
    }

    private void promote(CacheKey key, StoredResponse response, Promotion promotion) {
        fast.writer(key, response.entry(), response.bodyLength()).ifPresent(writer -> {
            try (writer; InputStream body = response.body()) {
                body.transferTo(writer.body());
                if (writer.commit() && promotion.overtaken) {
                    fast.remove(key); // the durable copy changed while this one was made from it
                }
            } catch (IOException e) {
                // not promoted: the durable tier still serves it
            }
        });
    }

    /** The durable copy of {@code key} changed: a copy of it into the fast tier under way may be of the old one. */
    private void changed(CacheKey key) {
        Promotion promotion = promoting.get(key);
        if (promotion != null) {
            promotion.overtaken = true;
        }
    }

    @Override
    public Optional<Writer> writer(CacheKey key, CacheEntry entry, long expectedLength) {
        Writer inFast = expectedLength >= 0 && expectedLength <= writeThroughMaxBytes
                ? fast.writer(key, entry, expectedLength).orElse(null) : null;
        Writer inDurable = durable.writer(key, entry, expectedLength).orElse(null);
        if (inFast == null && inDurable == null) {
            return Optional.empty();
        }
        return Optional.of(new BothWriter(key, inFast, inDurable));
    }

    @Override
    public boolean update(CacheKey key, CacheEntry expected, CacheEntry entry) {
        boolean inDurable = durable.update(key, expected, entry);
        changed(key);
        return fast.update(key, expected, entry) || inDurable;
    }

    @Override
    public void remove(CacheKey key) {
        durable.remove(key);
        changed(key);
        fast.remove(key);
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
     * Writes one body to each tier that took it (either may be null); committed if either committed. A tier that did
     * not store it (too large for memory, of unknown length, disk full) drops its older copy under the key: lookups
     * would find that one (memory first; disk once memory evicts), and RFC 9111 §4 wants the most recent response.
     * The durable tier changes first (see the class comment).
     */
    private final class BothWriter extends BodyWriter {
        private final CacheKey key;
        private final Writer inFast;
        private final Writer inDurable;

        BothWriter(CacheKey key, Writer inFast, Writer inDurable) {
            super(Long.MAX_VALUE); // each tier enforces its own maximum
            this.key = key;
            this.inFast = inFast;
            this.inDurable = inDurable;
        }

        @Override
        protected void store(byte[] bytes, int offset, int length) throws IOException {
            if (inFast != null) inFast.body().write(bytes, offset, length);
            if (inDurable != null) inDurable.body().write(bytes, offset, length);
        }

        @Override
        protected void publish(long length) throws IOException {
            boolean onDisk = inDurable != null && inDurable.commit();
            if (!onDisk && inFast == null) {
                throw new IOException("no tier stored the body");
            }
            if (!onDisk) {
                durable.remove(key);
            }
            changed(key);
            if (inFast != null && inFast.commit()) {
                return;
            }
            fast.remove(key);
            if (!onDisk) {
                throw new IOException("no tier stored the body");
            }
        }

        @Override
        protected void discard() {
            if (inFast != null) inFast.abort();
            if (inDurable != null) inDurable.abort();
        }

        @Override
        public boolean storing() {
            // each tier gives up on its own
            return super.storing() && (inFast != null && inFast.storing() || inDurable != null && inDurable.storing());
        }
    }
}
