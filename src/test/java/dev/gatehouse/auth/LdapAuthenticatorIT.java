package dev.gatehouse.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.ResultCode;
import dev.gatehouse.config.GatehouseConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The LDAP back-end against a real OpenLDAP slapd ({@link Slapd}). */
class LdapAuthenticatorIT {
    private static final String TEMPLATE = "uid={user}," + Slapd.PEOPLE;

    @TempDir
    static Path dir;
    static Slapd slapd;

    @BeforeAll
    static void startSlapd() throws Exception {
        slapd = Slapd.start(dir);
    }

    @AfterAll
    static void stopSlapd() throws Exception {
        if (slapd != null) slapd.stop();
    }

    private static Verdict verify(Map<String, Object> settings, String user, String password) throws Exception {
        return verify(slapd.ldapUrl(), settings, user, password);
    }

    private static Verdict verify(String url, Map<String, Object> settings, String user, String password) throws Exception {
        try (Authenticator auth = LdapSettings.open(url, settings)) {
            return auth.verify(user, password);
        }
    }

    private static Verdict accepted(String user, String... groups) {
        return new Verdict.Accepted(new Identity(user, Set.of(groups)));
    }

    @Test
    void bindsAsTheUserByDnTemplate() throws Exception {
        assertEquals(accepted("alice", "staff", "everyone"), verify(Map.of("userDnTemplate", TEMPLATE), "alice", "alice-pw"));
    }

    @Test
    void searchesWithTheServiceAccountThenBindsAsTheUser() throws Exception {
        Map<String, Object> service = Map.of("bindDn", Slapd.SERVICE_DN,
                "bindPasswordFile", slapd.servicePasswordFile().toString());
        assertEquals(accepted("bob", "interns", "staff", "everyone"), verify(service, "bob", "bob-pw"));
        assertEquals(new Verdict.Rejected("bind refused: 49 (invalid credentials)"), verify(service, "bob", "alice-pw"));
    }

    @Test
    void findsTheGroupsOfAUserKerberosVerifiedWithoutAPassword() throws Exception {
        Map<String, Object> service = Map.of("bindDn", Slapd.SERVICE_DN,
                "bindPasswordFile", slapd.servicePasswordFile().toString());
        try (Authenticator auth = LdapSettings.open(slapd.ldapUrl(), service)) {
            assertEquals(accepted("bob", "interns", "staff", "everyone"), auth.lookup("bob"));
            assertEquals(accepted("erin"), auth.lookup("erin"), "Kerberos vouches for erin; the directory knows no groups of hers");
        }
        try (Authenticator auth = LdapSettings.open(slapd.ldapUrl(), Map.of("userDnTemplate", TEMPLATE))) {
            assertEquals(accepted("alice", "staff", "everyone"), auth.lookup("alice"));
        }
    }

    @Test
    void searchesAnonymouslyWithoutAServiceAccount() throws Exception {
        assertEquals(accepted("carol", "cycle-a", "cycle-b"), verify(Map.of(), "carol", "carol-pw"));
    }

    @ParameterizedTest(name = "template={0}")
    @ValueSource(booleans = {true, false})
    void aWrongServicePasswordIsAnOutageNotAWrongUserPassword(boolean template) throws Exception {
        Path wrong = Files.writeString(dir.resolve("wrong-service-password"), "nope\n");
        Map<String, Object> settings = new HashMap<>(Map.of("bindDn", Slapd.SERVICE_DN, "bindPasswordFile", wrong.toString()));
        if (template) settings.put("userDnTemplate", TEMPLATE);
        Verdict verdict = verify(settings, "alice", "alice-pw");
        assertInstanceOf(Verdict.Unavailable.class, verdict);
    }

    @Test
    void reloadReadsARotatedServicePassword() throws Exception {
        Path passwordFile = Files.writeString(dir.resolve("rotating-service-password"), "old-secret\n");
        try (Authenticator auth = LdapSettings.open(slapd.ldapUrl(),
                Map.of("bindDn", Slapd.SERVICE_DN, "bindPasswordFile", passwordFile.toString()))) {
            assertInstanceOf(Verdict.Unavailable.class, auth.verify("alice", "alice-pw"));
            Files.writeString(passwordFile, Slapd.SERVICE_PASSWORD + "\n");
            auth.reload();
            assertEquals(accepted("alice", "staff", "everyone"), auth.verify("alice", "alice-pw"));
            Files.writeString(passwordFile, "");
            AuthLoadException e = assertThrows(AuthLoadException.class, auth::reload);
            assertEquals(passwordFile + ":1: the bind password is empty", e.getMessage());
            assertEquals(accepted("alice", "staff", "everyone"), auth.verify("alice", "alice-pw"));
        }
    }

    /**
     * A group file edit re-reads the groups alone. The pool stays: it was opened with the service password read at
     * start, so it still works after that file is spoiled, where a new pool (a full reload) would read the spoiled one.
     */
    @Test
    void aGroupFileEditKeepsThePoolAndTheRememberedLoginsAndTakesEffect() throws Exception {
        Path passwordFile = Files.writeString(dir.resolve("kept-service-password"), Slapd.SERVICE_PASSWORD + "\n");
        Path groups = Files.writeString(dir.resolve("groups"), "proxy-admins: alice\n");
        GatehouseConfig.Auth config = LdapSettings.auth(slapd.ldapUrl(),
                Map.of("bindDn", Slapd.SERVICE_DN, "bindPasswordFile", passwordFile.toString()),
                Map.of("groupsFile", groups.toString()));
        try (Authenticator auth = Authenticators.create(config)) {
            assertEquals(accepted("alice", "staff", "everyone", "proxy-admins"), auth.verify("alice", "alice-pw"));
            Files.writeString(passwordFile, "spoiled\n");
            Files.writeString(groups, "proxy-admins: bob\n");

            assertTrue(auth.reloadChanged(Set.of(groups.toAbsolutePath())));
            // Alice's remembered login, without asking the directory again, with the new file's groups.
            assertEquals(accepted("alice", "staff", "everyone"), auth.known("alice", "alice-pw"));
            // Bob is searched for and bound through the same pool, still bound as the service account.
            assertEquals(accepted("bob", "interns", "staff", "everyone", "proxy-admins"), auth.verify("bob", "bob-pw"));

            auth.reload(); // SIGHUP or admin: a new pool, with the spoiled password
            assertInstanceOf(Verdict.Unavailable.class, auth.verify("carol", "carol-pw"));
        }
    }

    @ParameterizedTest(name = "template={0}")
    @ValueSource(booleans = {true, false})
    void aWrongPasswordOrUnknownUserIsRejected(boolean template) throws Exception {
        Map<String, Object> settings = template ? Map.of("userDnTemplate", TEMPLATE) : Map.of();
        assertEquals(new Verdict.Rejected("bind refused: 49 (invalid credentials)"), verify(settings, "alice", "bob-pw"));
        assertEquals(new Verdict.Rejected("bind refused: 49 (invalid credentials)"), verify(settings, "alice", "ALICE-PW"));
        assertEquals(template ? new Verdict.Rejected("bind refused: 49 (invalid credentials)") : new Verdict.Rejected("unknown user"),
                verify(settings, "mallory", "alice-pw"));
    }

    /** RFC 4513 §5.1.2: the empty password must be refused before any bind, even when nothing could be asked. */
    @ParameterizedTest(name = "template={0}")
    @ValueSource(booleans = {true, false})
    void anEmptyPasswordIsRejectedWithoutAskingTheServer(boolean template) throws Exception {
        Map<String, Object> settings = template ? Map.of("userDnTemplate", TEMPLATE) : Map.of();
        assertEquals(new Verdict.Rejected("empty password"), verify(settings, "alice", ""));
        String nobody = "ldap://127.0.0.1:" + closedPort();
        assertEquals(new Verdict.Rejected("empty password"), verify(nobody, settings, "alice", ""));
        assertInstanceOf(Verdict.Unavailable.class, verify(nobody, settings, "alice", "alice-pw"));
    }

    @Test
    void theTestDirectoryWouldTakeAnUnauthenticatedBindAsSuccess() throws Exception {
        LDAPConnectionOptions options = new LDAPConnectionOptions();
        options.setBindWithDNRequiresPassword(false); // UnboundID refuses these by default; the server does not
        try (LDAPConnection connection = new LDAPConnection(options, "127.0.0.1", slapd.ldapPort())) {
            assertEquals(ResultCode.SUCCESS, connection.bind(Slapd.userDn("alice"), "").getResultCode());
        }
    }

    @Test
    void theResponseTimeoutEndsAWaitForASilentServer() throws Exception {
        List<Socket> held = Collections.synchronizedList(new ArrayList<>());
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread accepter = Thread.ofVirtual().start(() -> {
                while (!silent.isClosed()) {
                    try {
                        held.add(silent.accept()); // accepts and never answers
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            Verdict verdict = verify("ldap://127.0.0.1:" + silent.getLocalPort(), Map.of("responseTimeout", "1s"),
                    "alice", "alice-pw");
            assertInstanceOf(Verdict.Unavailable.class, verdict);
            silent.close();
            accepter.join();
        } finally {
            for (Socket socket : held) socket.close();
        }
    }

    @Test
    void thePoolHoldsPoolSizeConnections() throws Exception {
        try (LDAPConnectionPool pool = LdapConnectionPools.open(LdapSettings.auth(slapd.ldapUrl(), Map.of("poolSize", 3)).ldap())) {
            assertEquals(3, pool.getMaximumAvailableConnections());
        }
    }

    @ParameterizedTest(name = "depth {0}")
    @CsvSource(delimiter = '|', value = {"0|interns", "1|interns,staff", "2|interns,staff,everyone", "10|interns,staff,everyone"})
    void nestedGroupsAreFollowedToTheConfiguredDepth(int depth, String groups) throws Exception {
        assertEquals(accepted("bob", groups.split(",")), verify(Map.of("nestedDepth", depth), "bob", "bob-pw"));
    }

    /** LDAP matches names case-insensitively; policy rules compare exactly, so "ALICE" must become "alice". */
    @ParameterizedTest(name = "template={0}")
    @ValueSource(booleans = {true, false})
    void theIdentityCarriesTheDirectorysSpellingOfTheName(boolean template) throws Exception {
        Map<String, Object> settings = template ? Map.of("userDnTemplate", TEMPLATE) : Map.of();
        assertEquals(accepted("alice", "staff", "everyone"), verify(settings, "ALICE", "alice-pw"));
        // memberUid is compared exactly by the directory, so the group lookup needs the directory's spelling too.
        Map<String, Object> posix = new HashMap<>(settings);
        posix.put("groupFilter", "(memberUid={user})");
        assertEquals(accepted("carol", "printers"), verify(posix, "Carol", "carol-pw"));
    }

    @Test
    void aGroupCycleEnds() throws Exception {
        assertEquals(accepted("carol", "cycle-a", "cycle-b"), verify(Map.of("nestedDepth", 10), "carol", "carol-pw"));
    }

    @Test
    void posixGroupsByMemberUid() throws Exception {
        assertEquals(accepted("carol", "printers"), verify(Map.of("groupFilter", "(memberUid={user})"), "carol", "carol-pw"));
    }

    @Test
    void noGroupBaseMeansNoGroups() throws Exception {
        assertEquals(accepted("alice"), verify(Map.of("groupBase", ""), "alice", "alice-pw"));
    }

    @ParameterizedTest(name = "template={0}")
    @ValueSource(booleans = {true, false})
    void filterAndDnInjectionInTheUserNameIsHarmless(boolean template) throws Exception {
        Map<String, Object> settings = template ? Map.of("userDnTemplate", TEMPLATE) : Map.of();
        for (String user : new String[] {"*)(uid=*", "*", "alice)(|(uid=*", "alice,ou=people", "alice\\"}) {
            assertInstanceOf(Verdict.Rejected.class, verify(settings, user, "alice-pw"), user);
        }
    }

    @Test
    void aUserFoundTwiceIsRejected() throws Exception {
        assertEquals(new Verdict.Rejected("more than one entry matches userFilter"),
                verify(Map.of("userBase", Slapd.BASE_DN), "dave", "dave-pw"));
    }

    @Test
    void ldapsTrustsTheConfiguredCa() throws Exception {
        assertEquals(accepted("alice", "staff", "everyone"),
                verify(slapd.ldapsUrl(), Map.of("caFile", slapd.caFile().toString()), "alice", "alice-pw"));
    }

    @Test
    void startTlsTrustsTheConfiguredCa() throws Exception {
        assertEquals(accepted("alice", "staff", "everyone"),
                verify(Map.of("startTls", true, "caFile", slapd.caFile().toString()), "alice", "alice-pw"));
    }

    @Test
    void aServerCertificateFromAnotherCaIsUnavailable() throws Exception {
        Map<String, Object> otherCa = Map.of("caFile", slapd.otherCaFile().toString());
        assertInstanceOf(Verdict.Unavailable.class, verify(slapd.ldapsUrl(), otherCa, "alice", "alice-pw"));
        Map<String, Object> startTls = Map.of("startTls", true, "caFile", slapd.otherCaFile().toString());
        assertInstanceOf(Verdict.Unavailable.class, verify(startTls, "alice", "alice-pw"));
        // Without a caFile the JDK's trust store is used, which does not know the test CA either.
        assertInstanceOf(Verdict.Unavailable.class, verify(slapd.ldapsUrl(), Map.of(), "alice", "alice-pw"));
    }

    @Test
    void aCertificateForAnotherHostNameIsUnavailable() throws Exception {
        // slapd also listens on 127.0.0.2, which the certificate (127.0.0.1, localhost) does not name.
        Verdict verdict = verify("ldaps://127.0.0.2:" + slapd.ldapsPort(), Map.of("caFile", slapd.caFile().toString()),
                "alice", "alice-pw");
        assertInstanceOf(Verdict.Unavailable.class, verdict);
        Verdict startTls = verify("ldap://127.0.0.2:" + slapd.ldapPort(),
                Map.of("startTls", true, "caFile", slapd.caFile().toString()), "alice", "alice-pw");
        assertInstanceOf(Verdict.Unavailable.class, startTls);
        // The same address without TLS works, so the refusals above are the certificate check.
        assertInstanceOf(Verdict.Accepted.class, verify("ldap://127.0.0.2:" + slapd.ldapPort(), Map.of(), "alice", "alice-pw"));
    }

    @Test
    void aFilterThatIsNotOneFailsAtLoad() {
        AuthLoadException e = assertThrows(AuthLoadException.class, () -> LdapSettings.open(slapd.ldapUrl(),
                Map.of("userFilter", "(uid={user}")));
        assertTrue(e.getMessage().startsWith("auth.ldap.userFilter '(uid={user}' is not an LDAP filter (RFC 4515)"), e.getMessage());
    }

    static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
