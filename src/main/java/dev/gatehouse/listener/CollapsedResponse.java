package dev.gatehouse.listener;

import dev.gatehouse.cache.CacheEntry;
import dev.gatehouse.cache.SharedBody;

/**
 * What the leader of a collapsed miss hands its followers once the origin's response header arrived:
 * the response as it will be stored (status, stored fields, so never a {@code Set-Cookie}) and its body
 * as it arrives. {@link #UNSHARED} when the response may not be shared (not storable, no body): each
 * follower then fetches for itself, so one client's private response never reaches another.
 */
record CollapsedResponse(CacheEntry entry, SharedBody body) {
    static final CollapsedResponse UNSHARED = new CollapsedResponse(null, null);

    boolean shared() {
        return body != null;
    }
}
