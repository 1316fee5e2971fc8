package dev.gatehouse.cache;

import java.util.Optional;

/** A store that passes everything to another, for tests that watch or hold up what the cache does with it. */
public abstract class ForwardingStore implements CacheStore {
    private final CacheStore store;

    protected ForwardingStore(CacheStore store) {
        this.store = store;
    }

    @Override
    public Optional<StoredResponse> open(CacheKey key) {
        return store.open(key);
    }

    @Override
    public Optional<StoredResponse> openInMemory(CacheKey key) {
        return store.openInMemory(key);
    }

    @Override
    public Optional<Writer> writer(CacheKey key, CacheEntry entry, long expectedLength) {
        return store.writer(key, entry, expectedLength);
    }

    @Override
    public boolean update(CacheKey key, CacheEntry expected, CacheEntry entry) {
        return store.update(key, expected, entry);
    }

    @Override
    public void remove(CacheKey key) {
        store.remove(key);
    }

    @Override
    public long sizeBytes() {
        return store.sizeBytes();
    }

    @Override
    public long count() {
        return store.count();
    }

    @Override
    public void close() {
        store.close();
    }
}
