package dev.gatehouse.cache;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Collapses concurrent misses for one key into one upstream fetch: the first caller (the leader)
 * runs the fetch, later callers (followers) wait for it and get the same result.
 *
 * <p>Meant for the miss path: the leader fetches, tees the body into the store and returns, say,
 * whether it stored it; followers then read the stored entry ({@link ResultCode#TCP_CF_HIT}) or,
 * if nothing was stored, fetch for themselves. Followers wait for the leader's whole fetch; they
 * do not tail a body still being written. A failure of the leader is the followers' failure too
 * (one origin failure is not retried once per waiting client). Nothing is remembered after the
 * fetch ends: the store is the cache, this is only the rendezvous.
 *
 * @param <T> what a fetch produces
 */
public final class Collapser<T> {
    private final ConcurrentHashMap<CacheKey, InFlight<T>> inFlight = new ConcurrentHashMap<>();

    /** What one caller got: the fetch's value, and whether this caller ran the fetch. */
    public record Result<T>(T value, boolean leader) {
    }

    private record InFlight<T>(CompletableFuture<T> result, AtomicInteger followers) {
    }

    /**
     * Runs {@code fetch} unless a fetch for {@code key} is already running, in which case waits for
     * that one. Throws what the fetch threw, wrapped in an {@link ExecutionException} for followers.
     */
    public Result<T> collapse(CacheKey key, Callable<T> fetch) throws Exception {
        InFlight<T> mine = new InFlight<>(new CompletableFuture<>(), new AtomicInteger());
        InFlight<T> running = inFlight.putIfAbsent(key, mine);
        if (running != null) {
            running.followers().incrementAndGet();
            return new Result<>(running.result().get(), false);
        }
        try {
            T value = fetch.call();
            mine.result().complete(value);
            return new Result<>(value, true);
        } catch (Exception | Error e) {
            mine.result().completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(key, mine);
        }
    }

    /** How many callers are waiting for the fetch of {@code key} now (for stats and tests). */
    public int followers(CacheKey key) {
        InFlight<T> running = inFlight.get(key);
        return running == null ? 0 : running.followers().get();
    }

    /** How many keys are being fetched now. */
    public int inFlight() {
        return inFlight.size();
    }
}
