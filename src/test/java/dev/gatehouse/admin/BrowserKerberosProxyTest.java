package dev.gatehouse.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.auth.Commands;
import dev.gatehouse.auth.Kdc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Kerberos single sign-on with a real browser: headless Chromium, given only {@code --proxy-server} naming the proxy
 * {@code localhost} (the service principal is {@value Kdc#SERVICE}) and the realm's {@code KRB5_CONFIG} and
 * {@code KRB5CCNAME} (alice's ticket cache from kinit, as a domain login leaves it), loads a page through Gatehouse.
 * Chromium on Linux loads the system's {@code libgssapi_krb5.so.2} for this. Basic is offered beside Negotiate, so a
 * browser that fell back to it would raise a credentials prompt (counted by the script, and cancelled: a 407 page).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrowserKerberosProxyTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    private Kdc kdc;
    private Path alice;
    private int runs;
    private TestOrigin origin;
    private GatehouseProcess gatehouse;
    /** A name the proxy resolves to loopback (Chromium would bypass the proxy for a loopback name or address). */
    private final String originHost = "origin.gatehouse.test";

    @BeforeAll
    void start() throws Exception {
        NodeScripts.requireTools(true);
        kdc = Kdc.start(Files.createDirectories(dir.resolve("realm")));
        alice = kdc.kinit("alice");
        origin = new TestOrigin();
        Path htpasswd = Files.writeString(dir.resolve("htpasswd"), Commands.htpasswd("-B", "carol", "carol-pw") + "\n");
        String config = """
                {"listen": "127.0.0.1:PROXY_PORT", "admin": "127.0.0.1:ADMIN_PORT", "dataDir": "DATA_DIR",
                 "destinations": {"allowPrivate": ["127.0.0.0/8"]},
                 "auth": {"backend": "htpasswd", "htpasswdFile": "%s",
                          "negotiate": {"keytab": "%s", "principal": "%s"}}}
                """.formatted(htpasswd, kdc.keytab(), Kdc.SERVICE);
        gatehouse = GatehouseProcess.start(dir, GatehouseProcess.freePort(), config,
                List.of("127.0.0.1 localhost", "127.0.0.1 " + originHost));
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (gatehouse != null) gatehouse.close();
            if (origin != null) origin.close();
        } finally {
            if (kdc != null) kdc.close();
        }
    }

    /**
     * Chromium needs no {@code --auth-server-allowlist} (the {@code AuthServerAllowlist} policy) for its proxy: it
     * uses the ticket without one, with one naming the proxy, and with one that does not name it (that list governs
     * servers, not the configured proxy). Its net log shows the GSSAPI library it loaded and the SPN it asked for.
     */
    @ParameterizedTest
    @ValueSource(strings = {"", "--auth-server-allowlist=localhost", "--auth-server-allowlist=intranet.example"})
    void chromiumLogsAliceInToTheProxyWithHerTicketAndNoPrompt(String allowlist) throws Exception {
        String page = "http://" + originHost + ":" + origin.port() + "/page.html?" + (++runs);
        Path netlog = dir.resolve("negotiate-" + runs + ".netlog.json");
        JsonNode out = browse(page, alice, netlog, allowlist.isEmpty() ? List.of() : List.of(allowlist));

        assertEquals(200, out.get("status").asInt(), out.toString());
        assertEquals(TestOrigin.TITLE, out.get("title").asText());
        assertEquals("Hello through the proxy", out.get("heading").asText());
        assertEquals(0, out.get("authPrompts").asInt(), "Chromium fell back to a credentials prompt: " + out);
        JsonNode record = awaitRecord(page, r -> r.path("status").asInt() != 407);
        assertEquals("alice", record.get("user").asText(), record.toString());
        assertEquals(200, record.get("status").asInt(), record.toString());
        List<JsonNode> gssapi = NodeScripts.netLogParams(netlog, "AUTH_LIBRARY_LOAD");
        assertTrue(gssapi.stream().anyMatch(p -> p.path("library_name").asText().equals("libgssapi_krb5.so.2")), gssapi.toString());
        List<JsonNode> names = NodeScripts.netLogParams(netlog, "AUTH_LIBRARY_IMPORT_NAME");
        assertTrue(names.stream().anyMatch(p -> p.path("spn").asText().equals("HTTP@localhost")), names.toString());
    }

    /** The control: without a ticket the same browser gets no further than Basic's prompt (cancelled: the 407 page). */
    @Test
    void withoutATicketChromiumFallsBackToBasicsPrompt() throws Exception {
        String page = "http://" + originHost + ":" + origin.port() + "/page.html?no-ticket";
        JsonNode out = browse(page, dir.resolve("no-such-ccache"), dir.resolve("no-ticket.netlog.json"), List.of());

        assertEquals(407, out.get("status").asInt(), out.toString());
        assertEquals(1, out.get("authPrompts").asInt(), out.toString());
        JsonNode record = awaitRecord(page, r -> true);
        assertTrue(record.get("user").isNull(), record.toString());
        assertEquals("auth_required", record.get("error").asText(), record.toString());
    }

    /** Chromium with the proxy named {@code localhost}, the realm's krb5.conf and the ticket cache {@code cache}. */
    private JsonNode browse(String page, Path cache, Path netlog, List<String> flags) throws Exception {
        List<String> args = new ArrayList<>(List.of("page", page, Files.createTempDirectory(dir, "chromium").toString(),
                netlog.toString(), "--proxy-server=http://localhost:" + gatehouse.proxyPort));
        args.addAll(flags);
        return NodeScripts.run("browser.mjs", args, kdc.clientEnvironment(cache), 90);
    }

    /** The first JSON audit record of {@code url} that {@code wanted} accepts, waiting (bounded) for it. */
    private JsonNode awaitRecord(String url, Predicate<JsonNode> wanted) throws Exception {
        for (int i = 0; i < 100; i++) {
            for (String line : Files.exists(gatehouse.auditLog) ? Files.readAllLines(gatehouse.auditLog) : List.<String>of()) {
                if (!line.endsWith("}")) continue; // still being written
                JsonNode record = JSON.readTree(line);
                if (record.path("url").asText().equals(url) && wanted.test(record)) return record;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no such audit record of " + url + " within 5 s:\n" + Files.readString(gatehouse.auditLog));
    }
}
