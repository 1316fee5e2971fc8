package dev.gatehouse.cache;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The fetches of each URI that may store a response, and the invalidations of that URI they live through (RFC 9111
 * §4.4, purges). A response on its way when its URI is invalidated answers the client that asked for it, but was
 * fetched before the invalidation: stored when its body ends, or handed to a request that came after, it would serve
 * again the content the invalidation dropped. A {@link Ticket} is taken before the store is read and held by the lookup
 * and by the writers made after it, and released when the last of them is done; so only URIs with fetches in flight
 * are tracked, however many invalidations there are.
 */
final class InFlightFetches {
    private final ConcurrentHashMap<CacheKey, Count> byUri = new ConcurrentHashMap<>();

    /** One URI's tickets out, and how often it was invalidated since the first was taken. */
    private static final class Count {
        /** Changed only inside the map's compute for the URI. */
        int tickets;
        volatile long invalidations;
    }

    /** Takes a ticket for a fetch of {@code uri}, with one holder: call before the store is read for it. */
    Ticket start(CacheKey uri) {
        long[] seen = new long[1];
        Count count = byUri.compute(uri, (k, c) -> {
            Count taken = c == null ? new Count() : c;
            taken.tickets++;
            seen[0] = taken.invalidations;
            return taken;
        });
        return new Ticket(uri, count, seen[0]);
    }

    /** {@code uri} was invalidated: every ticket out for it now says so. */
    void invalidated(CacheKey uri) {
        byUri.computeIfPresent(uri, (k, c) -> {
            c.invalidations++;
            return c;
        });
    }

    /** URIs with tickets out (for tests: every ticket is released in the end). */
    int tracked() {
        return byUri.size();
    }

    /** One fetch's claim: whether its URI was invalidated since it was taken. */
    final class Ticket {
        private final CacheKey uri;
        private final Count count;
        private final long seen;
        private final AtomicInteger holders = new AtomicInteger(1);

        private Ticket(CacheKey uri, Count count, long seen) {
            this.uri = uri;
            this.count = count;
            this.seen = seen;
        }

        /** Whether the URI was invalidated since the ticket was taken; true once it is released, when that is no longer seen. */
        boolean invalidated() {
            return holders.get() == 0 || count.invalidations != seen;
        }

        /** One more holder (a writer) keeps the ticket out; false if the last one has released it already. */
        boolean retain() {
            for (int n = holders.get(); n > 0; n = holders.get()) {
                if (holders.compareAndSet(n, n + 1)) return true;
            }
            return false;
        }

        /** One holder is done (each exactly once); the last one ends the claim, and then the URI's if it was the last. */
        void release() {
            if (holders.decrementAndGet() == 0) {
                byUri.computeIfPresent(uri, (k, c) -> --c.tickets == 0 ? null : c);
            }
        }
    }
}
