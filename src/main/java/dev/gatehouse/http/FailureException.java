package dev.gatehouse.http;

/** A failure to reach or hear from a destination, typed by {@link Failure} so the listener can choose the status page. */
public final class FailureException extends Exception {
    private final Failure failure;

    public FailureException(Failure failure, String detail, Throwable cause) {
        super(detail, cause);
        this.failure = failure;
    }

    public Failure failure() { return failure; }
}
