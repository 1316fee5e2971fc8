package dev.gatehouse.cache;

/**
 * What {@link CachePolicy#decide} concluded for one request against the stored entry, if any.
 *
 * @param outcome      what the forward path must do
 * @param resultCode   the audit result code if the outcome ends here; for
 *                     {@link Outcome#STALE_NEEDS_REVALIDATION} the code to log if the origin sends a
 *                     full response ({@link CachePolicy#afterRevalidation} gives the final one)
 * @param ageSeconds   the stored response's current age (RFC 9111 §4.2.3), 0 without an entry
 */
public record CacheDecision(Outcome outcome, ResultCode resultCode, long ageSeconds) {

    /** What the forward path does next. */
    public enum Outcome {
        /** Serve the stored response (with {@link CachePolicy#responseHeaders}); HEAD gets no body. */
        HIT,
        /** Answer the client's own conditional with 304 and {@link CachePolicy#notModifiedHeaders} (RFC 9111 §4.3.2). */
        NOT_MODIFIED,
        /**
         * Serve the stored (stale) response now and revalidate it in the background (RFC 5861 §3); only
         * for a caller that said it can.
         */
        STALE_WHILE_REVALIDATE,
        /** Send {@link CachePolicy#conditionalRequest} upstream, then {@link CachePolicy#afterRevalidation} (RFC 9111 §4.3). */
        STALE_NEEDS_REVALIDATION,
        /** Fetch from the origin; store the response if {@link CachePolicy#entryFor} allows. */
        MISS,
        /** Answer 504 Gateway Timeout without contacting the origin (only-if-cached, RFC 9111 §5.2.1.7). */
        UNSATISFIABLE_504
    }

    /** Whether the stored body is sent to the client now. */
    public boolean servesStoredBody() {
        return outcome == Outcome.HIT || outcome == Outcome.STALE_WHILE_REVALIDATE;
    }
}
