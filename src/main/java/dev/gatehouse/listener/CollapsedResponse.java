package dev.gatehouse.listener;

import dev.gatehouse.cache.CacheEntry;
import dev.gatehouse.cache.SharedBody;

/**
 * What the leader of a collapsed miss or revalidation hands its followers once the origin answered: the
 * response as it will be stored (status, stored fields, so never a {@code Set-Cookie}) and its body as it
 * arrives. {@link #UNSHARED} when there is no response to share (not storable, no body, or a 304 that
 * refreshed the stored response): each follower then answers for itself from a new lookup, so one client's
 * private response never reaches another. {@link #ORIGIN_ERROR} when a revalidation failed.
 *
 * @param originError the origin answered a revalidation with an error (RFC 5861 §4): a follower holding a stale
 *                    response may answer with it if stale-if-error allows, rather than ask the origin again
 */
record CollapsedResponse(CacheEntry entry, SharedBody body, boolean originError) {
    static final CollapsedResponse UNSHARED = new CollapsedResponse(null, null, false);
    static final CollapsedResponse ORIGIN_ERROR = new CollapsedResponse(null, null, true);

    /** A response the followers may stream. */
    CollapsedResponse(CacheEntry entry, SharedBody body) {
        this(entry, body, false);
    }

    boolean shared() {
        return body != null;
    }
}
