package dev.gatehouse.http;

/** A failure to reach or hear from a destination, typed by {@link Failure} so the listener can choose the status page. */
public final class FailureException extends Exception {
    private final Failure failure;
    private final String parent;
    private final String hierarchy;

    public FailureException(Failure failure, String detail, Throwable cause) {
        this(failure, detail, cause, null);
    }

    /** @param parent the host of the parent proxy the request was sent through, or null when it went direct */
    public FailureException(Failure failure, String detail, Throwable cause, String parent) {
        this(failure, detail, cause, parent, parent == null ? null : ParentProxies.HIERARCHY);
    }

    private FailureException(Failure failure, String detail, Throwable cause, String parent, String hierarchy) {
        super(detail, cause);
        this.failure = failure;
        this.parent = parent;
        this.hierarchy = hierarchy;
    }

    /** This failure at a parent, audited with {@code hierarchy} ({@link ParentProxies.Route#hierarchy}); itself when direct. */
    public FailureException atParent(String hierarchy) {
        if (parent == null || hierarchy.equals(this.hierarchy)) return this;
        FailureException copy = new FailureException(failure, getMessage(), getCause(), parent, hierarchy);
        copy.setStackTrace(getStackTrace());
        return copy;
    }

    public Failure failure() { return failure; }

    /** The host of the parent proxy the failure happened at or behind, or null. */
    public String parent() { return parent; }

    /** The Squid hierarchy code for {@link #parent}, or null when there is none. */
    public String hierarchy() { return hierarchy; }
}
