package dev.gatehouse.cache;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.gatehouse.cache.CacheDecision.Outcome;
import dev.gatehouse.http.RequestTarget;

/**
 * Decides, as a shared cache under RFC 9111 and RFC 5861, whether a response may be stored and
 * whether a stored response may answer a request; pure code, with the time passed in.
 *
 * <p>The forward path uses it in this order:
 * <ol>
 *   <li>{@link #decide} with the stored entry (or {@code null}) gives a {@link CacheDecision};</li>
 *   <li>on {@code STALE_NEEDS_REVALIDATION}, send {@link #conditionalRequest} upstream (one for concurrent
 *       requests where {@link #mayCollapseRevalidation} allows); on a 304,
 *       {@link #mergeNotModified} gives the updated entry (and {@link #mergeHead} for a HEAD's 200, §4.3.5);
 *       {@link #afterRevalidation} names the result;
 *       on an error, {@link #mayServeStaleOnError} says whether the stale entry may still be served;</li>
 *   <li>on a miss, {@link #entryFor} says whether (and with which headers) to store the response;</li>
 *   <li>after any unsafe request, {@link #invalidations} lists the keys to drop (§4.4).</li>
 * </ol>
 */
public final class CachePolicy {
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");
    /**
     * The final status codes RFC 9110 §15 defines, whose caching rules this cache implements: with
     * {@code must-understand} (RFC 9111 §5.2.2.3) only these are stored.
     */
    private static final Set<Integer> UNDERSTOOD_STATUSES = Set.of(200, 201, 202, 203, 204, 205, 206, 300, 301, 302, 303, 304,
            305, 307, 308, 400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 421, 422,
            426, 500, 501, 502, 503, 504, 505);

    private final Freshness freshness;

    private CachePolicy(Freshness freshness) {
        this.freshness = freshness;
    }

    /**
     * A policy whose heuristic freshness (§4.2.2) is {@code fraction} of the time since
     * Last-Modified, at most {@code capMillis}.
     */
    public static CachePolicy withHeuristic(double fraction, long capMillis) {
        return withHeuristic(List.of(), fraction, capMillis);
    }

    /**
     * A policy whose heuristic freshness (§4.2.2) comes from the first of {@code rules} that matches the URL,
     * and otherwise is {@code fraction} of the time since Last-Modified, at most {@code capMillis}.
     *
     * @throws IllegalArgumentException if the fraction is outside [0, 1] or the cap negative
     */
    public static CachePolicy withHeuristic(List<HeuristicRule> rules, double fraction, long capMillis) {
        return new CachePolicy(new Freshness(rules, HeuristicRule.everyUrl(fraction, capMillis)));
    }

    /** The usual heuristic: 10% of the time since Last-Modified (§4.2.2), at most one day. */
    public static CachePolicy defaults() {
        return withHeuristic(0.1, 24 * 3600 * 1000L);
    }

    // ---- storing (§3) ----

    /**
     * Why the response to {@code request} must not be stored by a shared cache, or empty if it may
     * be (RFC 9111 §3, §3.5, and Gatehouse's privacy rules).
     */
    public Optional<String> whyNotStorable(CacheRequest request, int status, CacheHeaders response) {
        CacheControl requestCc = CacheControl.of(request.headers());
        CacheControl responseCc = CacheControl.of(response);
        // Only GET is keyed and stored; HEAD is answered from the stored GET (§4).
        if (!request.method().equals("GET")) {
            return Optional.of("method " + request.method() + " is not stored");
        }
        // §3: a final status the cache understands; partial content (206) and 304 are not stored whole.
        if (status < 200 || status == 206 || status == 304 || status > 599) {
            return Optional.of("status " + status + " is not stored");
        }
        // §3, §5.2.2.3: with must-understand, a status whose caching rules the cache does not know is not stored
        if (responseCc.has("must-understand") && !UNDERSTOOD_STATUSES.contains(status)) {
            return Optional.of("must-understand with status " + status + ", which is not understood (§5.2.2.3)");
        }
        if (requestCc.has("no-store") || forbidsStoring(responseCc, status)) {
            return Optional.of("no-store (§5.2.1.5, §5.2.2.5)");
        }
        // §5.2.2.7: a shared cache must not store a private response. The qualified form would allow
        // storing without the named fields; Gatehouse does not store it at all.
        if (responseCc.has("private")) {
            return Optional.of("private (§5.2.2.7)");
        }
        if (response.elements("Vary").contains("*")) {
            return Optional.of("Vary: * never matches (§4.1)");
        }
        boolean explicitlyShared = responseCc.has("public") || responseCc.has("s-maxage");
        // §3.5: a request with Authorization may be stored only if the origin says so.
        if (request.headers().has("Authorization") && !explicitlyShared && !responseCc.has("must-revalidate")) {
            return Optional.of("request has Authorization without public, s-maxage or must-revalidate (§3.5)");
        }
        // Gatehouse rule: cookies mark a personalised exchange unless the origin explicitly shares it.
        if (request.headers().has("Cookie") && !explicitlyShared) {
            return Optional.of("request has Cookie without public or s-maxage");
        }
        if (response.has("Set-Cookie") && !explicitlyShared) {
            return Optional.of("response sets a cookie without public or s-maxage");
        }
        // §3: explicit freshness, public, or a heuristically cacheable status.
        if (!Freshness.hasExplicitExpiration(response, responseCc) && !responseCc.has("public")
                && !Freshness.HEURISTICALLY_CACHEABLE.contains(status)) {
            return Optional.of("status " + status + " has no explicit freshness and is not heuristically cacheable (§3)");
        }
        return Optional.empty();
    }

    /**
     * The entry to store for this response, or empty if it must not be stored or could never be
     * reused (no freshness and no validator). The stored headers lose hop-by-hop fields and
     * {@code Set-Cookie} (§3.1), and the entry records the request's Vary-selected values (§4.1).
     */
    public Optional<CacheEntry> entryFor(CacheRequest request, int status, CacheHeaders response,
                                         long requestTimeMillis, long responseTimeMillis) {
        if (whyNotStorable(request, status, response).isPresent()) {
            return Optional.empty();
        }
        String secondaryKey = SecondaryKey.of(response, request.headers()).orElseThrow();
        CacheEntry entry = new CacheEntry(status, StoredFields.strip(response), requestTimeMillis, responseTimeMillis, secondaryKey);
        if (freshness.lifetimeMillis(request.key(), entry) == 0 && !Validation.hasValidator(entry)) {
            return Optional.empty();
        }
        return Optional.of(entry);
    }

    /**
     * Whether a response to a GET forbids keeping any stored response for its URI: its own
     * no-store (§5.2.2.5), private (§5.2.2.7) or {@code Vary: *} (§4.1). Reasons that come from
     * the request (cookies, credentials) do not count, so one client cannot flush a shared entry.
     */
    public boolean forbidsStoredCopy(CacheRequest request, int status, CacheHeaders response) {
        CacheControl responseCc = CacheControl.of(response);
        return request.readsCache() && status >= 200 && status < 400
                && (forbidsStoring(responseCc, status) || responseCc.has("private") || response.elements("Vary").contains("*"));
    }

    /**
     * The response's no-store (§5.2.2.5), which must-understand overrides for a status code this cache understands
     * (§5.2.2.3: such a cache SHOULD then ignore no-store).
     */
    private static boolean forbidsStoring(CacheControl responseCc, int status) {
        return responseCc.has("no-store") && !(responseCc.has("must-understand") && UNDERSTOOD_STATUSES.contains(status));
    }

    // ---- reusing (§4) ----

    /**
     * Whether and how {@code stored} (may be {@code null}) can answer {@code request} at
     * {@code nowMillis} (§4, §4.2.4, §5.2.1, §5.2.2, RFC 5861).
     *
     * @param revalidatesInBackground whether the caller can revalidate after answering: only then may the
     *        outcome be {@link Outcome#STALE_WHILE_REVALIDATE}, which RFC 5861 §3 allows only with a
     *        revalidation under way; otherwise such a response is revalidated before it is served
     */
    public CacheDecision decide(CacheRequest request, CacheEntry stored, long nowMillis, boolean revalidatesInBackground) {
        if (!request.readsCache()) {
            return new CacheDecision(Outcome.MISS, ResultCode.TCP_MISS, 0);
        }
        CacheControl requestCc = CacheControl.of(request.headers());
        boolean onlyIfCached = requestCc.has("only-if-cached");
        if (stored == null || !matchesVariant(request, stored)) {
            return onlyIfCached ? unsatisfiable(0) : new CacheDecision(Outcome.MISS, ResultCode.TCP_MISS, 0);
        }
        long age = Freshness.currentAgeMillis(stored, nowMillis);
        long ageSeconds = ageSeconds(age);
        long lifetime = freshness.lifetimeMillis(request.key(), stored);
        CacheControl responseCc = CacheControl.of(stored.headers());

        if (clientNoCache(request, requestCc)) {
            return onlyIfCached ? unsatisfiable(ageSeconds) : revalidate(ResultCode.TCP_CLIENT_REFRESH_MISS, ageSeconds);
        }
        // §5.2.2.4: no-cache (qualified or not) means "validate before every reuse".
        if (responseCc.has("no-cache")) {
            return onlyIfCached ? unsatisfiable(ageSeconds) : revalidate(ResultCode.TCP_REFRESH_MODIFIED, ageSeconds);
        }
        boolean fresh = age < lifetime;
        if (fresh && clientAcceptsAge(requestCc, age, lifetime)) {
            return hit(request, stored, ageSeconds);
        }
        long staleness = age - lifetime;
        if (!fresh && mayServeStale(responseCc)) {
            // §5.2.1.2: max-stale without a value accepts any staleness; an invalid value is ignored.
            if (requestCc.has("max-stale") && (requestCc.value("max-stale") == null
                    || staleness <= requestCc.seconds("max-stale", -1) * 1000)) {
                return hit(request, stored, ageSeconds);
            }
            // RFC 5861 §3, unless the client constrained age itself.
            if (revalidatesInBackground && !requestCc.has("max-age") && !requestCc.has("min-fresh")
                    && staleness <= responseCc.seconds("stale-while-revalidate", -1) * 1000) {
                return new CacheDecision(Outcome.STALE_WHILE_REVALIDATE, ResultCode.TCP_STALE_HIT, ageSeconds);
            }
        }
        return onlyIfCached ? unsatisfiable(ageSeconds) : revalidate(ResultCode.TCP_REFRESH_MODIFIED, ageSeconds);
    }

    /** §5.2.1.4 (and Pragma, RFC 7234 §5.4, when Cache-Control is absent): the client wants validation. */
    private static boolean clientNoCache(CacheRequest request, CacheControl requestCc) {
        return requestCc.has("no-cache") || (!request.headers().has("Cache-Control") && request.headers().elements("Pragma").contains("no-cache"));
    }

    private static boolean matchesVariant(CacheRequest request, CacheEntry stored) {
        return SecondaryKey.of(stored.headers(), request.headers()).map(stored.secondaryKey()::equals).orElse(false);
    }

    /** §5.2.1.1 max-age (invalid counts as 0) and §5.2.1.3 min-fresh (invalid is ignored). */
    private static boolean clientAcceptsAge(CacheControl requestCc, long age, long lifetime) {
        if (requestCc.has("max-age") && age > requestCc.seconds("max-age", 0) * 1000) {
            return false;
        }
        long minFresh = requestCc.seconds("min-fresh", -1);
        return minFresh < 0 || lifetime - age >= minFresh * 1000;
    }

    /**
     * §4.2.4: stale responses are never served when must-revalidate (§5.2.2.2), proxy-revalidate
     * (§5.2.2.8) or s-maxage (§5.2.2.10, which implies proxy-revalidate for a shared cache) is present.
     */
    private static boolean mayServeStale(CacheControl responseCc) {
        return !responseCc.has("must-revalidate") && !responseCc.has("proxy-revalidate") && !responseCc.has("s-maxage");
    }

    private static CacheDecision hit(CacheRequest request, CacheEntry stored, long ageSeconds) {
        Optional<ResultCode> notModified = Validation.clientConditionalMatch(request, stored);
        if (notModified.isPresent()) {
            return new CacheDecision(Outcome.NOT_MODIFIED, notModified.get(), ageSeconds);
        }
        ResultCode code = stored.status() >= 400 ? ResultCode.TCP_NEGATIVE_HIT : ResultCode.TCP_HIT;
        return new CacheDecision(Outcome.HIT, code, ageSeconds);
    }

    private static CacheDecision revalidate(ResultCode ifReplaced, long ageSeconds) {
        return new CacheDecision(Outcome.STALE_NEEDS_REVALIDATION, ifReplaced, ageSeconds);
    }

    private static CacheDecision unsatisfiable(long ageSeconds) {
        return new CacheDecision(Outcome.UNSATISFIABLE_504, ResultCode.TCP_OFFLINE_MISS, ageSeconds);
    }

    private static long ageSeconds(long ageMillis) {
        return Math.min(ageMillis / 1000, CacheControl.MAX_DELTA_SECONDS);
    }

    /** The freshness lifetime in milliseconds (§4.2.1, §4.2.2) of {@code stored}, stored under {@code key}. */
    public long freshnessLifetimeMillis(CacheKey key, CacheEntry stored) {
        return freshness.lifetimeMillis(key, stored);
    }

    /** The current age of {@code stored} in milliseconds (§4.2.3). */
    public long currentAgeMillis(CacheEntry stored, long nowMillis) {
        return Freshness.currentAgeMillis(stored, nowMillis);
    }

    /** The headers to send with a stored response: the stored fields with {@code Age} set (§5.1). */
    public CacheHeaders responseHeaders(CacheEntry stored, long nowMillis) {
        return stored.headers().with("Age", Long.toString(ageSeconds(Freshness.currentAgeMillis(stored, nowMillis))));
    }

    /** The headers of a 304 the cache sends for a client's satisfied conditional (§4.3.2, RFC 9110 §15.4.5). */
    public CacheHeaders notModifiedHeaders(CacheEntry stored, long nowMillis) {
        return Validation.notModifiedHeaders(stored)
                .with("Age", Long.toString(ageSeconds(Freshness.currentAgeMillis(stored, nowMillis))));
    }

    // ---- validating (§4.3) ----

    /** The request headers to send upstream to validate {@code stored} (§4.3.1). */
    public CacheHeaders conditionalRequest(CacheHeaders clientRequest, CacheEntry stored) {
        return Validation.conditionalRequest(clientRequest, stored);
    }

    /**
     * {@code stored} updated with a 304's fields and times (§4.3.4), or empty if the 304 is for a
     * different representation, in which case the request must be repeated without conditionals.
     */
    public Optional<CacheEntry> mergeNotModified(CacheEntry stored, CacheHeaders notModified,
                                                 long requestTimeMillis, long responseTimeMillis) {
        return Validation.mergeNotModified(stored, notModified, requestTimeMillis, responseTimeMillis);
    }

    /**
     * {@code stored} (whose body is {@code storedBodyLength} bytes) updated with the fields and times of a 200 to a
     * HEAD, as by a 304 (§4.3.5, §4.3.4), or empty when that 200 describes another representation, and the stored
     * one must no longer be served as fresh (see {@link Validation#headDescribesStored}).
     */
    public Optional<CacheEntry> mergeHead(CacheEntry stored, long storedBodyLength, CacheHeaders head,
                                          long requestTimeMillis, long responseTimeMillis) {
        if (!Validation.headDescribesStored(stored, storedBodyLength, head)) {
            return Optional.empty();
        }
        return mergeNotModified(stored, head, requestTimeMillis, responseTimeMillis);
    }

    /** Whether a client's If-None-Match / If-Modified-Since is satisfied by {@code stored} (§4.3.2). */
    public boolean answersClientConditional(CacheRequest request, CacheEntry stored) {
        return Validation.clientConditionalMatch(request, stored).isPresent();
    }

    /** The result code once the origin answered a revalidation with {@code originStatus}. */
    public ResultCode afterRevalidation(int originStatus) {
        if (originStatus == 304) {
            return ResultCode.TCP_REFRESH_UNMODIFIED;
        }
        return originStatus >= 500 ? ResultCode.TCP_REFRESH_FAIL_ERR : ResultCode.TCP_REFRESH_MODIFIED;
    }

    /**
     * Whether {@code stored} may be served (as {@link ResultCode#TCP_REFRESH_FAIL_OLD}) because
     * revalidation failed with a 5xx or no answer: stale-if-error (RFC 5861 §4) in the response or
     * the request covers its staleness, and no directive forbids serving stale (§4.2.4).
     */
    public boolean mayServeStaleOnError(CacheRequest request, CacheEntry stored, long nowMillis) {
        CacheControl responseCc = CacheControl.of(stored.headers());
        if (!mayServeStale(responseCc) || responseCc.has("no-cache")) {
            return false;
        }
        long window = Math.max(responseCc.seconds("stale-if-error", -1),
                CacheControl.of(request.headers()).seconds("stale-if-error", -1));
        long staleness = Freshness.currentAgeMillis(stored, nowMillis) - freshness.lifetimeMillis(request.key(), stored);
        return staleness <= window * 1000;
    }

    // ---- collapsing ----

    /**
     * Whether a revalidation of {@code stored} for {@code request} may be shared with concurrent requests that
     * would revalidate it (one conditional request upstream, its answer for all). Only where the origin's answer
     * depends on nothing but the stored validators (§4.3.1), the client accepts a validation it did not start
     * itself, and the validated response can then serve the others:
     * <ul>
     *   <li>GET only: a HEAD's answer has no body to share;</li>
     *   <li>no {@code Range}, {@code If-Range}, {@code If-Match} or {@code If-Unmodified-Since}: the origin answers
     *       those for this client (RFC 9110 §13.1, §14.2);</li>
     *   <li>no {@code no-cache} (§5.2.1.4) nor {@code max-age=0} (§5.2.1.1, a browser's reload): such a client
     *       asks to have the response validated for its own request;</li>
     *   <li>not a stored response with {@code no-cache} (§5.2.2.4) or no freshness lifetime (§4.2.1): it must be
     *       validated for every request anyway, so the others would only wait to validate it one after another.</li>
     * </ul>
     * ({@code only-if-cached} never revalidates, §5.2.1.7.) A client's own {@code If-None-Match} and
     * {@code If-Modified-Since} do not count: the stored validators replace them upstream and the client's are
     * answered from the refreshed response (§4.3.2).
     */
    public boolean mayCollapseRevalidation(CacheRequest request, CacheEntry stored) {
        CacheHeaders headers = request.headers();
        if (!request.method().equals("GET") || headers.has("Range") || headers.has("If-Range")
                || headers.has("If-Match") || headers.has("If-Unmodified-Since")) {
            return false;
        }
        CacheControl requestCc = CacheControl.of(headers);
        boolean maxAgeZero = requestCc.has("max-age") && requestCc.seconds("max-age", 0) == 0; // invalid counts as 0
        return !clientNoCache(request, requestCc) && !maxAgeZero
                && !CacheControl.of(stored.headers()).has("no-cache") && freshness.lifetimeMillis(request.key(), stored) > 0;
    }

    // ---- invalidating (§4.4) ----

    /**
     * The keys to invalidate after {@code request} got {@code status}: for an unsafe method with a
     * non-error status, the target URI and the same-origin Location and Content-Location (§4.4).
     */
    public List<CacheKey> invalidations(CacheRequest request, int status, CacheHeaders response) {
        if (SAFE_METHODS.contains(request.method()) || status < 200 || status >= 400) {
            return List.of();
        }
        CacheKey target = request.key();
        List<CacheKey> keys = new ArrayList<>(List.of(target));
        for (String field : List.of("Location", "Content-Location")) {
            sameOrigin(request.target(), response.first(field), target.origin())
                    .filter(key -> !keys.contains(key))
                    .ifPresent(keys::add);
        }
        return keys;
    }

    /** §4.4: a URI in Location or Content-Location, resolved against the target, if it has the same origin. */
    private static Optional<CacheKey> sameOrigin(RequestTarget target, String reference, String origin) {
        if (reference == null) {
            return Optional.empty();
        }
        try {
            CacheKey key = CacheKey.of(target.toUri().resolve(reference));
            return key.origin().equals(origin) ? Optional.of(key) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // not a URI: nothing to invalidate
        }
    }
}
