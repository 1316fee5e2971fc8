package dev.gatehouse.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.auth.Identity;
import dev.gatehouse.auth.Verdict;
import dev.gatehouse.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file change re-reads only what that file feeds: a group file edit keeps the remembered logins. */
class AuthRuntimeTest {
    // bcrypt at cost 5, as htpasswd -B -C 5 writes them: alice's password "secret", then "changed".
    private static final String ALICE = "alice:$2y$05$tM8/ATh3UqATtGN/RkpdSeVYTRjB6F0cD2xSScxEhBTx7ihJrBwXS\n";
    private static final String ALICE_CHANGED = "alice:$2y$05$qYv6lRRemnmf4c0kj1Hk4e4xsWiZ3CvA5XzuvBLhBAjRsVx1yriNq\n";

    @TempDir
    Path dir;
    Path htpasswd;
    Path groups;

    @BeforeEach
    void files() throws Exception {
        htpasswd = Files.writeString(dir.resolve("htpasswd"), ALICE);
        groups = Files.writeString(dir.resolve("groups"), "staff: alice\n");
    }

    private AuthRuntime start(boolean watch) throws Exception {
        String json = new ObjectMapper().writeValueAsString(Map.of("auth", Map.of("backend", "htpasswd",
                "htpasswdFile", htpasswd.toString(), "groupsFile", groups.toString(), "watch", watch)));
        return AuthRuntime.start(new ConfigLoader().load("test", json, Map.of()).auth());
    }

    private static Verdict alice(String... groups) {
        return new Verdict.Accepted(new Identity("alice", Set.of(groups)));
    }

    @Test
    void aGroupFileChangeReloadsTheGroupsAloneAndKeepsRememberedLogins() throws Exception {
        try (AuthRuntime runtime = start(false)) {
            assertEquals(alice("staff"), runtime.authenticator().verify("alice", "secret"));
            Files.writeString(htpasswd, ALICE_CHANGED); // on disk, but not reported as changed below
            Files.writeString(groups, "admins: alice\n");

            assertTrue(runtime.reloadChanged(Set.of(groups.toAbsolutePath())));
            // The remembered login stays, with the new file's groups; the htpasswd file was not re-read.
            assertEquals(alice("admins"), runtime.authenticator().known("alice", "secret"));
            assertEquals(new Verdict.Rejected("wrong password"), runtime.authenticator().verify("alice", "changed"));

            assertTrue(runtime.reloadChanged(Set.of(htpasswd.toAbsolutePath())));
            // A password may have changed: every remembered login is forgotten.
            assertNull(runtime.authenticator().known("alice", "secret"));
            assertEquals(alice("admins"), runtime.authenticator().verify("alice", "changed"));
        }
    }

    @Test
    void aBrokenGroupFileIsRefusedAndTheRunningGroupsStay() throws Exception {
        try (AuthRuntime runtime = start(false)) {
            runtime.authenticator().verify("alice", "secret");
            Files.writeString(groups, "admins alice\n");
            assertFalse(runtime.reloadChanged(Set.of(groups.toAbsolutePath())));
            assertEquals(alice("staff"), runtime.authenticator().known("alice", "secret"));
        }
    }

    @Test
    void theWatcherReportsTheEditedGroupFileAlone() throws Exception {
        try (AuthRuntime runtime = start(true)) {
            assertEquals(alice("staff"), runtime.authenticator().verify("alice", "secret"));
            Files.writeString(groups, "admins: alice\n");
            // Bounded wait for the debounced reload. A full reload would forget the login (known gives null),
            // so the new groups showing on the remembered login mean only the group file was re-read.
            Verdict known = null;
            for (int i = 0; i < 200 && !alice("admins").equals(known); i++) {
                Thread.sleep(50);
                known = runtime.authenticator().known("alice", "secret");
            }
            assertEquals(alice("admins"), known);
        }
    }
}
