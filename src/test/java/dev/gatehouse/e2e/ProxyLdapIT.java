package dev.gatehouse.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.auth.Slapd;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proxy authentication against a real OpenLDAP {@code slapd} (started by the test on loopback, over
 * {@code ldaps://} with a test CA, search-then-bind with a service account): {@code curl -x -U} with right
 * and wrong passwords, a group rule that reaches bob through a nested group, and the directory going
 * down: remembered logins carry on, new ones get the fail-closed 503 page.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ProxyLdapIT {
    @TempDir
    Path dir;
    private final MockWebServer origin = new MockWebServer();
    private Slapd slapd;
    private GatehouseFixture proxy;

    @BeforeEach
    void start() throws Exception {
        origin.start(InetAddress.getByName("127.0.0.1"), 0);
        slapd = Slapd.start(Files.createDirectory(dir.resolve("slapd")));
        Path policy = dir.resolve("policy.json");
        Files.writeString(policy, """
                {
                  "schemaVersion": 1,
                  "name": "ldap-groups",
                  "defaultAction": { "action": "allow" },
                  "rules": [
                    { "id": "staff-only", "match": { "port": ["%d"], "notGroup": ["everyone"] },
                      "action": "block", "reason": "Staff only" }
                  ]
                }
                """.formatted(origin.getPort()));
        Path servicePassword = slapd.servicePasswordFile();
        proxy = GatehouseFixture.start(c -> {
            ObjectNode auth = c.putObject("auth").put("backend", "ldap").put("realm", "Corp");
            auth.putArray("networks").add("127.0.0.0/8");
            ObjectNode ldap = auth.putObject("ldap");
            ldap.put("url", slapd.ldapsUrl()).put("caFile", slapd.caFile().toString())
                    .put("bindDn", Slapd.SERVICE_DN).put("bindPasswordFile", servicePassword.toString())
                    .put("userBase", Slapd.PEOPLE).put("userFilter", "(uid={user})")
                    .put("groupBase", Slapd.GROUPS).put("groupFilter", "(member={dn})").put("nestedDepth", 3)
                    .put("connectTimeout", "2s").put("responseTimeout", "2s");
            c.withObject("/policy").put("file", policy.toString());
        });
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (proxy != null) proxy.close(); // throws if something was logged above INFO
        } finally {
            if (slapd != null) slapd.close();
            origin.close();
        }
    }

    private Curl.Result get(String credentials, String path) throws Exception {
        List<String> args = new ArrayList<>(List.of("-x", "http://127.0.0.1:" + proxy.proxyPort(), "-w", "\n%{http_code}"));
        if (credentials != null) args.addAll(List.of("-U", credentials));
        args.add("http://127.0.0.1:" + origin.getPort() + path);
        return Curl.run(dir, args);
    }

    private static String status(Curl.Result r) {
        return r.out().substring(r.out().lastIndexOf('\n') + 1);
    }

    @Test
    void directoryUsersLogInAndTheirNestedGroupsFeedThePolicy() throws Exception {
        origin.enqueue(new MockResponse.Builder().body("staff page").build());
        origin.enqueue(new MockResponse.Builder().body("staff page").build());
        assertEquals("407", status(get(null, "/staff/")));
        assertEquals("407", status(get("alice:wrong-password", "/staff/")));
        // alice is in staff, staff in everyone; bob is in interns, interns in staff: two levels down.
        Curl.Result alice = get("alice:" + Slapd.PASSWORDS.get("alice"), "/staff/");
        assertEquals("200", status(alice), alice.err());
        Curl.Result bob = get("bob:" + Slapd.PASSWORDS.get("bob"), "/staff/");
        assertEquals("200", status(bob), bob.err());
        // carol is only in the cycle groups (and a posixGroup by memberUid, which this filter does not ask).
        Curl.Result carol = get("carol:" + Slapd.PASSWORDS.get("carol"), "/staff/");
        assertEquals("403", status(carol), carol.out());
        assertTrue(carol.out().contains("Staff only"), carol.out());

        List<JsonNode> records = proxy.awaitRecords(5);
        assertEquals(List.of("-", "-", "alice", "bob", "carol"),
                records.stream().map(r -> r.get("user").isNull() ? "-" : r.get("user").asText()).toList());
        assertEquals(List.of("auth_required", "auth_failed"),
                records.subList(0, 2).stream().map(r -> r.get("error").asText()).toList());
        assertEquals(2, origin.getRequestCount());
    }

    @Test
    void whenTheDirectoryIsDownRememberedLoginsCarryOnAndNewOnesFailClosed() throws Exception {
        origin.enqueue(new MockResponse.Builder().body("one").build());
        origin.enqueue(new MockResponse.Builder().body("two").build());
        assertEquals("200", status(get("alice:" + Slapd.PASSWORDS.get("alice"), "/a")));
        slapd.stop();

        assertEquals("200", status(get("alice:" + Slapd.PASSWORDS.get("alice"), "/b")), "remembered for successTtl");
        Curl.Result bob = get("bob:" + Slapd.PASSWORDS.get("bob"), "/c");
        assertEquals("503", status(bob), bob.out());
        assertTrue(bob.out().contains("user directory does not answer"), bob.out());
        JsonNode record = proxy.awaitRecord(r -> r.get("status").asInt() == 503);
        assertEquals("auth_unavailable", record.get("error").asText());
        assertEquals(2, origin.getRequestCount());
        List<String> warnings = proxy.takeWarnings();
        assertTrue(warnings.stream().anyMatch(w -> w.contains("back-end unavailable")), warnings.toString());
    }
}
