package dev.gatehouse.auth;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Adds the groups an Apache group file lists for a user to what any back-end accepted (LDAP groups included).
 * It wraps the verdict cache rather than sitting under it, so a remembered login gets the current file's groups
 * and a group file edit need not forget remembered logins (and ask the directory again for each).
 */
final class GroupsFileAuthenticator implements Authenticator {
    private final Authenticator backend;
    private final Path file;
    private volatile GroupsFile groups;

    /**
     * @throws AuthLoadException naming file, line and problem
     */
    GroupsFileAuthenticator(Authenticator backend, Path file) throws AuthLoadException {
        this.backend = backend;
        this.file = file;
        this.groups = GroupsFile.load(file);
    }

    @Override
    public Verdict verify(String user, String password) {
        return withFileGroups(backend.verify(user, password));
    }

    @Override
    public Verdict lookup(String user) {
        return withFileGroups(backend.lookup(user));
    }

    @Override
    public Verdict known(String user, String password) {
        return withFileGroups(backend.known(user, password));
    }

    private Verdict withFileGroups(Verdict verdict) {
        if (!(verdict instanceof Verdict.Accepted(Identity identity))) return verdict; // null (not known) included
        Set<String> fromFile = groups.groupsOf(identity.user());
        if (fromFile.isEmpty()) return verdict;
        Set<String> all = new HashSet<>(identity.groups());
        all.addAll(fromFile);
        return new Verdict.Accepted(new Identity(identity.user(), all));
    }

    /** Parses the group file first, so a broken one leaves both it and the back-end's data as they were. */
    @Override
    public void reload() throws AuthLoadException {
        GroupsFile next = GroupsFile.load(file);
        backend.reload();
        groups = next;
    }

    /** Re-reads the group file if it changed, and what changed below; parsed first, as in {@link #reload()}. */
    @Override
    public boolean reloadChanged(Set<Path> changed) throws AuthLoadException {
        GroupsFile next = AuthFileLines.changed(changed, file) ? GroupsFile.load(file) : null;
        boolean below = backend.reloadChanged(changed);
        if (next != null) groups = next;
        return below || next != null;
    }

    @Override
    public void close() {
        backend.close();
    }

    @Override
    public String toString() {
        return backend + " + groups " + file;
    }
}
