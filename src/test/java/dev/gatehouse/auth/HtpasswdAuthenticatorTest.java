package dev.gatehouse.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtpasswdAuthenticatorTest {
    @TempDir
    Path dir;

    @Test
    void acceptsTheRightPasswordAndRejectsTheRest() throws Exception {
        Path file = dir.resolve("htpasswd");
        Commands.run("htpasswd", "-c", "-b", "-B", file.toString(), "alice", "wonder land");
        Authenticator auth = new HtpasswdAuthenticator(file);
        assertEquals(new Verdict.Accepted(new Identity("alice", Set.of())), auth.verify("alice", "wonder land"));
        assertEquals(new Verdict.Rejected("wrong password"), auth.verify("alice", "wonder"));
        assertEquals(new Verdict.Rejected("wrong password"), auth.verify("alice", ""));
        assertEquals(new Verdict.Rejected("unknown user"), auth.verify("Alice", "wonder land"));
        assertEquals(new Verdict.Rejected("unknown user"), auth.verify("mallory", "wonder land"));
    }

    @Test
    void reloadReadsChangesAndKeepsThePreviousUsersOnError() throws Exception {
        Path file = dir.resolve("htpasswd");
        Commands.run("htpasswd", "-c", "-b", "-m", file.toString(), "alice", "old");
        Authenticator auth = new HtpasswdAuthenticator(file);

        Commands.run("htpasswd", "-b", "-m", file.toString(), "alice", "new");
        auth.reload();
        assertEquals(Verdict.Rejected.class, auth.verify("alice", "old").getClass());
        assertEquals(Verdict.Accepted.class, auth.verify("alice", "new").getClass());

        Files.writeString(file, "alice:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\n");
        assertThrows(AuthLoadException.class, auth::reload);
        assertEquals(Verdict.Accepted.class, auth.verify("alice", "new").getClass());
    }
}
