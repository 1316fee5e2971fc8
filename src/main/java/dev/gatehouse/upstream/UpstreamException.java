package dev.gatehouse.upstream;

import dev.gatehouse.http.Failure;

/** A failure to get a response from an origin, typed so the listener can choose the status page. */
public final class UpstreamException extends Exception {
    private final Failure failure;

    public UpstreamException(Failure failure, String detail, Throwable cause) {
        super(detail, cause);
        this.failure = failure;
    }

    public Failure failure() { return failure; }
}
