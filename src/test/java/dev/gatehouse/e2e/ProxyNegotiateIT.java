package dev.gatehouse.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.auth.Commands;
import dev.gatehouse.auth.Kdc;
import dev.gatehouse.auth.Slapd;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kerberos single sign-on ({@code Proxy-Authenticate: Negotiate}, RFC 4559) against a real MIT KDC started by the
 * test: {@code curl --proxy-negotiate} with the ticket cache kinit made for alice or bob, the proxy addressed as
 * {@code localhost} (curl asks for a ticket for {@code HTTP@localhost}). Tokens for raw-socket requests are taken
 * from curl by a stand-in proxy, so the tests can replay them and reuse a connection exactly.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProxyNegotiateIT {
    @TempDir
    static Path realmDir;
    private static Kdc kdc;
    private static Path alice;
    private static Path bob;

    @TempDir
    Path dir;
    private final MockWebServer origin = new MockWebServer();
    private GatehouseFixture proxy;

    @BeforeAll
    static void realm() throws Exception {
        kdc = Kdc.start(realmDir);
        alice = kdc.kinit("alice");
        bob = kdc.kinit("bob");
    }

    @AfterAll
    static void stopRealm() throws Exception {
        if (kdc != null) kdc.close();
    }

    @BeforeEach
    void startOrigin() throws Exception {
        origin.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (proxy != null) proxy.close(); // throws if something was logged above INFO
        } finally {
            origin.close();
        }
    }

    /**
     * Kerberos only (no Basic back-end); the groups file puts alice in {@code contractors} and bob in {@code staff};
     * neither contractors nor interns may visit the host localhost.
     */
    private void startProxy(Consumer<ObjectNode> more) throws Exception {
        Path policy = Files.writeString(dir.resolve("policy.json"), """
                {
                  "schemaVersion": 1,
                  "name": "kerberos-groups",
                  "defaultAction": { "action": "allow" },
                  "rules": [
                    { "id": "no-contractors", "match": { "hostExact": ["localhost"], "group": ["contractors"] },
                      "action": "block", "reason": "Not for contractors" },
                    { "id": "no-interns", "match": { "hostExact": ["localhost"], "group": ["interns"] },
                      "action": "block", "reason": "Not for interns" }
                  ]
                }
                """);
        Path groups = Files.writeString(dir.resolve("groups"), "contractors: alice\nstaff: bob\n");
        proxy = GatehouseFixture.start(c -> {
            ObjectNode auth = c.putObject("auth").put("groupsFile", groups.toString());
            auth.putObject("negotiate").put("keytab", kdc.keytab().toString()).put("principal", Kdc.SERVICE);
            c.withObject("/destinations").putArray("connectPorts").add(origin.getPort());
            c.withObject("/policy").put("file", policy.toString());
            more.accept(c);
        });
    }

    private void startProxy() throws Exception {
        startProxy(c -> { });
    }

    /** curl through the proxy as {@code localhost}, with the ticket cache {@code cache}; headers to {@code headers}. */
    private Curl.Result curl(Path cache, Path headers, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("--proxy-negotiate", "-U", ":", "-x", "http://localhost:" + proxy.proxyPort(),
                "-D", headers.toString(), "-w", "\n%{http_code}"));
        args.addAll(List.of(more));
        return Curl.run(dir, args, kdc.clientEnvironment(cache));
    }

    private String url(String path) {
        return "http://127.0.0.1:" + origin.getPort() + path;
    }

    private static String status(Curl.Result r) {
        return r.out().substring(r.out().lastIndexOf('\n') + 1);
    }

    private static String body(Curl.Result r) {
        return r.out().substring(0, r.out().lastIndexOf('\n'));
    }

    /** The values of every {@code Proxy-Authenticate} field in a curl header dump, in order. */
    private static List<String> challenges(Path headers) throws IOException {
        return Files.readAllLines(headers, StandardCharsets.ISO_8859_1).stream()
                .filter(l -> l.toLowerCase(Locale.ROOT).startsWith("proxy-authenticate:"))
                .map(l -> l.substring(l.indexOf(':') + 1).strip()).toList();
    }

    private static String userOf(JsonNode record) {
        return record.get("user").isNull() ? "-" : record.get("user").asText();
    }

    @Test
    void withoutATicketTheProxyAsksForNegotiateOnly() throws Exception {
        startProxy();
        Path headers = dir.resolve("h");
        Curl.Result r = curl(dir.resolve("no-such-ccache"), headers, url("/page"));
        assertEquals("407", status(r), r.err());
        assertEquals(List.of("Negotiate"), challenges(headers));
        assertEquals("auth_required", proxy.awaitOnlyRecord().get("error").asText());
        assertEquals(0, origin.getRequestCount());
    }

    @Test
    void aTicketLogsAliceInAndTheMutualAuthenticationTokenComesBack() throws Exception {
        startProxy();
        origin.enqueue(new MockResponse.Builder().body("hello alice").build());
        Path headers = dir.resolve("h");
        Curl.Result r = curl(alice, headers, url("/page"));
        assertEquals("200", status(r), r.err());
        assertEquals("hello alice", body(r));
        List<String> challenges = challenges(headers);
        assertEquals(1, challenges.size(), challenges.toString());
        assertTrue(challenges.getFirst().matches("Negotiate [A-Za-z0-9+/]+=*"), challenges.toString());
        JsonNode record = proxy.awaitOnlyRecord();
        assertEquals("alice", userOf(record), "stripRealm: the user without @" + Kdc.REALM);
        assertEquals(200, record.get("status").asInt());
        assertEquals(null, origin.takeRequest().getHeaders().get("Proxy-Authorization"), "consumed, not forwarded");
    }

    @Test
    void aGroupRuleBlocksAlicesGroupFromTheGroupsFile() throws Exception {
        startProxy();
        origin.enqueue(new MockResponse.Builder().body("for staff").build());
        String blocked = "http://localhost:" + origin.getPort() + "/blocked";
        Curl.Result a = curl(alice, dir.resolve("ha"), blocked);
        assertEquals("403", status(a), a.err());
        assertTrue(a.out().contains("Not for contractors"), a.out());
        Curl.Result b = curl(bob, dir.resolve("hb"), blocked);
        assertEquals("200", status(b), b.err());
        assertEquals("for staff", body(b));
        assertEquals(List.of("alice", "bob"), proxy.awaitRecords(2).stream().map(ProxyNegotiateIT::userOf).toList());
        assertEquals(1, origin.getRequestCount());
    }

    @Test
    void aConnectTunnelIsOpenedForTheTicketsUser() throws Exception {
        startProxy();
        origin.enqueue(new MockResponse.Builder().body("through the tunnel").build());
        Curl.Result r = curl(alice, dir.resolve("h"), "--proxytunnel", url("/tunnelled"));
        assertEquals("200", status(r), r.err());
        assertEquals("through the tunnel", body(r));
        JsonNode tunnel = proxy.awaitRecord(rec -> rec.get("method").asText().equals("CONNECT"));
        assertEquals("alice", userOf(tunnel));
        assertTrue(proxy.records().stream().noneMatch(rec -> rec.get("status").asInt() == 407), proxy.records().toString());
    }

    @Test
    void laterRequestsOnTheConnectionAreTheSameUserWithoutANewToken() throws Exception {
        startProxy();
        origin.enqueue(new MockResponse.Builder().body("one").build());
        origin.enqueue(new MockResponse.Builder().body("two").build());
        String token = tokenFromCurl(alice);
        try (Socket socket = proxy.socket()) {
            Response first = exchange(socket, "GET", url("/one"), "Proxy-Authorization: Negotiate " + token);
            assertEquals(200, first.status(), first.head());
            assertEquals("one", first.body());
            assertTrue(first.head().contains("\r\nProxy-Authenticate: Negotiate "), first.head());
            Response second = exchange(socket, "GET", url("/two"), null);
            assertEquals(200, second.status(), second.head());
            assertEquals("two", second.body());
        }
        try (Socket other = proxy.socket()) {
            assertEquals(407, exchange(other, "GET", url("/three"), null).status(), "another connection is not alice's");
        }
        List<JsonNode> records = proxy.awaitRecords(3);
        assertEquals(List.of("alice", "alice", "-"), records.stream().map(ProxyNegotiateIT::userOf).toList());
        assertEquals(2, origin.getRequestCount());
    }

    @Test
    void newCredentialsOnALoggedInConnectionAreCheckedAgain() throws Exception {
        startProxy();
        origin.enqueue(new MockResponse.Builder().body("one").build());
        String token = tokenFromCurl(alice);
        try (Socket socket = proxy.socket()) {
            assertEquals(200, exchange(socket, "GET", url("/one"), "Proxy-Authorization: Negotiate " + token).status());
            assertEquals(407, exchange(socket, "GET", url("/two"), "Proxy-Authorization: Negotiate Z2FyYmFnZQ==").status());
            assertEquals(407, exchange(socket, "GET", url("/three"), null).status(), "the failed login ended alice's");
        }
        assertEquals(List.of("alice", "-", "-"), proxy.awaitRecords(3).stream().map(ProxyNegotiateIT::userOf).toList());
    }

    @Test
    void aReplayedOrGarbageTokenGets407AndEachAttemptIsAudited() throws Exception {
        startProxy();
        origin.enqueue(new MockResponse.Builder().body("once").build());
        String token = tokenFromCurl(alice);
        List<String> fields = List.of("Negotiate " + token, "Negotiate " + token, "Negotiate Z2FyYmFnZQ==", "Negotiate !!!",
                "Negotiate");
        List<Integer> statuses = new ArrayList<>();
        for (String field : fields) {
            try (Socket socket = proxy.socket()) {
                statuses.add(exchange(socket, "GET", url("/x"), "Proxy-Authorization: " + field).status());
            }
        }
        assertEquals(List.of(200, 407, 407, 407, 407), statuses, "the second use of the token is a replay");
        List<JsonNode> records = proxy.awaitRecords(5);
        assertEquals(List.of("-", "auth_failed", "auth_failed", "auth_failed", "auth_failed"),
                records.stream().map(r -> r.get("error").isNull() ? "-" : r.get("error").asText()).toList());
        assertEquals(1, origin.getRequestCount());
    }

    @Test
    void anNtlmTokenIsRefusedWithALogLineSayingSo() throws Exception {
        startProxy();
        // An NTLM NEGOTIATE_MESSAGE, as Windows sends under Negotiate when it has no Kerberos ticket.
        String ntlm = "TlRMTVNTUAABAAAAB4IIogAAAAAAAAAAAAAAAAAAAAAKAGFKAAAADw==";
        try (Socket socket = proxy.socket()) {
            Response r = exchange(socket, "GET", url("/x"), "Proxy-Authorization: Negotiate " + ntlm);
            assertEquals(407, r.status(), r.head());
            assertTrue(r.head().contains("\r\nProxy-Authenticate: Negotiate\r\n"), r.head());
        }
        assertEquals("auth_failed", proxy.awaitOnlyRecord().get("error").asText());
        assertTrue(proxy.logged().stream().anyMatch(l -> l.contains("NTLM is not supported")), proxy.logged().toString());
    }

    @Test
    void withABasicBackEndBothSchemesAreOfferedNegotiateFirst() throws Exception {
        Path htpasswd = Files.writeString(dir.resolve("htpasswd"), Commands.htpasswd("-B", "carol", "carol-pw") + "\n");
        startProxy(c -> c.withObject("/auth").put("backend", "htpasswd").put("htpasswdFile", htpasswd.toString()));
        origin.enqueue(new MockResponse.Builder().body("basic").build());
        origin.enqueue(new MockResponse.Builder().body("kerberos").build());
        Path headers = dir.resolve("h");
        assertEquals("407", status(curl(dir.resolve("no-such-ccache"), headers, url("/x"))));
        assertEquals(List.of("Negotiate", "Basic realm=\"Gatehouse proxy\", charset=\"UTF-8\""), challenges(headers));

        Curl.Result basic = Curl.run(dir, List.of("-x", "http://localhost:" + proxy.proxyPort(), "-U", "carol:carol-pw",
                "-w", "\n%{http_code}", url("/basic")));
        assertEquals("200", status(basic), basic.err());
        Curl.Result kerberos = curl(alice, headers, url("/kerberos"));
        assertEquals("200", status(kerberos), kerberos.err());
        assertEquals("kerberos", body(kerberos));
        assertEquals(List.of("-", "carol", "alice"), proxy.awaitRecords(3).stream().map(ProxyNegotiateIT::userOf).toList());
    }

    @Test
    void withTheLdapBackEndKerberosUsersGetTheirDirectoryGroups() throws Exception {
        try (Slapd slapd = Slapd.start(Files.createDirectory(dir.resolve("slapd")))) {
            Path servicePassword = slapd.servicePasswordFile();
            startProxy(c -> {
                ObjectNode auth = c.withObject("/auth").put("backend", "ldap");
                auth.withObject("/negotiate").put("offerBasic", false);
                auth.putObject("ldap").put("url", slapd.ldapsUrl()).put("caFile", slapd.caFile().toString())
                        .put("bindDn", Slapd.SERVICE_DN).put("bindPasswordFile", servicePassword.toString())
                        .put("userBase", Slapd.PEOPLE).put("userFilter", "(uid={user})")
                        .put("groupBase", Slapd.GROUPS).put("groupFilter", "(member={dn})");
            });
            Path headers = dir.resolve("h");
            assertEquals("407", status(curl(dir.resolve("no-such-ccache"), headers, url("/x"))));
            assertEquals(List.of("Negotiate"), challenges(headers), "offerBasic: false keeps LDAP for the groups only");
            String blocked = "http://localhost:" + origin.getPort() + "/blocked";
            // bob is in interns in the directory only; alice in contractors in the groups file only.
            Curl.Result b = curl(bob, dir.resolve("hb"), blocked);
            assertEquals("403", status(b), b.err());
            assertTrue(b.out().contains("Not for interns"), b.out());
            Curl.Result a = curl(alice, dir.resolve("ha"), blocked);
            assertEquals("403", status(a), a.err());
            assertTrue(a.out().contains("Not for contractors"), a.out());
            Curl.Result basic = Curl.run(dir, List.of("-x", "http://localhost:" + proxy.proxyPort(), "-U",
                    "alice:" + Slapd.PASSWORDS.get("alice"), "-w", "\n%{http_code}", url("/x")));
            assertEquals("407", status(basic), "Basic is not offered, so not accepted either");
            assertEquals(List.of("-", "bob", "alice", "-"), proxy.awaitRecords(4).stream().map(ProxyNegotiateIT::userOf).toList());
            proxy.close(); // before the directory goes
            proxy = null;
        }
        assertEquals(0, origin.getRequestCount());
    }

    // ---- raw sockets, with a token curl made ----

    record Response(int status, String head, String body) {}

    /**
     * The token curl sends for {@code HTTP@localhost} with {@code cache}: a stand-in proxy on loopback answers 407
     * {@code Negotiate} until the token comes, then 200.
     */
    private String tokenFromCurl(Path cache) throws Exception {
        try (ServerSocket standIn = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            standIn.setSoTimeout(20_000);
            CompletableFuture<String> token = CompletableFuture.supplyAsync(() -> {
                try (Socket s = standIn.accept()) {
                    s.setSoTimeout(20_000);
                    InputStream in = s.getInputStream();
                    OutputStream out = s.getOutputStream();
                    while (true) {
                        String head = readHead(in);
                        String field = head.lines().filter(l -> l.regionMatches(true, 0, "Proxy-Authorization: Negotiate ", 0, 31))
                                .findFirst().orElse(null);
                        if (field == null) {
                            out.write("HTTP/1.1 407 Login\r\nProxy-Authenticate: Negotiate\r\nContent-Length: 0\r\n\r\n"
                                    .getBytes(StandardCharsets.ISO_8859_1));
                            continue;
                        }
                        out.write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                        return field.substring(31).strip();
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            Curl.Result r = Curl.run(dir, List.of("--proxy-negotiate", "-U", ":", "-x", "http://localhost:" + standIn.getLocalPort(),
                    url("/unused")), kdc.clientEnvironment(cache));
            String taken = token.get(30, TimeUnit.SECONDS);
            assertNotNull(taken, r.err());
            return taken;
        }
    }

    /** Sends one request on {@code socket} and reads the response (Content-Length framed, as the proxy sends them). */
    private static Response exchange(Socket socket, String method, String url, String field) throws IOException {
        String host = url.substring(url.indexOf("//") + 2, url.indexOf('/', url.indexOf("//") + 2));
        String request = method + " " + url + " HTTP/1.1\r\nHost: " + host + "\r\n" + (field == null ? "" : field + "\r\n") + "\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        String head = readHead(socket.getInputStream());
        int length = head.lines().filter(l -> l.regionMatches(true, 0, "Content-Length:", 0, 15))
                .map(l -> Integer.parseInt(l.substring(15).strip())).findFirst().orElse(0);
        byte[] body = socket.getInputStream().readNBytes(length);
        return new Response(Integer.parseInt(head.substring(9, 12)), head, new String(body, StandardCharsets.UTF_8));
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) throw new IOException("connection closed after " + head);
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }
}
