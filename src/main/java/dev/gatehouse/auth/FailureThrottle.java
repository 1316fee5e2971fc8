package dev.gatehouse.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;

/**
 * Slows down password guessing: after {@code maxFailures} failed logins from one client address within
 * {@code window} (counted from the latest failure), every further attempt from it that is not already
 * known to be right waits {@code delay} before it is checked. Users with a remembered good login are not
 * slowed; a guesser on many connections is slowed on each of them. Bounded in memory.
 */
public final class FailureThrottle {
    private static final int MAX_CLIENTS = 100_000;

    private final Cache<String, int[]> failures;
    private final int maxFailures;
    private final Duration delay;

    public FailureThrottle(int maxFailures, Duration window, Duration delay, Ticker ticker) {
        this.maxFailures = maxFailures;
        this.delay = delay;
        this.failures = Caffeine.newBuilder().maximumSize(MAX_CLIENTS).expireAfterWrite(window).ticker(ticker).build();
    }

    public FailureThrottle(int maxFailures, Duration window, Duration delay) {
        this(maxFailures, window, delay, Ticker.systemTicker());
    }

    /** Counts a failed login from {@code client}. */
    public void failed(String client) {
        // compute() rewrites the entry, so the window restarts at each failure.
        failures.asMap().compute(client, (k, n) -> n == null ? new int[] {1} : new int[] {n[0] + 1});
    }

    /** Forgets {@code client}'s failures (it logged in). */
    public void succeeded(String client) {
        failures.invalidate(client);
    }

    /** How long the next unremembered attempt from {@code client} must wait; zero when it is not throttled. */
    public Duration delayFor(String client) {
        int[] n = failures.getIfPresent(client);
        return n != null && n[0] >= maxFailures ? delay : Duration.ZERO;
    }
}
