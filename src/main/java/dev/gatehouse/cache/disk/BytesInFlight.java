package dev.gatehouse.cache.disk;

import java.io.IOException;

import com.github.benmanes.caffeine.cache.Policy;

/**
 * Counts the bodies being written (in {@code tmp/}) against the disk tier's bound: the index may hold only
 * what the bound leaves after them, so stored and half-written files together stay within it, however many
 * downloads are being stored at once. At most half the bound is lent this way: a burst of large downloads,
 * which may yet be aborted, never evicts more than half of what is stored.
 *
 * <p>A body takes its share in steps (at most 64 KiB) as it grows. The index is lent more coarsely, in grains of
 * about 1/256 of the bound (one step at least, 16 MiB at most): when the bodies need more than it has lent, its bound
 * is lowered to the next whole grain; it is raised again only once they need {@value #SLACK_GRAINS} grains less than
 * lent, and then keeps one grain lent above their need. Each change of the index's bound takes its eviction lock,
 * runs its maintenance and restarts the tuning of its admission window: so it changes once per grain the bytes in
 * flight grow, and once per swing of more than {@value #SLACK_GRAINS} - 1 grains, not twice for every body stored.
 *
 * <p>The bound holds with no overshoot: whatever is being written was lent first. The cost is capacity: less than
 * {@value #SLACK_GRAINS} grains (1/64 of the bound, 64 MiB at most) may be lent and not used by anything, also when
 * nothing is being written any more.
 */
final class BytesInFlight {
    private static final long MAX_GRAIN_KIB = 16 * 1024;
    /** How many grains lent beyond the need give one back: the swing the in-flight bytes make without a resize. */
    static final int SLACK_GRAINS = 4;

    private final Policy.Eviction<?, ?> index;
    private final long boundKib;
    /** A body is counted in steps of this many bytes, to evict in batches; small ones, as each writer may hold one unused. */
    private final long stepBytes;
    /** What the index is lent in, in KiB: a whole number of steps. */
    private final long grainKib;
    private long reservedKib; // guarded by this, like lentKib
    /** What the index's bound is lowered by: at least what is reserved, a whole number of grains (at most half the bound). */
    private long lentKib;

    /** Lends from {@code boundKib}, the bound of {@code index} (weighed in KiB). */
    BytesInFlight(Policy.Eviction<?, ?> index, long boundKib) {
        this.index = index;
        this.boundKib = boundKib;
        this.stepBytes = Math.clamp(boundKib / Indexed.BLOCK * Indexed.BLOCK, Indexed.BLOCK, 64 * 1024);
        long stepKib = stepBytes / 1024;
        this.grainKib = Math.clamp(boundKib / 256 / stepKib * stepKib, stepKib, MAX_GRAIN_KIB);
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
        if (reservedKib > lentKib) {
            lend(Math.min(boundKib / 2, grainsFor(reservedKib)));
        }
        return true;
    }

    /** Gives {@code kib} back (the body was committed, and is weighed in the index now, or discarded). */
    private synchronized void release(long kib) {
        reservedKib -= kib;
        if (lentKib - reservedKib >= SLACK_GRAINS * grainKib) {
            lend(grainsFor(reservedKib) + grainKib);
        }
    }

    /** Whole grains covering {@code kib}. */
    private long grainsFor(long kib) {
        return (kib + grainKib - 1) / grainKib * grainKib;
    }

    private void lend(long kib) {
        lentKib = kib;
        index.setMaximum(boundKib - lentKib);
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
