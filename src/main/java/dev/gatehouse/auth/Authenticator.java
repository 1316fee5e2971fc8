package dev.gatehouse.auth;

import java.nio.file.Path;
import java.util.Set;

/**
 * Verifies user names and passwords. {@link #verify} may block (a directory lookup) and is called on a
 * virtual thread; {@link #known} never blocks, so a remembered verdict can be used on an IO thread.
 * Implementations are thread-safe. Passwords are never logged or kept in the clear.
 */
public interface Authenticator extends AutoCloseable {
    /** Verifies, asking the back-end if needed. */
    Verdict verify(String user, String password);

    /**
     * The identity of a user whom something else has verified (a Kerberos ticket): the user's groups as this
     * back-end knows them, no password involved. {@link Verdict.Unavailable} when the back-end cannot answer. May
     * block. By default the user without groups (an htpasswd file has none).
     */
    default Verdict lookup(String user) {
        return new Verdict.Accepted(new Identity(user, Set.of()));
    }

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

    /**
     * Re-reads only the data that comes from the {@code changed} files, so that a group file edit does not also
     * reopen an LDAP pool or forget remembered logins; on any error the previous data stays in use. An
     * implementation that cannot tell which files it reads re-reads everything.
     *
     * @param changed absolute, normalised paths (as a file watcher reports them)
     * @return whether anything was re-read
     * @throws AuthLoadException naming file, line and problem
     */
    default boolean reloadChanged(Set<Path> changed) throws AuthLoadException {
        reload();
        return true;
    }

    @Override
    default void close() {}
}
