package dev.gatehouse.cache;

import java.io.Closeable;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One lookup's outcome ({@link HttpCache#lookup}, {@link HttpCache#lookupInMemory}): the decision, the stored
 * response it may use, and the headers that go with it (made when first asked for: a memory hit whose head the
 * listener prepared once per stored response needs only the decision's age). What it found under the URI's key
 * also serves {@link HttpCache#writer} when the response fetched after it is stored, even once the lookup is
 * closed; but only a writer made while it was open may store (see {@link #invalidatedSince}).
 */
public final class CacheLookup implements Closeable {
    private final CachePolicy policy;
    private final CacheRequest request;
    private final CacheDecision decision;
    private final CacheStore.StoredResponse stored;
    /** The key {@code stored} is stored under: the URI's, or its variant's. */
    private final CacheKey storedKey;
    /** The secondary keys of the variants listed under the URI's key when it was looked up. */
    private final List<String> listedVariants;
    /** The stripe's count of lists written before the lookup read the URI's key; -1: unknown. */
    private final long listsSeen;
    private final long nowMillis;
    /** This lookup's claim to store what it fetches; null for a memory hit, which fetches nothing. */
    private final InFlightFetches.Ticket ticket;
    /** Whether close() has yet to release the ticket; null without one (a memory hit: nothing to release, no flag). */
    private final AtomicBoolean holdsTicket;
    private CacheHeaders headers;

    /**
     * @param stored         the stored response the decision may use, or null; this lookup closes it
     * @param storedKey      the key {@code stored} is stored under, or null
     * @param listedVariants the secondary keys of the variants listed under the URI's key
     */
    CacheLookup(CachePolicy policy, CacheRequest request, CacheDecision decision, CacheStore.StoredResponse stored,
                CacheKey storedKey, List<String> listedVariants, long listsSeen, long nowMillis, InFlightFetches.Ticket ticket) {
        this.policy = policy;
        this.request = request;
        this.decision = decision;
        this.stored = stored;
        this.storedKey = storedKey;
        this.listedVariants = listedVariants;
        this.listsSeen = listsSeen;
        this.nowMillis = nowMillis;
        this.ticket = ticket;
        this.holdsTicket = ticket == null ? null : new AtomicBoolean(true);
    }

    /**
     * Whether the URI was invalidated (or purged) after this lookup: then a response fetched after it was on its
     * way before the invalidation, and is neither stored nor shared with requests that come later. True also for a
     * memory hit, which fetches nothing, and once the lookup and the writers made after it are all closed.
     */
    public boolean invalidatedSince() {
        return ticket == null || ticket.invalidated();
    }

    /** The key the stored response is kept under: the URI's, or that of the variant the request selected. */
    public CacheKey storedKey() {
        return storedKey;
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

    /** Releases the stored response, and its part of the claim to store what was fetched after it (writers hold the rest). */
    @Override
    public void close() {
        if (stored != null) {
            stored.close();
        }
        if (holdsTicket != null && holdsTicket.compareAndSet(true, false)) ticket.release();
    }

    // ---- for HttpCache and the writers it makes ----

    CacheRequest request() {
        return request;
    }

    /** The stored response, or null: {@link #stored()} without the wrapper. */
    CacheStore.StoredResponse storedOrNull() {
        return stored;
    }

    List<String> listedVariants() {
        return listedVariants;
    }

    long listsSeen() {
        return listsSeen;
    }

    /** The claim a writer made after this lookup takes a share of, or null for a memory hit. */
    InFlightFetches.Ticket ticket() {
        return ticket;
    }
}
