/**
 * The shared HTTP cache: RFC 9111 decisions as pure, I/O-free code ({@link dev.gatehouse.cache.CachePolicy}),
 * the vocabulary those decisions speak ({@link dev.gatehouse.cache.CacheHeaders},
 * {@link dev.gatehouse.cache.CacheKey}, {@link dev.gatehouse.cache.CacheEntry},
 * {@link dev.gatehouse.cache.CacheDecision}) and the storage contract the tiers implement
 * ({@link dev.gatehouse.cache.CacheStore}).
 *
 * <p>Nothing here knows about Undertow or any other Gatehouse package: the listener adapts its
 * exchange to {@link dev.gatehouse.cache.CacheRequest} and {@link dev.gatehouse.cache.CacheHeaders},
 * and every time-dependent decision takes the current time as {@code nowMillis} (or a
 * {@link java.time.Clock}, in {@link dev.gatehouse.cache.HttpCache}).
 *
 * <h2>The forward path, in short</h2>
 * <pre>{@code
 * HttpCache cache = new HttpCache(CachePolicy.defaults(),
 *         new TieredStore(new MemoryStore(memBytes, 256 * 1024), DiskStore.open(dir, diskBytes, maxObject), 256 * 1024),
 *         Clock.systemUTC());
 *
 * try (CacheLookup lookup = cache.lookup(request, true)) {   // true: this caller can revalidate in the background
 *     switch (lookup.decision().outcome()) {
 *         case HIT -> send(stored status, lookup.headers(), stored body; none for HEAD);    // ByteRange.of(...) for Range
 *         case NOT_MODIFIED -> send(304, lookup.headers());
 *         case UNSATISFIABLE_504 -> send(504);
 *         case STALE_WHILE_REVALIDATE -> send as HIT, then revalidate in the background;
 *         case STALE_NEEDS_REVALIDATION -> upstream with lookup.headers() (validators added; collapsed through
 *                 Collapser.join(lookup.storedKey()) where policy.mayCollapseRevalidation(request, entry)):
 *             304 -> cache.notModified(lookup, headers, reqTime, respTime) -> send stored body with cache.responseHeaders(entry)
 *             5xx or no answer -> cache.mayServeStaleOnError(lookup) ? send stale (TCP_REFRESH_FAIL_OLD) : pass the error on
 *             otherwise -> as a miss's response;
 *         case MISS -> upstream (collapsed through Collapser.join), then for the response:
 *             cache.writer(lookup, request, status, headers, reqTime, respTime, contentLength)
 *                  .map(w -> new CachingInputStream(originBody, w, contentLength))   // tee while streaming
 *     }
 * }
 * cache.invalidate(request, status, responseHeaders);   // after any unsafe method (RFC 9111 §4.4)
 * }</pre>
 */
package dev.gatehouse.cache;
