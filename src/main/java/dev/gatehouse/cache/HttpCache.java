package dev.gatehouse.cache;

import java.io.Closeable;
import java.time.Clock;
import java.util.Optional;

import dev.gatehouse.cache.CacheDecision.Outcome;

/**
 * The shared HTTP cache as the forward path sees it: looks requests up, stores responses as they
 * stream, applies 304s and invalidations, joining a {@link CachePolicy} to a {@link CacheStore} and
 * a clock.
 *
 * <p>One variant is stored per URI: a response with {@code Vary} is reused only by requests that
 * select the same values (RFC 9111 §4.1), and a response for another variant replaces it.
 */
public final class HttpCache {
    private final CachePolicy policy;
    private final CacheStore store;
    private final Clock clock;

    public HttpCache(CachePolicy policy, CacheStore store, Clock clock) {
        this.policy = policy;
        this.store = store;
        this.clock = clock;
    }

    /** The policy this cache decides with. */
    public CachePolicy policy() {
        return policy;
    }

    /** The current time of this cache's clock, for request and response times (RFC 9111 §4.2.3). */
    public long now() {
        return clock.millis();
    }

    /**
     * Looks {@code request} up and decides (RFC 9111 §4). The lookup holds the stored body open
     * when the decision may use it; close it when the exchange is done.
     *
     * @param revalidatesInBackground whether the caller revalidates after serving a stale response
     *        ({@link Outcome#STALE_WHILE_REVALIDATE}, RFC 5861 §3); see {@link CachePolicy#decide}
     */
    public Lookup lookup(CacheRequest request, boolean revalidatesInBackground) {
        long now = clock.millis();
        if (!request.readsCache()) {
            return new Lookup(request, policy.decide(request, null, now, revalidatesInBackground), null, now);
        }
        Optional<CacheStore.StoredResponse> stored = store.open(request.key());
        CacheDecision decision = policy.decide(request, stored.map(CacheStore.StoredResponse::entry).orElse(null), now,
                revalidatesInBackground);
        CacheStore.StoredResponse response = stored.orElse(null);
        if (response != null && response.fromMemory()) {
            decision = new CacheDecision(decision.outcome(), decision.resultCode().fromMemory(), decision.ageSeconds());
        }
        if (decision.outcome() == Outcome.MISS || decision.outcome() == Outcome.UNSATISFIABLE_504) {
            stored.ifPresent(CacheStore.StoredResponse::close);
            response = null;
        }
        return new Lookup(request, decision, response, now);
    }

    /**
     * The lookup of {@code request} if it can be answered without blocking: a fresh hit or a satisfied
     * client conditional from the memory tier ({@link ResultCode#TCP_MEM_HIT} and the like); empty
     * otherwise, and then {@link #lookup} decides on a thread that may block.
     */
    public Optional<Lookup> lookupInMemory(CacheRequest request) {
        if (!request.readsCache()) {
            return Optional.empty();
        }
        Optional<CacheStore.StoredResponse> stored = store.openInMemory(request.key());
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        long now = clock.millis();
        // A stale response is never answered here, however it would be revalidated.
        CacheDecision decision = policy.decide(request, stored.get().entry(), now, false);
        if (decision.outcome() != Outcome.HIT && decision.outcome() != Outcome.NOT_MODIFIED) {
            stored.get().close();
            return Optional.empty();
        }
        decision = new CacheDecision(decision.outcome(), decision.resultCode().fromMemory(), decision.ageSeconds());
        return Optional.of(new Lookup(request, decision, stored.get(), now));
    }

    /**
     * A writer to tee the origin's response body into, or empty if the response must not be stored
     * (and when the response itself forbids storing, any stored response for the URI is dropped,
     * see {@link CachePolicy#forbidsStoredCopy}). Wrap the origin body in a
     * {@link CachingInputStream} with it.
     */
    public Optional<CacheStore.Writer> writer(CacheRequest request, int status, CacheHeaders response,
                                              long requestTimeMillis, long responseTimeMillis, long contentLength) {
        Optional<CacheEntry> entry = policy.entryFor(request, status, response, requestTimeMillis, responseTimeMillis);
        if (entry.isEmpty()) {
            if (policy.forbidsStoredCopy(request, status, response)) {
                store.remove(request.key());
            }
            return Optional.empty();
        }
        return store.writer(request.key(), entry.get(), contentLength);
    }

    /**
     * Applies the origin's 304 to the revalidated entry (RFC 9111 §4.3.4) and stores the result;
     * empty if the 304 does not match the stored response, which must then be fetched again
     * without conditionals.
     */
    public Optional<CacheEntry> notModified(Lookup lookup, CacheHeaders notModified, long requestTimeMillis, long responseTimeMillis) {
        if (lookup.stored == null) {
            return Optional.empty();
        }
        Optional<CacheEntry> merged = policy.mergeNotModified(lookup.stored.entry(), notModified, requestTimeMillis, responseTimeMillis);
        merged.ifPresent(entry -> store.update(lookup.request.key(), entry));
        return merged;
    }

    /** The headers to send with {@code entry} now, including {@code Age} (RFC 9111 §5.1). */
    public CacheHeaders responseHeaders(CacheEntry entry) {
        return policy.responseHeaders(entry, clock.millis());
    }

    /** Whether the looked-up stale entry may be served because revalidation failed (RFC 5861 §4). */
    public boolean mayServeStaleOnError(Lookup lookup) {
        return lookup.stored != null && policy.mayServeStaleOnError(lookup.request, lookup.stored.entry(), clock.millis());
    }

    /** Drops what an unsafe request may have changed (RFC 9111 §4.4); call after every response to a non-GET/HEAD. */
    public void invalidate(CacheRequest request, int status, CacheHeaders response) {
        policy.invalidations(request, status, response).forEach(store::remove);
    }

    /** Drops the stored response for {@code key} (admin purge); false if none was stored. */
    public boolean purge(CacheKey key) {
        Optional<CacheStore.StoredResponse> stored = store.open(key);
        stored.ifPresent(CacheStore.StoredResponse::close);
        store.remove(key);
        return stored.isPresent();
    }

    /**
     * One lookup's outcome: the decision, the stored response it may use, and the headers that go
     * with it (made when first asked for: a memory hit whose head the listener prepared once per stored
     * response needs only the decision's age).
     */
    public final class Lookup implements Closeable {
        private final CacheRequest request;
        private final CacheDecision decision;
        private final CacheStore.StoredResponse stored;
        private final long nowMillis;
        private CacheHeaders headers;

        private Lookup(CacheRequest request, CacheDecision decision, CacheStore.StoredResponse stored, long nowMillis) {
            this.request = request;
            this.decision = decision;
            this.stored = stored;
            this.nowMillis = nowMillis;
        }

        /**
         * What to do, and the result code for the audit log; its {@link CacheDecision#ageSeconds()} is the
         * {@code Age} value {@link #headers()} carries for HIT, STALE_WHILE_REVALIDATE and NOT_MODIFIED.
         */
        public CacheDecision decision() {
            return decision;
        }

        /**
         * The stored response: present for HIT, NOT_MODIFIED, STALE_WHILE_REVALIDATE and
         * STALE_NEEDS_REVALIDATION (to serve after a 304 or on error), empty otherwise.
         */
        public Optional<CacheStore.StoredResponse> stored() {
            return Optional.ofNullable(stored);
        }

        /**
         * For HIT and STALE_WHILE_REVALIDATE the response headers (with {@code Age}); for
         * NOT_MODIFIED the 304's headers; for STALE_NEEDS_REVALIDATION the request headers to send
         * upstream (with the stored validators); empty otherwise. All as of the lookup's time.
         */
        public CacheHeaders headers() {
            CacheHeaders made = headers;
            if (made == null) {
                made = switch (decision.outcome()) {
                    case HIT, STALE_WHILE_REVALIDATE -> policy.responseHeaders(stored.entry(), nowMillis);
                    case NOT_MODIFIED -> policy.notModifiedHeaders(stored.entry(), nowMillis);
                    case STALE_NEEDS_REVALIDATION -> policy.conditionalRequest(request.headers(), stored.entry());
                    case MISS, UNSATISFIABLE_504 -> CacheHeaders.empty();
                };
                headers = made;
            }
            return made;
        }

        @Override
        public void close() {
            if (stored != null) {
                stored.close();
            }
        }
    }
}
