package dev.gatehouse.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupsFileAuthenticatorTest {
    @TempDir
    Path dir;

    /** A back-end that accepts everyone with one group of its own (as LDAP would) and counts reloads. */
    private static final class GroupedBackend implements Authenticator {
        int reloads;

        @Override
        public Verdict verify(String user, String password) {
            return password.equals("pw") ? new Verdict.Accepted(new Identity(user, Set.of("from-backend")))
                    : new Verdict.Rejected("wrong password");
        }

        @Override
        public void reload() {
            reloads++;
        }
    }

    @Test
    void fileGroupsAreAddedToTheBackendsGroups() throws Exception {
        Path groups = Files.writeString(dir.resolve("groups"), "staff: alice\nproxy-admins: alice\nstaff: bob\n");
        Authenticator auth = new GroupsFileAuthenticator(new GroupedBackend(), groups);
        assertEquals(new Verdict.Accepted(new Identity("alice", Set.of("from-backend", "staff", "proxy-admins"))),
                auth.verify("alice", "pw"));
        assertEquals(new Verdict.Accepted(new Identity("carol", Set.of("from-backend"))), auth.verify("carol", "pw"));
        assertEquals(new Verdict.Rejected("wrong password"), auth.verify("alice", "nope"));
    }

    @Test
    void aBrokenGroupFileOnReloadKeepsTheOldGroupsAndDoesNotReloadTheBackend() throws Exception {
        Path groups = Files.writeString(dir.resolve("groups"), "staff: alice\n");
        GroupedBackend backend = new GroupedBackend();
        Authenticator auth = new GroupsFileAuthenticator(backend, groups);

        Files.writeString(groups, "staff: alice\nstaff alice\n");
        AuthLoadException e = assertThrows(AuthLoadException.class, auth::reload);
        assertEquals(groups + ":2: expected group: user user ...", e.getMessage());
        assertEquals(0, backend.reloads);
        assertEquals(new Verdict.Accepted(new Identity("alice", Set.of("from-backend", "staff"))), auth.verify("alice", "pw"));

        Files.writeString(groups, "interns: alice\n");
        auth.reload();
        assertEquals(1, backend.reloads);
        assertEquals(new Verdict.Accepted(new Identity("alice", Set.of("from-backend", "interns"))), auth.verify("alice", "pw"));
    }
}
