/**
 * The shared HTTP cache: RFC 9111 decisions as pure, I/O-free code ({@link dev.gatehouse.cache.CachePolicy}),
 * the vocabulary those decisions speak ({@link dev.gatehouse.cache.CacheHeaders},
 * {@link dev.gatehouse.cache.CacheKey}, {@link dev.gatehouse.cache.CacheEntry},
 * {@link dev.gatehouse.cache.CacheDecision}) and the storage contract the tiers implement
 * ({@link dev.gatehouse.cache.CacheStore}).
 *
 * <p>Nothing here knows about Undertow or any other Gatehouse package: the listener adapts its
 * exchange to {@link dev.gatehouse.cache.CacheRequest} and {@link dev.gatehouse.cache.CacheHeaders},
 * and every time-dependent method takes the current time as {@code nowMillis}.
 */
package dev.gatehouse.cache;
