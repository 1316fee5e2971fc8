package dev.gatehouse.cache.disk;

import java.io.IOException;

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
    /** A body is counted in steps of this many bytes, to evict in batches; small ones, as each writer may hold one unused. */
    private final long stepBytes;
    private long reservedKib;

    /** Lends from {@code boundKib}, the bound of {@code index} (weighed in KiB). */
    BytesInFlight(Policy.Eviction<?, ?> index, long boundKib) {
        this.index = index;
        this.boundKib = boundKib;
        this.stepBytes = Math.clamp(boundKib / Indexed.BLOCK * Indexed.BLOCK, Indexed.BLOCK, 64 * 1024);
    }

    /** A share for one body, empty until it grows. */
    Reservation reservation() {
        return new Reservation();
    }

    /** Takes {@code kib} more from the index's share, evicting as needed; false (nothing taken) past half the bound. */
    private synchronized boolean reserve(long kib) {
        if (reservedKib + kib > boundKib / 2) {
            return false;
        }
        reservedKib += kib;
        index.setMaximum(boundKib - reservedKib);
        return true;
    }

    /** Gives {@code kib} back to the index (the body was committed, and is weighed there now, or discarded). */
    private synchronized void release(long kib) {
        if (kib == 0) {
            return; // nothing to give back: spare the index a resize
        }
        reservedKib -= kib;
        index.setMaximum(boundKib - reservedKib);
    }

    /** What one body being written holds of the bound. Not thread-safe: it belongs to its writer. */
    final class Reservation {
        private long reservedBytes;

        private Reservation() {
        }

        /** Makes sure {@code size} bytes of body are counted; throws, taking nothing more, past half the bound. */
        void cover(long size) throws IOException {
            if (size > reservedBytes) {
                long more = (size - reservedBytes + stepBytes - 1) / stepBytes * stepBytes;
                if (!reserve(more / 1024)) {
                    throw new IOException("bodies being written would take over half the disk bound"); // stop storing
                }
                reservedBytes += more;
            }
        }

        /** Gives the whole share back: the body is weighed in the index now, or was discarded. */
        void release() {
            BytesInFlight.this.release(reservedBytes / 1024);
            reservedBytes = 0;
        }
    }
}
