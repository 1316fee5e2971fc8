package dev.gatehouse.auth;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/** Adds the groups an Apache group file lists for a user to what any back-end accepted (LDAP groups included). */
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

    private Verdict withFileGroups(Verdict verdict) {
        if (!(verdict instanceof Verdict.Accepted(Identity identity))) return verdict;
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

    @Override
    public void close() {
        backend.close();
    }

    @Override
    public String toString() {
        return backend + " + groups " + file;
    }
}
