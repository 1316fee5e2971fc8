package dev.gatehouse.upstream;

import dev.gatehouse.http.Failure;
import dev.gatehouse.http.FailureException;

/**
 * One request's tries at its destinations (each address of the origin, each parent and its addresses), and the
 * decision whether a failed try moves on to the next: Squid's {@code FwdState::checkRetry} with
 * {@code forward_max_tries} and {@code retry_on_error off}. Pure: no I/O, so the decision is unit-tested as a table.
 *
 * <p>A try moves on when
 * <ul>
 *   <li>the connection could not be opened (refused, unreachable, timed out): nothing was sent, so any request
 *       may go elsewhere;</li>
 *   <li>or the server accepted a fresh connection and closed or reset it before a single response byte, and the
 *       request may be repeated (RFC 9110 §9.2.2: an idempotent method and no body, {@link UpstreamRequest#idempotent});
 *       a body, even one only partly sent, is never sent twice, as Squid cannot either.</li>
 * </ul>
 * Nothing else moves on: not a response timeout (a slow origin would only be asked twice, and the client kept waiting
 * twice as long), not a malformed response, not a close after any response byte or an interim (1xx) response (the
 * client may already have that one, RFC 9110 §15.2).
 *
 * <p>A try is one destination. The one retry of a stale pooled connection on a fresh one to the same address is part
 * of its try (Squid counts it as a try of its own), so that {@code maxTries} 1 still survives an idle close.
 */
final class ForwardTries {
    private final int max;
    private final boolean repeatable;
    private int used;

    /**
     * @param max        the most destinations one request tries ({@code forwarding.maxTries}, Squid's
     *                   {@code forward_max_tries}), at least 1
     * @param repeatable whether the request may be sent again after a server took it and closed without answering
     */
    ForwardTries(int max, boolean repeatable) {
        if (max < 1) throw new IllegalArgumentException("max tries must be at least 1, got " + max);
        this.max = max;
        this.repeatable = repeatable;
    }

    /** Counts one try at a destination; a caller tries another only after {@link #movesOn} said so. */
    void spend() {
        if (used == max) throw new IllegalStateException("all " + max + " tries were used");
        used++;
    }

    /** Whether a try is left for another destination. */
    boolean remain() {
        return used < max;
    }

    /**
     * Whether the next destination is tried after {@code failure}.
     *
     * @param unanswered the server accepted a fresh connection and ended it before any response byte
     */
    boolean movesOn(FailureException failure, boolean unanswered) {
        return remain() && (notConnected(failure) || unanswered && repeatable);
    }

    /** The connection could not be opened: nothing reached the server. */
    static boolean notConnected(FailureException failure) {
        return failure.failure() == Failure.CONNECT_REFUSED || failure.failure() == Failure.CONNECT_TIMEOUT;
    }
}
