package dev.gatehouse.auth;

/**
 * Verifies user names and passwords. {@link #verify} may block (a directory lookup) and is called on a
 * virtual thread; {@link #known} never blocks, so a remembered verdict can be used on an IO thread.
 * Implementations are thread-safe. Passwords are never logged or kept in the clear.
 */
public interface Authenticator extends AutoCloseable {
    /** Verifies, asking the back-end if needed. */
    Verdict verify(String user, String password);

    /** A verdict remembered for these credentials, or null when only {@link #verify} can tell. Never blocks. */
    default Verdict known(String user, String password) {
        return null;
    }

    /**
     * Re-reads the back-end's files (htpasswd, groups); on any error the previous data stays in use.
     *
     * @throws AuthLoadException naming file, line and problem
     */
    default void reload() throws AuthLoadException {}

    @Override
    default void close() {}
}
