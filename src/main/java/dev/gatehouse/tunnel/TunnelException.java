package dev.gatehouse.tunnel;

import dev.gatehouse.http.Failure;

/** A tunnel that could not be opened, typed for the status page. */
public final class TunnelException extends Exception {
    private final Failure failure;

    public TunnelException(Failure failure, String detail, Throwable cause) {
        super(detail, cause);
        this.failure = failure;
    }

    public Failure failure() { return failure; }
}
