package dev.gatehouse.cache.disk;

import com.github.benmanes.caffeine.cache.Policy;

/**
 * Counts the bodies being written (in {@code tmp/}) against the disk tier's bound: the index may hold only
 * what the bound leaves after them, so stored and half-written files together stay within it, however many
 * downloads are being stored at once. At most half the bound is lent this way: a burst of large downloads,
 * which may yet be aborted, never evicts more than half of what is stored.
 */
final class BytesInFlight {
    private final Policy.Eviction<?, ?> index;
    private final long boundKib;
    private long reservedKib;

    /** Lends from {@code boundKib}, the bound of {@code index} (weighed in KiB). */
    BytesInFlight(Policy.Eviction<?, ?> index, long boundKib) {
        this.index = index;
        this.boundKib = boundKib;
    }

    /** Takes {@code kib} more from the index's share, evicting as needed; false (nothing taken) past half the bound. */
    synchronized boolean reserve(long kib) {
        if (reservedKib + kib > boundKib / 2) {
            return false;
        }
        reservedKib += kib;
        index.setMaximum(boundKib - reservedKib);
        return true;
    }

    /** Gives {@code kib} back to the index (the body was committed, and is weighed there now, or discarded). */
    synchronized void release(long kib) {
        if (kib == 0) {
            return; // nothing to give back: spare the index a resize
        }
        reservedKib -= kib;
        index.setMaximum(boundKib - reservedKib);
    }
}
