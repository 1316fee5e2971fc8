package dev.gatehouse.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the LDAP back-end, behind the cache built by {@link Authenticators}, does when the directory stops. */
class LdapOutageIT {
    @TempDir
    Path dir;

    @Test
    void aRememberedVerdictOutlivesTheDirectoryAndNewCredentialsAreUnavailable() throws Exception {
        Slapd slapd = Slapd.start(dir);
        try (Authenticator auth = Authenticators.create(LdapSettings.auth(slapd.ldapUrl(), Map.of()))) {
            Verdict alice = new Verdict.Accepted(new Identity("alice", Set.of("staff", "everyone")));
            assertEquals(alice, auth.verify("alice", "alice-pw"));
            assertEquals(new Verdict.Rejected("bind refused: 49 (invalid credentials)"), auth.verify("bob", "wrong"));
            assertNull(auth.known("bob", "bob-pw"));

            slapd.stop();

            assertEquals(alice, auth.known("alice", "alice-pw"));
            assertEquals(alice, auth.verify("alice", "alice-pw")); // from the cache: the server is gone
            assertEquals(new Verdict.Rejected("bind refused: 49 (invalid credentials)"), auth.verify("bob", "wrong"));
            assertInstanceOf(Verdict.Unavailable.class, auth.verify("bob", "bob-pw"));
            assertNull(auth.known("bob", "bob-pw")); // an outage is not remembered

            slapd.restart();
            assertEquals(new Verdict.Accepted(new Identity("bob", Set.of("interns", "staff", "everyone"))),
                    auth.verify("bob", "bob-pw"));
        } finally {
            slapd.stop();
        }
    }

    @Test
    void aDirectoryDownAtStartIsUsedOnceItAnswers() throws Exception {
        Slapd slapd = Slapd.start(dir);
        slapd.stop();
        try (Authenticator auth = Authenticators.create(LdapSettings.auth(slapd.ldapUrl(), Map.of("poolSize", 2)))) {
            assertInstanceOf(Verdict.Unavailable.class, auth.verify("alice", "alice-pw"));
            slapd.restart();
            assertEquals(new Verdict.Accepted(new Identity("alice", Set.of("staff", "everyone"))), auth.verify("alice", "alice-pw"));
        } finally {
            slapd.stop();
        }
    }
}
