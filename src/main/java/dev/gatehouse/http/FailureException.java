package dev.gatehouse.http;

/** A failure to reach or hear from a destination, typed by {@link Failure} so the listener can choose the status page. */
public final class FailureException extends Exception {
    private final Failure failure;
    private final String parent;

    public FailureException(Failure failure, String detail, Throwable cause) {
        this(failure, detail, cause, null);
    }

    /** @param parent the host of the parent proxy the request was sent through, or null when it went direct */
    public FailureException(Failure failure, String detail, Throwable cause, String parent) {
        super(detail, cause);
        this.failure = failure;
        this.parent = parent;
    }

    public Failure failure() { return failure; }

    /** The host of the parent proxy the failure happened at or behind, or null. */
    public String parent() { return parent; }
}
