package dev.gatehouse.auth;

/** The outcome of verifying one user name and password. */
public sealed interface Verdict {
    /** The password is right; {@code identity} carries the groups. */
    record Accepted(Identity identity) implements Verdict {}

    /** Unknown user or wrong password; {@code reason} is for the diagnostic log, never the client. */
    record Rejected(String reason) implements Verdict {}

    /** The back-end could not answer (directory down, timeout); the request fails closed unless configured otherwise. */
    record Unavailable(String reason) implements Verdict {}
}
