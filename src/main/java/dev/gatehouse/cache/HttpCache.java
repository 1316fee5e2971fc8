package dev.gatehouse.cache;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

import dev.gatehouse.cache.CacheDecision.Outcome;

/**
 * The shared HTTP cache as the forward path sees it: looks requests up, stores responses as they
 * stream, applies 304s (and a HEAD's 200, RFC 9111 §4.3.5) and invalidations, joining a {@link CachePolicy}
 * to a {@link CacheStore} and a clock.
 *
 * <p>A response without {@code Vary} is stored under its URI's key. Responses with {@code Vary} are kept
 * side by side, up to {@code maxVariants} per URI, each under its own key, and found through the
 * {@link Variants} stored under the URI's key (RFC 9111 §4.1): so clients that alternate between
 * variants (another {@code Accept-Encoding} or {@code Accept-Language}) all get hits. A new variant
 * beyond the bound drops the oldest; a response with other {@code Vary} names, or none, drops them all. So does a
 * 304 whose {@code Vary} changes the stored response's: that response is stored again as a new one would be.
 * Invalidation and purges drop every variant of the URI.
 *
 * <p>A response fetched before its URI was invalidated (§4.4) or purged is not stored, even when its body ends after:
 * each lookup (and each writer made after it) holds a ticket on its URI ({@link InFlightFetches}), and the commit and
 * the invalidation take the URI's lock, so a commit either precedes the invalidation (which then drops it) or sees it.
 */
public final class HttpCache {
    /** Variants kept per URI unless configured otherwise. */
    public static final int DEFAULT_MAX_VARIANTS = 8;
    private static final int LOCK_STRIPES = 64;

    private final CachePolicy policy;
    private final CacheStore store;
    private final Clock clock;
    private final int maxVariants;
    /**
     * Serialises changes to one URI's list of variants (read, change, write back), striped by key. Locks, not
     * monitors: the holder writes to disk on a virtual thread, which a monitor would pin before JDK 24 (JEP 491).
     */
    private final ReentrantLock[] variantLocks = new ReentrantLock[LOCK_STRIPES];
    /**
     * Lists of variants written, per lock stripe: a lookup's list is still the stored one if its stripe's count
     * has not moved since, so storing a response without {@code Vary} need not read the URI's key again.
     */
    private final AtomicLongArray listsWritten = new AtomicLongArray(LOCK_STRIPES);
    private final InFlightFetches fetches = new InFlightFetches();

    public HttpCache(CachePolicy policy, CacheStore store, Clock clock) {
        this(policy, store, clock, DEFAULT_MAX_VARIANTS);
    }

    /** A cache keeping at most {@code maxVariants} (at least 1) responses per URI that differ by {@code Vary}. */
    public HttpCache(CachePolicy policy, CacheStore store, Clock clock, int maxVariants) {
        if (maxVariants < 1) {
            throw new IllegalArgumentException("at least one variant per URI must be kept, got " + maxVariants);
        }
        this.policy = policy;
        this.store = store;
        this.clock = clock;
        this.maxVariants = maxVariants;
        Arrays.setAll(variantLocks, i -> new ReentrantLock());
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
    public CacheLookup lookup(CacheRequest request, boolean revalidatesInBackground) {
        long now = clock.millis();
        long listsSeen = listsWritten.get(stripe(request.key())); // before the list is read
        InFlightFetches.Ticket ticket = fetches.start(request.key()); // before the store is read: see InFlightFetches
        if (!request.readsCache()) {
            return lookupOf(request, policy.decide(request, null, now, revalidatesInBackground), Found.NOTHING, listsSeen, now, ticket);
        }
        Found found = open(request, false);
        CacheStore.StoredResponse response = found.response();
        CacheDecision decision = policy.decide(request, response == null ? null : response.entry(), now, revalidatesInBackground);
        if (response != null && response.fromMemory()) {
            decision = new CacheDecision(decision.outcome(), decision.resultCode().fromMemory(), decision.ageSeconds());
        }
        if (response != null && (decision.outcome() == Outcome.MISS || decision.outcome() == Outcome.UNSATISFIABLE_504)) {
            response.close();
            found = found.withoutResponse();
        }
        return lookupOf(request, decision, found, listsSeen, now, ticket);
    }

    private CacheLookup lookupOf(CacheRequest request, CacheDecision decision, Found found, long listsSeen, long nowMillis,
                                 InFlightFetches.Ticket ticket) {
        return new CacheLookup(policy, request, decision, found.response(), found.key(), found.listed(), listsSeen, nowMillis, ticket);
    }

    /**
     * What a lookup found: the stored response the request selects and the key it is stored under (both null
     * when there is none), and the secondary keys of the variants listed under the URI's key (none when that
     * holds a response, or nothing). Storing a response for the URI needs the list, so the lookup keeps it.
     */
    private record Found(CacheKey key, CacheStore.StoredResponse response, List<String> listed) {
        static final Found NOTHING = new Found(null, null, List.of());

        Found withoutResponse() {
            return listed.isEmpty() ? NOTHING : new Found(null, null, listed);
        }
    }

    /**
     * What is stored for {@code request}: the response under its URI's key, or, where that key holds the
     * URI's {@link Variants}, the variant whose secondary key the request has (RFC 9111 §4.1).
     */
    private Found open(CacheRequest request, boolean inMemoryOnly) {
        CacheKey key = request.key();
        Optional<CacheStore.StoredResponse> stored = open(key, inMemoryOnly);
        if (stored.isEmpty()) {
            return Found.NOTHING;
        }
        Optional<Variants> variants = Variants.of(stored.get().entry());
        if (variants.isEmpty()) {
            return new Found(key, stored.get(), List.of());
        }
        stored.get().close();
        List<String> listed = variants.get().secondaryKeys();
        return variants.get().select(request.headers()).flatMap(secondaryKey -> {
            CacheKey variantKey = Variants.keyOf(key, secondaryKey);
            return open(variantKey, inMemoryOnly).map(variant -> new Found(variantKey, variant, listed));
        }).orElseGet(() -> new Found(null, null, listed));
    }

    private Optional<CacheStore.StoredResponse> open(CacheKey key, boolean inMemoryOnly) {
        return inMemoryOnly ? store.openInMemory(key) : store.open(key);
    }

    /**
     * The lookup of {@code request} if it can be answered without blocking: a fresh hit or a satisfied
     * client conditional from the memory tier ({@link ResultCode#TCP_MEM_HIT} and the like); empty
     * otherwise, and then {@link #lookup} decides on a thread that may block.
     */
    public Optional<CacheLookup> lookupInMemory(CacheRequest request) {
        if (!request.readsCache()) {
            return Optional.empty();
        }
        Found found = open(request, true);
        CacheStore.StoredResponse stored = found.response();
        if (stored == null) {
            return Optional.empty();
        }
        long now = clock.millis();
        // A stale response is never answered here, however it would be revalidated.
        CacheDecision decision = policy.decide(request, stored.entry(), now, false);
        if (decision.outcome() != Outcome.HIT && decision.outcome() != Outcome.NOT_MODIFIED) {
            stored.close();
            return Optional.empty();
        }
        decision = new CacheDecision(decision.outcome(), decision.resultCode().fromMemory(), decision.ageSeconds());
        return Optional.of(lookupOf(request, decision, found, -1, now, null)); // a hit: never followed by a store
    }

    /**
     * A writer to tee the origin's response to {@code request} into, or empty if the response must not be
     * stored (and when the response itself forbids storing, every stored response for the URI is dropped,
     * see {@link CachePolicy#forbidsStoredCopy}). Wrap the origin body in a {@link CachingInputStream} with
     * it. A response with {@code Vary} joins the URI's variants when committed; one without replaces them.
     *
     * @param looked the lookup this fetch follows, of the same URI ({@code request}'s own, or the client's
     *               whose miss started it): what it found under the URI's key tells which variants a response
     *               without {@code Vary} replaces, so that key is not read again here; and while it is open
     *               (or a writer made after it is), whether the URI was invalidated since, which the commit checks
     */
    public Optional<CacheStore.Writer> writer(CacheLookup looked, CacheRequest request, int status, CacheHeaders response,
                                              long requestTimeMillis, long responseTimeMillis, long contentLength) {
        CacheKey key = request.key();
        if (!looked.request().key().equals(key)) {
            throw new IllegalArgumentException("a lookup of " + looked.request().key() + " cannot store a response for " + key);
        }
        Optional<CacheEntry> entry = policy.entryFor(request, status, response, requestTimeMillis, responseTimeMillis);
        if (entry.isEmpty()) {
            if (policy.forbidsStoredCopy(request, status, response)) {
                removeAll(key);
            }
            return Optional.empty();
        }
        return writer(looked, entry.get(), response, contentLength, () -> true);
    }

    /**
     * A writer for {@code entry}, a response for the URI {@code looked} is of: under the URI's key when it has no
     * {@code Vary} (replacing the variants when committed), else under its variant's key, listed then.
     *
     * @param vary          the fields whose {@code Vary} the URI's list of variants takes
     * @param stillWanted   asked under the URI's lock just before the commit; false aborts it
     */
    private Optional<CacheStore.Writer> writer(CacheLookup looked, CacheEntry entry, CacheHeaders vary, long contentLength,
                                               BooleanSupplier stillWanted) {
        CacheKey key = looked.request().key();
        String secondaryKey = entry.secondaryKey();
        if (secondaryKey.isEmpty()) {
            // Committed, the response replaces the list under the key and so makes the variants unreachable: they
            // are dropped then, not before, so a body that is never stored (aborted, too large) leaves them served.
            return store.writer(key, entry, contentLength).map(writer -> new OnCommitWriter(writer, looked, lockFor(key),
                    w -> stillWanted.getAsBoolean() && commitReplacing(key, looked, w)));
        }
        return store.writer(Variants.keyOf(key, secondaryKey), entry, contentLength)
                .map(writer -> new OnCommitWriter(writer, looked, lockFor(key), w -> {
                    boolean committed = stillWanted.getAsBoolean() && w.commit();
                    if (committed) addVariant(key, vary, secondaryKey);
                    return committed;
                }));
    }

    /**
     * Commits a response without {@code Vary} in place of the URI's variants and drops them. The list the lookup
     * found is used unless one may have been written since (only then is the key read again): a variant listed
     * meanwhile would otherwise stay stored, unreachable.
     */
    private boolean commitReplacing(CacheKey key, CacheLookup looked, CacheStore.Writer writer) {
        List<String> displaced = listsWritten.get(stripe(key)) == looked.listsSeen() ? looked.listedVariants()
                : storedVariants(key).map(Variants::secondaryKeys).orElse(List.of());
        boolean committed = writer.commit();
        if (committed) removeVariants(key, displaced);
        return committed;
    }

    /** Records a committed variant as the URI's newest, dropping those it displaces. */
    private void addVariant(CacheKey key, CacheHeaders response, String secondaryKey) {
        List<String> dropped = new ArrayList<>();
        ReentrantLock lock = lockFor(key);
        lock.lock();
        try {
            Optional<Variants> stored = storedVariants(key);
            Variants kept = stored.filter(variants -> variants.sameFields(response)).orElse(null);
            if (kept == null) {
                // none, or selected by other fields (§4.1): never served for this Vary
                stored.ifPresent(variants -> removeVariants(key, variants.secondaryKeys()));
                kept = Variants.none(response);
            }
            Variants updated = kept.withNewest(secondaryKey, maxVariants, dropped);
            store.writer(key, updated.entry(clock.millis()), 0).ifPresent(writer -> {
                try (writer) {
                    writer.commit();
                }
            });
            listsWritten.incrementAndGet(stripe(key));
            // Inside the lock: a variant dropped here and stored again by another thread right after stays stored.
            removeVariants(key, dropped);
        } finally {
            lock.unlock();
        }
    }

    /** The entry stored under {@code key} (a response, or a list of variants), if any; its body is not read. */
    private Optional<CacheEntry> storedEntry(CacheKey key) {
        Optional<CacheStore.StoredResponse> stored = store.open(key);
        stored.ifPresent(CacheStore.StoredResponse::close);
        return stored.map(CacheStore.StoredResponse::entry);
    }

    /** The variants listed under {@code key}, if it holds such a list. */
    private Optional<Variants> storedVariants(CacheKey key) {
        return storedEntry(key).flatMap(Variants::of);
    }

    /** Drops the variants of {@code key} with these secondary keys, leaving any list that names them. */
    private void removeVariants(CacheKey key, List<String> secondaryKeys) {
        secondaryKeys.forEach(secondary -> store.remove(Variants.keyOf(key, secondary)));
    }

    /**
     * Drops everything stored for the URI of {@code key}, as {@link #removeAll}, and what the fetches of it in flight
     * bring back: they were sent before (RFC 9111 §4.4, a purge); true if something was stored.
     */
    private boolean invalidateAll(CacheKey key) {
        ReentrantLock lock = lockFor(key);
        lock.lock();
        try {
            fetches.invalidated(key);
            return removeAll(key);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Drops everything stored for the URI of {@code key}: its response, or its variants and their list; true if
     * something was stored under it.
     */
    private boolean removeAll(CacheKey key) {
        ReentrantLock lock = lockFor(key);
        lock.lock();
        try {
            Optional<CacheEntry> stored = storedEntry(key);
            stored.flatMap(Variants::of).ifPresent(variants -> removeVariants(key, variants.secondaryKeys()));
            store.remove(key);
            return stored.isPresent();
        } finally {
            lock.unlock();
        }
    }

    private ReentrantLock lockFor(CacheKey key) {
        return variantLocks[stripe(key)];
    }

    private static int stripe(CacheKey key) {
        return Math.floorMod(key.hashCode(), LOCK_STRIPES);
    }

    /**
     * Applies the origin's 304 to the revalidated entry (RFC 9111 §4.3.4) and stores the result;
     * empty if the 304 does not match the stored response, which must then be fetched again
     * without conditionals.
     */
    public Optional<CacheEntry> notModified(CacheLookup lookup, CacheHeaders notModified, long requestTimeMillis, long responseTimeMillis) {
        CacheStore.StoredResponse stored = lookup.storedOrNull();
        if (stored == null) {
            return Optional.empty();
        }
        Optional<CacheEntry> merged = policy.mergeNotModified(stored.entry(), notModified, requestTimeMillis, responseTimeMillis);
        merged.ifPresent(entry -> {
            // A 304 can make the stored response private, no-store or Vary: * (§3.2 merges its Cache-Control): that
            // response may then answer this client, but no longer be kept for others (§3, §5.2.2.7).
            if (policy.forbidsStoredCopy(lookup.request(), entry.status(), entry.headers())) {
                removeIfStill(lookup);
            } else {
                update(lookup, entry);
            }
        });
        return merged;
    }

    /**
     * Applies the origin's answer to a HEAD that was forwarded after {@code lookup} (a stale stored GET response, or
     * the client's no-cache) to that stored response (RFC 9111 §4.3.5): a 200 describing the same representation
     * refreshes its fields and freshness as a 304 would (§4.3.4); one describing another drops it, so that it is not
     * served as fresh any more (the next GET fetches the new one). Any other answer changes nothing. True if the
     * stored response was refreshed.
     */
    public boolean headAnswered(CacheLookup lookup, int status, CacheHeaders head, long requestTimeMillis, long responseTimeMillis) {
        CacheStore.StoredResponse stored = lookup.storedOrNull();
        if (stored == null || status != 200 || !lookup.request().method().equals("HEAD")) {
            return false;
        }
        if (policy.forbidsStoredCopy(lookup.request(), status, head)) {
            removeAll(lookup.request().key()); // the GET's answer would now be no-store, private or Vary: * too
            return false;
        }
        Optional<CacheEntry> merged = policy.mergeHead(stored.entry(), stored.bodyLength(), head, requestTimeMillis, responseTimeMillis);
        if (merged.isEmpty()) {
            removeIfStill(lookup);
            return false;
        }
        update(lookup, merged.get());
        return true;
    }

    /**
     * Stores {@code refreshed} for the response {@code lookup} found: that variant only (§4.3.4), and only if the
     * response validated is still the one stored. Where the refreshed fields name other {@code Vary} fields, it is
     * filed again, see {@link #rekey}.
     */
    private void update(CacheLookup lookup, CacheEntry refreshed) {
        CacheEntry validated = lookup.storedOrNull().entry();
        if (Objects.equals(validated.headers().responseFacts().varyNames(), refreshed.headers().responseFacts().varyNames())) {
            store.update(lookup.storedKey(), validated, refreshed);
        } else {
            rekey(lookup, refreshed);
        }
    }

    /**
     * Stores {@code refreshed}, whose {@code Vary} (merged from a 304 or a HEAD's 200, §3.2) names other fields than
     * the validated response's, as the variant the request that revalidated it selects under the new {@code Vary}
     * (§4.1, §4.3.4), and drops the old one: kept under its old secondary key, it would be matched against fields
     * the origin no longer selects by. The body is copied as a response fetched after the lookup is stored, so every
     * commit's rule holds (the bound on variants, a response without {@code Vary} replacing them, other names
     * retiring them, the old copy dropped with them, both tiers and the disk's metadata). As for an update, only
     * while the response validated is still the one stored: checked under the URI's lock, so a commit meanwhile wins.
     */
    private void rekey(CacheLookup lookup, CacheEntry refreshed) {
        CacheEntry validated = lookup.storedOrNull().entry();
        // Vary: * never gets here: forbidsStoredCopy dropped the stored response instead
        String secondaryKey = SecondaryKey.of(refreshed.headers(), lookup.request().headers()).orElseThrow();
        CacheEntry rekeyed = refreshed.withSecondaryKey(secondaryKey);
        boolean committed = false;
        // Opened again rather than read from the lookup's, which the caller may be sending to its client.
        Optional<CacheStore.StoredResponse> stored = store.open(lookup.storedKey());
        if (stored.isPresent()) {
            try (CacheStore.StoredResponse body = stored.get(); InputStream in = body.body();
                 CacheStore.Writer writer = !body.entry().equals(validated) ? null
                         : writer(lookup, rekeyed, refreshed.headers(), body.bodyLength(), () -> stillStored(lookup)).orElse(null)) {
                if (writer != null) {
                    in.transferTo(writer.body());
                    committed = writer.commit();
                }
            } catch (IOException e) {
                // not filed again: dropped below
            }
        }
        if (!committed) {
            removeIfStill(lookup); // filed under the old Vary, it would be matched against the wrong fields
        }
    }

    /**
     * Drops the response {@code lookup} found, that variant only, if it is still the one stored: under the URI's lock,
     * so a response committed meanwhile (which holds the lock to commit) is not dropped in its place.
     */
    private void removeIfStill(CacheLookup lookup) {
        ReentrantLock lock = lockFor(lookup.request().key());
        lock.lock();
        try {
            if (stillStored(lookup)) {
                store.remove(lookup.storedKey());
            }
        } finally {
            lock.unlock();
        }
    }

    /** Whether the response {@code lookup} found is still the one stored under its key. */
    private boolean stillStored(CacheLookup lookup) {
        return storedEntry(lookup.storedKey()).filter(lookup.storedOrNull().entry()::equals).isPresent();
    }

    /** The headers to send with {@code entry} now, including {@code Age} (RFC 9111 §5.1). */
    public CacheHeaders responseHeaders(CacheEntry entry) {
        return policy.responseHeaders(entry, clock.millis());
    }

    /** Whether the looked-up stale entry may be served because revalidation failed (RFC 5861 §4). */
    public boolean mayServeStaleOnError(CacheLookup lookup) {
        CacheStore.StoredResponse stored = lookup.storedOrNull();
        return stored != null && policy.mayServeStaleOnError(lookup.request(), stored.entry(), clock.millis());
    }

    /**
     * Drops what an unsafe request may have changed (RFC 9111 §4.4); call after every response to a non-GET/HEAD, before
     * the client has it, so that none of its later requests finds what was dropped.
     */
    public void invalidate(CacheRequest request, int status, CacheHeaders response) {
        policy.invalidations(request, status, response).forEach(this::invalidateAll);
    }

    /** Drops every stored response for {@code key}, all its variants included (admin purge); false if none was stored. */
    public boolean purge(CacheKey key) {
        return invalidateAll(key);
    }

    /**
     * URIs with lookups or writers still open, whose fetches an invalidation would mark; 0 once the proxy is idle
     * (so a count that stays up is a lookup never closed). Shown on {@code /stats}.
     */
    public int urisInFlight() {
        return fetches.tracked();
    }
}
