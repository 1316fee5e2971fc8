package dev.gatehouse.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.config.ConfigLoader;
import dev.gatehouse.config.GatehouseConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthenticatorsTest {
    @TempDir
    Path dir;

    private GatehouseConfig.Auth auth(Map<String, Object> settings) throws Exception {
        String json = new ObjectMapper().writeValueAsString(Map.of("auth", settings));
        return new ConfigLoader().load("test", json, Map.of()).auth();
    }

    private Path htpasswd() throws Exception {
        Path file = dir.resolve("htpasswd");
        Commands.run("htpasswd", "-c", "-b", "-B", file.toString(), "alice", "alice-pw");
        Commands.run("htpasswd", "-b", "-m", file.toString(), "bob", "bob-pw");
        return file;
    }

    @Test
    void htpasswdWithGroupsIsCachedAndReloadsBothFiles() throws Exception {
        Path users = htpasswd();
        Path groups = Files.writeString(dir.resolve("groups"), "staff: alice bob\nadmins: alice\n");
        GatehouseConfig.Auth config = auth(Map.of("backend", "htpasswd", "htpasswdFile", users.toString(),
                "groupsFile", groups.toString()));
        try (Authenticator auth = Authenticators.create(config)) {
            Verdict alice = new Verdict.Accepted(new Identity("alice", Set.of("staff", "admins")));
            assertEquals(alice, auth.verify("alice", "alice-pw"));
            assertEquals(alice, auth.known("alice", "alice-pw"));
            assertEquals(new Verdict.Rejected("unknown user"), auth.verify("carol", "x"));

            Commands.run("htpasswd", "-b", "-B", users.toString(), "alice", "changed");
            Files.writeString(groups, "staff: alice\n");
            auth.reload();
            assertNull(auth.known("alice", "alice-pw"));
            assertEquals(new Verdict.Rejected("wrong password"), auth.verify("alice", "alice-pw"));
            assertEquals(new Verdict.Accepted(new Identity("alice", Set.of("staff"))), auth.verify("alice", "changed"));
            assertEquals(new Verdict.Accepted(new Identity("bob", Set.of())), auth.verify("bob", "bob-pw"));

            Files.writeString(users, "alice:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\n");
            AuthLoadException e = assertThrows(AuthLoadException.class, auth::reload);
            assertEquals(users + ":1: user 'alice': {SHA} hashes are unsalted SHA-1 and not supported; re-create with htpasswd -B",
                    e.getMessage());
            assertEquals(new Verdict.Accepted(new Identity("alice", Set.of("staff"))), auth.known("alice", "changed"));
        }
    }

    @Test
    void aBadFileFailsCreationWithFileAndLine() throws Exception {
        Path users = htpasswd();
        Path groups = Files.writeString(dir.resolve("groups"), "staff alice\n");
        AuthLoadException e = assertThrows(AuthLoadException.class, () -> Authenticators.create(auth(Map.of(
                "backend", "htpasswd", "htpasswdFile", users.toString(), "groupsFile", groups.toString()))));
        assertEquals(groups + ":1: expected group: user user ...", e.getMessage());
        AuthLoadException missing = assertThrows(AuthLoadException.class, () -> Authenticators.create(auth(Map.of(
                "backend", "htpasswd", "htpasswdFile", dir.resolve("missing").toString()))));
        assertEquals(dir.resolve("missing") + ": cannot read: java.nio.file.NoSuchFileException: " + dir.resolve("missing"),
                missing.getMessage());
    }

    @Test
    void noBackendHasNothingToBuild() throws Exception {
        GatehouseConfig.Auth none = auth(Map.of("backend", "none"));
        assertThrows(IllegalArgumentException.class, () -> Authenticators.create(none));
    }

    @Test
    void kerberosAloneKnowsNoPasswordAndTakesGroupsFromTheGroupFile() throws Exception {
        Path groups = Files.writeString(dir.resolve("groups"), "staff: alice\n");
        GatehouseConfig.Auth config = auth(Map.of("groupsFile", groups.toString(),
                "negotiate", Map.of("keytab", "etc/proxy.keytab")));
        assertEquals(true, config.enabled());
        assertEquals(false, config.basicOffered());
        try (Authenticator auth = Authenticators.create(config)) {
            assertEquals(new Verdict.Accepted(new Identity("alice", Set.of("staff"))), auth.lookup("alice"));
            assertEquals(new Verdict.Accepted(new Identity("bob", Set.of())), auth.lookup("bob"));
            assertEquals(Verdict.Rejected.class, auth.verify("alice", "").getClass(), "Basic is not offered");
        }
    }

    @Test
    void withABasicBackEndKerberosMayOfferBasicOrNot() throws Exception {
        Map<String, Object> negotiate = Map.of("keytab", "etc/proxy.keytab");
        assertEquals(true, auth(Map.of("backend", "ldap", "negotiate", negotiate)).basicOffered());
        assertEquals(false, auth(Map.of("backend", "ldap", "negotiate", Map.of("keytab", "etc/proxy.keytab",
                "offerBasic", false))).basicOffered());
        assertEquals(true, auth(Map.of("backend", "htpasswd", "negotiate", Map.of("offerBasic", false))).basicOffered(),
                "without a keytab there is no Kerberos, and offerBasic does not apply");
    }

    @Test
    void watchedFilesAreTheHtpasswdAndGroupFiles() throws Exception {
        assertEquals(List.of(Path.of("etc/htpasswd"), Path.of("etc/groups")),
                Authenticators.watchedFiles(auth(Map.of("backend", "htpasswd", "groupsFile", "etc/groups"))));
        assertEquals(List.of(), Authenticators.watchedFiles(auth(Map.of("backend", "ldap"))));
    }
}
