package dev.gatehouse.cache;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Collapses concurrent fetches for one key (misses, and revalidations of one stored response) into one
 * upstream fetch: the first caller becomes the {@link Leader} and fetches; callers arriving while it is in
 * flight become {@link Follower}s and get what the leader publishes.
 *
 * <p>Two ways to use it:
 * <ul>
 *   <li>{@link #collapse}: followers wait for the leader's whole fetch, then read the stored entry
 *       ({@link ResultCode#TCP_CF_HIT}) or, if nothing was stored, fetch for themselves;</li>
 *   <li>{@link #join}: the leader {@link Leader#publish publishes} as soon as the response headers
 *       arrive, typically status, headers and a {@link SharedBody}, so followers stream the body
 *       while it is still arriving; the key stays in flight until the leader closes its ticket.</li>
 * </ul>
 * A failure of the leader is the followers' failure too, so one origin failure is not retried once
 * per waiting client. Nothing is remembered after the leader closes: the store is the cache, this
 * is only the rendezvous.
 *
 * @param <T> what the leader publishes
 */
public final class Collapser<T> {
    private final ConcurrentHashMap<CacheKey, InFlight<T>> inFlight = new ConcurrentHashMap<>();

    /** What one caller of {@link #collapse} got: the fetch's value, and whether this caller ran the fetch. */
    public record Result<T>(T value, boolean leader) {
    }

    /** One fetch: its result, its followers, and whether a caller arriving now may still join it. */
    private record InFlight<T>(CompletableFuture<T> result, AtomicInteger followers, BooleanSupplier joinable) {
    }

    /** A caller's role for one key: leader (fetch and publish) or follower (await). */
    public sealed interface Ticket<T> permits Leader, Follower {
    }

    /** The caller that fetches; it must publish or fail, and close when the fetch (body included) is over. */
    public static final class Leader<T> implements Ticket<T>, AutoCloseable {
        private final Collapser<T> collapser;
        private final CacheKey key;
        private final InFlight<T> flight;

        private Leader(Collapser<T> collapser, CacheKey key, InFlight<T> flight) {
            this.collapser = collapser;
            this.key = key;
            this.flight = flight;
        }

        /** Hands {@code value} to every follower, present and future, until {@link #close()}. */
        public void publish(T value) {
            flight.result().complete(value);
        }

        /** How many callers have joined this fetch as followers. */
        public int followers() {
            return flight.followers().get();
        }

        /**
         * Takes no more followers: later callers start a fetch of their own. Returns whether any joined; once this
         * is false none ever will, so the fetch can be given up without cutting a follower off.
         */
        public boolean stopTakingFollowers() {
            collapser.inFlight.remove(key, flight); // a join counts itself inside the map's update, so it is counted now
            return followers() > 0;
        }

        /** Makes every follower fail with {@code cause}. */
        public void fail(Throwable cause) {
            flight.result().completeExceptionally(cause);
        }

        /** Ends the fetch: later callers start a new one. Followers still waiting fail if nothing was published. */
        @Override
        public void close() {
            if (!flight.result().isDone()) { // the usual case is published: spare it an exception and its stack trace
                flight.result().completeExceptionally(new IllegalStateException("the collapsed fetch of " + key + " ended without a result"));
            }
            collapser.inFlight.remove(key, flight);
        }
    }

    /** A caller that waits for the leader. */
    public static final class Follower<T> implements Ticket<T> {
        private final InFlight<T> flight;

        private Follower(InFlight<T> flight) {
            this.flight = flight;
        }

        /** Waits for what the leader publishes; throws what it failed with, as the cause of an {@link ExecutionException}. */
        public T await() throws InterruptedException, ExecutionException {
            return flight.result().get();
        }
    }

    /** Becomes the leader for {@code key} if no fetch is in flight, otherwise a follower of it. */
    public Ticket<T> join(CacheKey key) {
        return join(key, () -> true);
    }

    /**
     * As {@link #join(CacheKey)}, the fetch this caller would lead being joinable while {@code joinable} says so: a
     * caller that finds a fetch in flight that no longer is (its URI was invalidated after it started, say, so it
     * brings what the invalidation dropped) leads a new one instead. The old one carries on for its followers.
     */
    public Ticket<T> join(CacheKey key, BooleanSupplier joinable) {
        InFlight<T> mine = new InFlight<>(new CompletableFuture<>(), new AtomicInteger(), joinable);
        InFlight<T> running = inFlight.compute(key, (k, r) -> {
            if (r == null || !r.joinable().getAsBoolean()) return mine;
            r.followers().incrementAndGet(); // inside the update: see Leader#stopTakingFollowers
            return r;
        });
        return running == mine ? new Leader<>(this, key, mine) : new Follower<>(running);
    }

    /**
     * Runs {@code fetch} unless a fetch for {@code key} is already running, in which case waits for
     * that one. Followers get the leader's failure wrapped in an {@link ExecutionException}.
     */
    public Result<T> collapse(CacheKey key, Callable<T> fetch) throws Exception {
        return switch (join(key)) {
            case Follower<T> follower -> new Result<>(follower.await(), false);
            case Leader<T> leader -> {
                try {
                    T value = fetch.call();
                    leader.publish(value);
                    yield new Result<>(value, true);
                } catch (Exception | Error e) {
                    leader.fail(e);
                    throw e;
                } finally {
                    leader.close();
                }
            }
        };
    }

    /** How many callers have joined the fetch of {@code key} as followers (for stats and tests). */
    public int followers(CacheKey key) {
        InFlight<T> running = inFlight.get(key);
        return running == null ? 0 : running.followers().get();
    }

    /** How many keys are being fetched now. */
    public int inFlight() {
        return inFlight.size();
    }
}
