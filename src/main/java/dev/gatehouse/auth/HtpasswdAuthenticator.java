package dev.gatehouse.auth;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;

/** Verifies against an htpasswd file held in memory; {@link #reload()} swaps in a new copy only if it parses. */
final class HtpasswdAuthenticator implements Authenticator {
    private final Path file;
    private volatile HtpasswdFile users;

    /**
     * @throws AuthLoadException naming file, line and problem
     */
    HtpasswdAuthenticator(Path file) throws AuthLoadException {
        this.file = file;
        this.users = HtpasswdFile.load(file);
    }

    @Override
    public Verdict verify(String user, String password) {
        HtpasswdFile current = users;
        byte[] bytes = password.getBytes(StandardCharsets.UTF_8);
        PasswordHash hash = current.hash(user);
        if (hash == null) {
            current.decoy().matches(bytes); // same work as for a real user: no user enumeration by timing
            return new Verdict.Rejected("unknown user");
        }
        return hash.matches(bytes) ? new Verdict.Accepted(new Identity(user, Set.of())) : new Verdict.Rejected("wrong password");
    }

    @Override
    public void reload() throws AuthLoadException {
        users = HtpasswdFile.load(file);
    }

    @Override
    public boolean reloadChanged(Set<Path> changed) throws AuthLoadException {
        if (!AuthFileLines.changed(changed, file)) return false;
        reload();
        return true;
    }

    @Override
    public String toString() {
        return "htpasswd " + file;
    }
}
