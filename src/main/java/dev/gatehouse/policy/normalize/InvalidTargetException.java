package dev.gatehouse.policy.normalize;

/** Thrown when a host, authority or URL cannot be normalised; the proxy answers such requests 400. */
public final class InvalidTargetException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong, quoting the offending input */
    public InvalidTargetException(String message) {
        super(message);
    }
}
