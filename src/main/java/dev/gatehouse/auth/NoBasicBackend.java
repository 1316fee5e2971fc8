package dev.gatehouse.auth;

/**
 * The back-end when only Kerberos logs users in ({@code backend: none} with {@code negotiate}): no password is
 * right, and a verified user has no groups but those the group file adds.
 */
final class NoBasicBackend implements Authenticator {
    @Override
    public Verdict verify(String user, String password) {
        return new Verdict.Rejected("no password back-end: only Kerberos (Negotiate) logins");
    }

    @Override
    public String toString() {
        return "Kerberos only";
    }
}
