package dev.gatehouse.cache;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A store that becomes available later, such as a disk tier whose index is still being rebuilt at
 * start: until it is ready it holds and stores nothing, so requests are served (from the other tier
 * or the origin) instead of waiting; removals asked for meanwhile (invalidations, purges) are applied
 * the moment it is ready, so none is lost, and handed at once to a hook that can make them last even
 * if the process stops before then. If it never opens, it stays empty.
 */
public final class PendingStore implements CacheStore {
    private final Set<CacheKey> removedWhileOpening = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<? extends CacheStore> opening;
    private final Consumer<CacheKey> removeNow;
    private volatile CacheStore ready;

    /** A store that is {@code opening}'s result once that completes. */
    public PendingStore(CompletableFuture<? extends CacheStore> opening) {
        this(opening, key -> { });
    }

    /**
     * As {@link #PendingStore(CompletableFuture)}; a removal asked for before it is ready is also passed to
     * {@code removeNow} at once, which drops what is persisted for the key (a disk tier's files), so the
     * removal holds if the process stops before the store opens.
     */
    public PendingStore(CompletableFuture<? extends CacheStore> opening, Consumer<CacheKey> removeNow) {
        this.opening = opening;
        this.removeNow = removeNow;
        opening.thenAccept(this::becomeReady);
    }

    private synchronized void becomeReady(CacheStore store) {
        removedWhileOpening.forEach(store::remove);
        removedWhileOpening.clear();
        ready = store;
    }

    /** Whether the store has opened. */
    public boolean isReady() {
        return ready != null;
    }

    @Override
    public Optional<StoredResponse> open(CacheKey key) {
        CacheStore store = ready;
        return store == null ? Optional.empty() : store.open(key);
    }

    @Override
    public Optional<StoredResponse> openInMemory(CacheKey key) {
        CacheStore store = ready;
        return store == null ? Optional.empty() : store.openInMemory(key);
    }

    @Override
    public Optional<Writer> writer(CacheKey key, CacheEntry entry, long expectedLength) {
        CacheStore store = ready;
        return store == null ? Optional.empty() : store.writer(key, entry, expectedLength);
    }

    @Override
    public boolean update(CacheKey key, CacheEntry expected, CacheEntry entry) {
        CacheStore store = ready;
        return store != null && store.update(key, expected, entry);
    }

    @Override
    public void remove(CacheKey key) {
        CacheStore store = ready;
        if (store == null) {
            synchronized (this) {
                store = ready;
                if (store == null) {
                    removedWhileOpening.add(key);
                }
            }
            if (store == null) {
                removeNow.accept(key); // outside the lock: it may take disk I/O
                return;
            }
        }
        store.remove(key);
    }

    @Override
    public long sizeBytes() {
        CacheStore store = ready;
        return store == null ? 0 : store.sizeBytes();
    }

    @Override
    public long count() {
        CacheStore store = ready;
        return store == null ? 0 : store.count();
    }

    /** Closes the store now, or as soon as it has opened. */
    @Override
    public void close() {
        opening.thenAccept(CacheStore::close);
    }
}
