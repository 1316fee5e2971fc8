package dev.gatehouse.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.auth.Commands;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.SSLSocket;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A branch-office Gatehouse (the child) forwarding through a head-office Gatehouse (the parent), both on
 * ephemeral ports, MockWebServer as the origin: plain requests in absolute form and cached at the child,
 * CONNECT through both to a TLS origin, Basic credentials to a parent that requires a login, a parent that
 * is down (error page, or direct with {@code fallbackDirect}), {@code directDomains}, and a scripted parent for
 * the CONNECT handshake's edges (bytes after the head, a 407, a refusal).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ParentProxyIT {
    private static final String PARENT_PASSWORD = "hq-s3cret:pw";

    @TempDir
    Path dir;
    private final MockWebServer origin = new MockWebServer();
    private GatehouseFixture parent;
    private GatehouseFixture child;
    private MockWebServer tlsOrigin;
    private RawOrigin scriptedParent;

    @BeforeEach
    void startOrigin() throws IOException {
        origin.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    @AfterEach
    void stop() throws IOException {
        if (child != null) child.close();
        if (parent != null) parent.close();
        origin.close();
        if (tlsOrigin != null) tlsOrigin.close();
        if (scriptedParent != null) scriptedParent.close();
    }

    private GatehouseFixture startParent(Consumer<ObjectNode> more) {
        return GatehouseFixture.start(c -> {
            c.withObject("/forwarding").put("via", "hq");
            more.accept(c);
        });
    }

    /** The child, its parents at {@code parentPorts} on loopback; {@code more} adds to {@code forwarding.parent}. */
    private GatehouseFixture startChild(Consumer<ObjectNode> more, int... parentPorts) {
        return GatehouseFixture.start(c -> {
            ObjectNode forwarding = c.withObject("/forwarding").put("via", "branch").put("connectTimeout", "2s");
            ObjectNode p = forwarding.putObject("parent");
            var proxies = p.putArray("proxies");
            for (int port : parentPorts) proxies.add("127.0.0.1:" + port);
            more.accept(p);
            var ports = c.withObject("/destinations").putArray("connectPorts").add(443).add(origin.getPort());
            if (tlsOrigin != null) ports.add(tlsOrigin.getPort());
        });
    }

    private String originUrl(String path) {
        return "http://127.0.0.1:" + origin.getPort() + path;
    }

    private static HttpResponse<String> get(GatehouseFixture proxy, String url) throws Exception {
        return proxy.client().send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A port nothing listens on: bound, then closed. */
    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    /**
     * The record's hierarchy as the Squid format writes it ({@code %Sh/%<a}): {@code FIRSTUP_PARENT/<parent>} when a
     * parent was reached, {@code HIER_DIRECT/<origin IP>} when the request went direct, {@code HIER_NONE/-} when
     * nothing was.
     */
    private static String hierarchy(JsonNode record) {
        JsonNode upstream = record.get("upstream");
        return record.get("hierarchy").asText() + "/" + (upstream.isNull() ? "-" : upstream.asText());
    }

    @Test
    void aRequestGoesThroughTheParentAndItsCachedCopyIsThenAHitAtTheChild() throws Exception {
        parent = startParent(c -> { });
        child = startChild(p -> { }, parent.proxyPort());
        origin.enqueue(new MockResponse.Builder().setHeader("Cache-Control", "max-age=600").body("from the origin").build());

        HttpResponse<String> first = get(child, originUrl("/page?q=1"));
        assertEquals(200, first.statusCode());
        assertEquals("from the origin", first.body());
        assertEquals("1.1 hq, 1.1 branch", first.headers().firstValue("Via").orElse(null), "both hops on the way back");
        RecordedRequest seen = origin.takeRequest(10, TimeUnit.SECONDS);
        assertNotNull(seen);
        assertEquals("/page?q=1", seen.getTarget());
        assertEquals("1.1 branch, 1.1 hq", seen.getHeaders().get("Via"), "both hops on the way out");
        assertEquals(null, seen.getHeaders().get("Proxy-Authorization"));

        JsonNode atChild = child.awaitOnlyRecord();
        assertEquals("TCP_MISS", atChild.get("result").asText());
        assertEquals("FIRSTUP_PARENT", atChild.get("hierarchy").asText());
        assertEquals("127.0.0.1", atChild.get("upstream").asText());
        JsonNode atParent = parent.awaitOnlyRecord();
        assertEquals("TCP_MISS", atParent.get("result").asText());
        assertEquals("HIER_DIRECT", atParent.get("hierarchy").asText());
        assertEquals(originUrl("/page?q=1"), atParent.get("url").asText(), "the parent was sent the absolute URL");

        HttpResponse<String> second = get(child, originUrl("/page?q=1"));
        assertEquals("from the origin", second.body());
        assertTrue(child.awaitRecords(2).get(1).get("result").asText().contains("HIT"), () -> child.records().toString());
        assertEquals(1, parent.records().size(), "a hit at the child asks no one");
        assertEquals(1, origin.getRequestCount());
    }

    /** A Gatehouse on the default {@code forwarding.via}, the fixture's pseudonym removed; parents at {@code parentPorts}. */
    private static GatehouseFixture startOnDefaultVia(int... parentPorts) {
        return GatehouseFixture.start(c -> {
            ObjectNode forwarding = c.withObject("/forwarding");
            forwarding.remove("via");
            var proxies = forwarding.putObject("parent").putArray("proxies");
            for (int port : parentPorts) proxies.add("127.0.0.1:" + port);
        });
    }

    /** This machine's name as {@code gethostname()} gives it, the default pseudonym (as Squid's {@code visible_hostname}). */
    private static String hostName() throws Exception {
        String name = Commands.run("hostname").strip();
        assumeTrue(name.matches("[A-Za-z0-9._-]{1,64}"), "a host name usable as a pseudonym as it is: " + name);
        return name;
    }

    @Test
    void aChildOnTheDefaultPseudonymNamesThisHostAndAParentNamedOtherwiseForwardsIt() throws Exception {
        String host = hostName();
        parent = startParent(c -> { });
        child = startOnDefaultVia(parent.proxyPort());
        origin.enqueue(new MockResponse.Builder().body("through head office").build());

        HttpResponse<String> r = get(child, originUrl("/chained"));

        assertEquals(200, r.statusCode(), r::body);
        assertEquals("1.1 hq, 1.1 " + host, r.headers().firstValue("Via").orElse(null));
        assertEquals(List.of("MISS from hq", "MISS from " + host), r.headers().allValues("X-Cache"));
        assertEquals("1.1 " + host + ", 1.1 hq", origin.takeRequest(10, TimeUnit.SECONDS).getHeaders().get("Via"));
        assertEquals("TCP_MISS", parent.awaitOnlyRecord().get("result").asText());
    }

    /** Both on defaults on one machine share its name: the loop check cannot tell them apart (give one a pseudonym). */
    @Test
    void aParentOnTheSameHostAndOnTheDefaultPseudonymTooRefusesTheChildAsALoop() throws Exception {
        parent = startOnDefaultVia();
        child = startOnDefaultVia(parent.proxyPort());

        HttpResponse<String> r = get(child, originUrl("/loop"));

        assertEquals(403, r.statusCode());
        JsonNode atParent = parent.awaitOnlyRecord();
        assertEquals("TCP_DENIED", atParent.get("result").asText());
        assertEquals("forwarding_loop", atParent.get("error").asText());
        assertEquals(0, origin.getRequestCount());
    }

    @Test
    void aBackgroundRevalidationAtTheChildGoesThroughTheParentToo() throws Exception {
        parent = startParent(c -> c.putObject("cache").put("enabled", false)); // every request reaches the origin
        child = startChild(p -> { }, parent.proxyPort());
        origin.enqueue(new MockResponse.Builder().setHeader("Cache-Control", "max-age=0, stale-while-revalidate=600")
                .setHeader("ETag", "\"v1\"").body("hello").build());
        origin.enqueue(new MockResponse.Builder().code(304).setHeader("Cache-Control", "max-age=600").setHeader("ETag", "\"v1\"").build());

        get(child, originUrl("/swr"));
        assertEquals("hello", get(child, originUrl("/swr")).body());

        origin.takeRequest(10, TimeUnit.SECONDS);
        RecordedRequest background = origin.takeRequest(10, TimeUnit.SECONDS);
        assertNotNull(background, "the child revalidated in the background");
        assertEquals("\"v1\"", background.getHeaders().get("If-None-Match"));
        assertEquals("1.1 branch, 1.1 hq", background.getHeaders().get("Via"), "by way of the parent");
        assertEquals(2, parent.awaitRecords(2).size());
    }

    @Test
    void theOriginsNameIsResolvedByTheParentNotByTheChild() throws Exception {
        parent = startParent(c -> { });
        child = startChild(p -> { }, parent.proxyPort());

        HttpResponse<String> r = get(child, "http://no-such-host.invalid/");

        assertEquals(502, r.statusCode());
        JsonNode atParent = parent.awaitOnlyRecord();
        assertEquals("dns_failure", atParent.get("error").asText(), "the parent tried to resolve it");
        JsonNode atChild = child.awaitOnlyRecord();
        assertEquals("FIRSTUP_PARENT", atChild.get("hierarchy").asText());
        assertTrue(atChild.get("error").isNull(), "the child relayed the parent's answer: " + atChild);
    }

    @Test
    void aTunnelThroughBothReachesATlsOrigin() throws Exception {
        HeldCertificate certificate = new HeldCertificate.Builder().addSubjectAlternativeName("127.0.0.1").build();
        tlsOrigin = new MockWebServer();
        tlsOrigin.useHttps(new HandshakeCertificates.Builder().heldCertificate(certificate).build().sslSocketFactory());
        tlsOrigin.start(InetAddress.getByName("127.0.0.1"), 0);
        tlsOrigin.enqueue(new MockResponse.Builder().body("secret page").build());
        parent = startParent(c -> c.withObject("/destinations").putArray("connectPorts").add(tlsOrigin.getPort()));
        child = startChild(p -> { }, parent.proxyPort());
        String authority = "127.0.0.1:" + tlsOrigin.getPort();
        HandshakeCertificates trust = new HandshakeCertificates.Builder().addTrustedCertificate(certificate.certificate()).build();

        RawConnection.Response page;
        try (RawConnection c = RawConnection.open(child.proxyAddress())) {
            c.send("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n");
            assertEquals(200, c.readHead().status());
            SSLSocket tls = (SSLSocket) trust.sslSocketFactory().createSocket(c.socket(), "127.0.0.1", tlsOrigin.getPort(), true);
            try (RawConnection inside = new RawConnection(tls)) {
                inside.send("GET /secure HTTP/1.1\r\nHost: " + authority + "\r\nConnection: close\r\n\r\n");
                page = inside.readResponse();
            }
        }

        assertEquals("secret page", page.text());
        assertNotNull(tlsOrigin.takeRequest(10, TimeUnit.SECONDS).getHandshake(), "TLS end to end");
        JsonNode atChild = child.awaitOnlyRecord();
        assertEquals("TCP_TUNNEL", atChild.get("result").asText());
        assertEquals("FIRSTUP_PARENT", atChild.get("hierarchy").asText());
        assertEquals("127.0.0.1", atChild.get("upstream").asText());
        JsonNode atParent = parent.awaitOnlyRecord();
        assertEquals("TCP_TUNNEL", atParent.get("result").asText());
        assertEquals("HIER_DIRECT", atParent.get("hierarchy").asText());
        assertEquals(authority, atParent.get("url").asText());
    }

    /** The parent requires a login (htpasswd); {@code credentials} says whether the child has them. */
    private void parentWithLogin(boolean credentials) throws Exception {
        Path htpasswd = dir.resolve("htpasswd");
        Commands.run("htpasswd", "-c", "-B", "-C", "5", "-b", htpasswd.toString(), "branch", PARENT_PASSWORD);
        Path password = dir.resolve("parent.password");
        Files.writeString(password, PARENT_PASSWORD + "\n");
        parent = startParent(c -> {
            c.putObject("auth").put("backend", "htpasswd").put("htpasswdFile", htpasswd.toString());
            c.withObject("/destinations").putArray("connectPorts").add(origin.getPort());
        });
        child = startChild(p -> {
            if (credentials) p.put("user", "branch").put("passwordFile", password.toString());
        }, parent.proxyPort());
    }

    @Test
    void theChildLogsInToAParentThatRequiresIt() throws Exception {
        parentWithLogin(true);
        origin.enqueue(new MockResponse.Builder().body("welcome").build());

        HttpResponse<String> r = get(child, originUrl("/login-needed"));

        assertEquals(200, r.statusCode());
        assertEquals("welcome", r.body());
        assertEquals("branch", parent.awaitOnlyRecord().get("user").asText());
        assertEquals(null, origin.takeRequest(10, TimeUnit.SECONDS).getHeaders().get("Proxy-Authorization"),
                "the parent consumed the credentials");
        assertFalse(Files.readString(child.gatehouse().auditFile()).contains(PARENT_PASSWORD));
    }

    @Test
    void aTunnelCarriesTheChildsLoginToTheParent() throws Exception {
        parentWithLogin(true);
        String authority = "127.0.0.1:" + origin.getPort();
        origin.enqueue(new MockResponse.Builder().body("plain inside").build());
        try (RawConnection c = RawConnection.open(child.proxyAddress())) {
            c.send("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n");
            assertEquals(200, c.readHead().status());
            c.send("GET /in-tunnel HTTP/1.1\r\nHost: " + authority + "\r\nConnection: close\r\n\r\n");
            assertEquals("plain inside", c.readResponse().text());
        }
        JsonNode atParent = parent.awaitOnlyRecord();
        assertEquals("TCP_TUNNEL", atParent.get("result").asText());
        assertEquals("branch", atParent.get("user").asText());
    }

    @Test
    void aParentThatRefusesTheLoginIsA502AtTheChildNeverA407() throws Exception {
        parentWithLogin(false);

        // The browser's own credentials are for the child (hop by hop), never passed on to the parent.
        HttpResponse<String> r = child.client().send(HttpRequest.newBuilder(URI.create(originUrl("/x")))
                .header("Proxy-Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                        ("branch:" + PARENT_PASSWORD).getBytes(StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(502, r.statusCode());
        assertTrue(r.headers().firstValue("Proxy-Authenticate").isEmpty(), "no challenge reaches the browser");
        assertTrue(r.body().contains("refused this proxy&#39;s credentials"), r.body());
        assertTrue(r.body().contains("127.0.0.1:" + parent.proxyPort()), "the page names the parent: " + r.body());
        JsonNode atChild = child.awaitOnlyRecord();
        assertEquals("parent_auth_failed", atChild.get("error").asText());
        assertEquals("FIRSTUP_PARENT/127.0.0.1", hierarchy(atChild), "the parent was reached: it answered");
        assertEquals(407, parent.awaitOnlyRecord().get("status").asInt());
        assertEquals(0, origin.getRequestCount());

        String authority = "127.0.0.1:" + origin.getPort();
        try (RawConnection c = RawConnection.open(child.proxyAddress())) {
            c.send("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n");
            RawConnection.Response refused = c.readResponse();
            assertEquals(502, refused.status());
            assertTrue(refused.text().contains("refused this proxy&#39;s credentials"), refused.text());
            assertTrue(refused.text().contains("407"), "the parent's status: " + refused.text());
        }
        List<JsonNode> records = child.awaitRecords(2);
        assertEquals(2, records.size(), records::toString);
        assertEquals("parent_auth_failed", records.get(1).get("error").asText());
        assertEquals("FIRSTUP_PARENT/127.0.0.1", hierarchy(records.get(1)));
    }

    @Test
    void aParentThatIsDownIsA503PageNamingIt() throws Exception {
        int down = closedPort();
        child = startChild(p -> { }, down);

        HttpResponse<String> r = get(child, originUrl("/unreached"));

        assertEquals(503, r.statusCode());
        assertTrue(r.body().contains("127.0.0.1:" + down), "the page names the parent: " + r.body());
        JsonNode record = child.awaitOnlyRecord();
        assertEquals("parent_unreachable", record.get("error").asText());
        assertEquals("HIER_NONE/-", hierarchy(record), "no parent was reached, nothing went direct");
        assertEquals(0, origin.getRequestCount(), "nothing went direct");
    }

    @Test
    void anFtpUrlWhenTheParentIsDownIsA503ThatReachedNoOne() throws Exception {
        child = startChild(p -> { }, closedPort());

        try (RawConnection c = RawConnection.open(child.proxyAddress())) {
            c.send("GET ftp://ftp.example/notes.txt HTTP/1.1\r\nHost: ftp.example\r\n\r\n");
            assertEquals(503, c.readResponse().status());
        }
        JsonNode record = child.awaitOnlyRecord();
        assertEquals("parent_unreachable", record.get("error").asText());
        assertEquals("HIER_NONE/-", hierarchy(record));
    }

    /** The request that finds the parent down goes to the FTP gateway here (which then fails to look the name up). */
    @Test
    void withFallbackDirectAnFtpUrlGoesToTheGatewayHereWhenTheParentIsDown() throws Exception {
        child = startChild(p -> p.put("fallbackDirect", true), closedPort());

        try (RawConnection c = RawConnection.open(child.proxyAddress())) {
            c.send("GET ftp://ftp.corp.invalid/pub/ HTTP/1.1\r\nHost: ftp.corp.invalid\r\n\r\n");
            assertEquals(502, c.readResponse().status());
        }
        JsonNode record = child.awaitOnlyRecord();
        assertEquals("dns_failure", record.get("error").asText(), "the gateway here looked the name up: " + record);
        assertEquals("HIER_NONE/-", hierarchy(record));
    }

    @Test
    void aParentWhoseNameDoesNotResolveIsUnreachableAndReachedNoOne() throws Exception {
        tlsOrigin = new MockWebServer();
        tlsOrigin.start(InetAddress.getByName("127.0.0.1"), 0);
        child = GatehouseFixture.start(c -> {
            c.withObject("/forwarding").put("via", "branch").putObject("parent").putArray("proxies").add("no-such-parent.invalid:3128");
            c.withObject("/destinations").putArray("connectPorts").add(tlsOrigin.getPort());
        });

        assertEquals(503, get(child, originUrl("/unresolved")).statusCode());
        String authority = "127.0.0.1:" + tlsOrigin.getPort();
        try (RawConnection c = RawConnection.open(child.proxyAddress())) {
            c.send("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n");
            assertEquals(503, c.readResponse().status());
        }

        List<JsonNode> records = child.awaitRecords(2);
        assertEquals(2, records.size(), records::toString);
        for (JsonNode record : records) {
            assertEquals("parent_unreachable", record.get("error").asText(), record::toString);
            assertEquals("HIER_NONE/-", hierarchy(record), record::toString);
        }
        assertEquals(0, origin.getRequestCount() + tlsOrigin.getRequestCount(), "nothing went direct");
    }

    @Test
    void aParentThatIsDownIsPassedOverForTheNextOne() throws Exception {
        parent = startParent(c -> { });
        child = startChild(p -> { }, closedPort(), parent.proxyPort());
        origin.enqueue(new MockResponse.Builder().body("via the second").build());

        assertEquals("via the second", get(child, originUrl("/failover")).body());
        assertEquals(200, parent.awaitOnlyRecord().get("status").asInt());
    }

    /** Each fallback test starts with the parent not yet known to be down, so the request itself finds it down. */
    @Test
    void withFallbackDirectARequestGoesDirectWhenTheParentIsDown() throws Exception {
        child = startChild(p -> p.put("fallbackDirect", true), closedPort());
        origin.enqueue(new MockResponse.Builder().body("direct after all").build());

        HttpResponse<String> r = get(child, originUrl("/fallback"));

        assertEquals(200, r.statusCode());
        assertEquals("direct after all", r.body());
        JsonNode record = child.awaitOnlyRecord();
        assertEquals("HIER_DIRECT/127.0.0.1", hierarchy(record));
        assertTrue(record.get("error").isNull(), record::toString);
    }

    @Test
    void withFallbackDirectATunnelGoesDirectWhenTheParentIsDown() throws Exception {
        tlsOrigin = new MockWebServer(); // a plain server on a port the child may CONNECT to
        tlsOrigin.start(InetAddress.getByName("127.0.0.1"), 0);
        child = startChild(p -> p.put("fallbackDirect", true), closedPort());
        tlsOrigin.enqueue(new MockResponse.Builder().body("tunnel direct").build());
        String authority = "127.0.0.1:" + tlsOrigin.getPort();

        try (RawConnection c = RawConnection.open(child.proxyAddress())) {
            c.send("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n");
            assertEquals(200, c.readHead().status());
            c.send("GET / HTTP/1.1\r\nHost: " + authority + "\r\nConnection: close\r\n\r\n");
            assertEquals("tunnel direct", c.readResponse().text());
        }
        assertEquals("HIER_DIRECT/127.0.0.1", hierarchy(child.awaitOnlyRecord()));
    }

    @Test
    void aTunnelToADownParentIsA503() throws Exception {
        int down = closedPort();
        tlsOrigin = new MockWebServer();
        tlsOrigin.start(InetAddress.getByName("127.0.0.1"), 0);
        child = startChild(p -> { }, down);
        String authority = "127.0.0.1:" + tlsOrigin.getPort();

        try (RawConnection c = RawConnection.open(child.proxyAddress())) {
            c.send("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n");
            RawConnection.Response r = c.readResponse();
            assertEquals(503, r.status());
            assertTrue(r.text().contains("127.0.0.1:" + down), r.text());
        }
        JsonNode record = child.awaitOnlyRecord();
        assertEquals("parent_unreachable", record.get("error").asText());
        assertEquals("HIER_NONE/-", hierarchy(record), "no parent was reached");
        assertEquals(0, tlsOrigin.getRequestCount());
    }

    @Test
    void directDomainsGoDirect() throws Exception {
        parent = startParent(c -> { });
        child = startChild(p -> p.putArray("directDomains").add("localhost"), parent.proxyPort());
        origin.enqueue(new MockResponse.Builder().body("intranet").build());

        HttpResponse<String> r = get(child, "http://localhost:" + origin.getPort() + "/intranet");

        assertEquals("intranet", r.body());
        assertEquals("HIER_DIRECT", child.awaitOnlyRecord().get("hierarchy").asText());
        assertEquals(List.of(), parent.records(), "the parent was not asked");

        origin.enqueue(new MockResponse.Builder().body("outside").build());
        assertEquals("outside", get(child, originUrl("/outside")).body());
        assertEquals("FIRSTUP_PARENT", child.awaitRecords(2).get(1).get("hierarchy").asText(), "any other host goes to the parent");
        assertEquals(1, parent.awaitRecords(1).size());
    }

    @Test
    void anIpLiteralIsStillVettedByTheChildsDestinationGuard() throws Exception {
        parent = startParent(c -> { });
        child = startChild(p -> { }, parent.proxyPort());

        HttpResponse<String> r = get(child, "http://169.254.169.254/latest/meta-data/");

        assertEquals(403, r.statusCode());
        assertEquals("destination_denied", child.awaitOnlyRecord().get("error").asText());
        assertEquals(List.of(), parent.records(), "refused before any parent was asked");
    }

    @Test
    void anIpAddressWrittenAsANumberIsVettedLikeADottedQuad() throws Exception {
        // 2852039166 and 169.254.43518 are 169.254.169.254 to the JDK and to inet_aton: no DNS name, an address.
        parent = startParent(c -> { });
        child = startChild(p -> { }, parent.proxyPort());

        HttpResponse<String> r = get(child, "http://2852039166/latest/meta-data/");
        assertEquals(403, r.statusCode());
        assertEquals("destination_denied", child.awaitOnlyRecord().get("error").asText());

        try (RawConnection c = RawConnection.open(child.proxyAddress())) {
            c.send("CONNECT 2852039166:443 HTTP/1.1\r\nHost: 2852039166:443\r\n\r\n");
            assertEquals(403, c.readResponse().status());
        }
        assertEquals("destination_denied", child.awaitRecords(2).get(1).get("error").asText());
        assertEquals(List.of(), parent.records(), "refused before any parent was asked");
    }

    /** A parent that answers CONNECT with {@code answer}, then echoes; reports the CONNECT head it received. */
    private RawOrigin scripted(String answer) throws IOException {
        return new RawOrigin((s, i, o) -> {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            List<String> head = RawOrigin.readHead(in);
            o.post(String.join("\n", head));
            out.write(answer.getBytes(StandardCharsets.ISO_8859_1)); // head and first tunnel bytes in one write
            out.flush();
            byte[] b = new byte[1024];
            for (int n; (n = in.read(b)) >= 0; ) out.write(b, 0, n);
        });
    }

    @Test
    void bytesTheParentSendsRightAfterItsAnswerReachTheClient() throws Exception {
        scriptedParent = scripted("HTTP/1.1 200 Connection established\r\nVia: 1.1 scripted\r\n\r\nSERVER-SPEAKS-FIRST ");
        child = startChild(p -> { }, scriptedParent.port());

        try (RawConnection c = RawConnection.open(child.proxyAddress())) {
            c.send("CONNECT mail.example:443 HTTP/1.1\r\nHost: mail.example:443\r\n\r\n");
            assertEquals(200, c.readHead().status());
            c.send("ping");
            byte[] expected = "SERVER-SPEAKS-FIRST ping".getBytes(StandardCharsets.US_ASCII);
            assertEquals(new String(expected, StandardCharsets.US_ASCII),
                    new String(c.input().readNBytes(expected.length), StandardCharsets.US_ASCII));
        }
        String connect = scriptedParent.nextEvent();
        assertTrue(connect.startsWith("CONNECT mail.example:443 HTTP/1.1\nHost: mail.example:443"), connect);
        assertFalse(connect.contains("Proxy-Authorization"), connect);
    }

    @Test
    void interimResponsesBeforeTheParentsAnswerAreSkipped() throws Exception {
        // RFC 9110 §15.2: a client must be able to parse 1xx responses before the final one, expected or not.
        scriptedParent = scripted("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\r\n\r\n"
                + "HTTP/1.1 200 Connection established\r\n\r\nSERVER-SPEAKS-FIRST ");
        child = startChild(p -> { }, scriptedParent.port());

        try (RawConnection c = RawConnection.open(child.proxyAddress())) {
            c.send("CONNECT mail.example:443 HTTP/1.1\r\nHost: mail.example:443\r\n\r\n");
            assertEquals(200, c.readHead().status());
            byte[] expected = "SERVER-SPEAKS-FIRST ".getBytes(StandardCharsets.US_ASCII);
            assertEquals("SERVER-SPEAKS-FIRST ", new String(c.input().readNBytes(expected.length), StandardCharsets.US_ASCII),
                    "the tunnel starts after the final answer's head");
        }
        assertEquals("TCP_TUNNEL", child.awaitOnlyRecord().get("result").asText());
    }

    @Test
    void aParentThatRefusesATunnelIsA502NamingItsStatus() throws Exception {
        scriptedParent = scripted("HTTP/1.1 403 Forbidden by <head office>\r\nContent-Length: 0\r\n\r\n");
        child = startChild(p -> { }, scriptedParent.port());

        try (RawConnection c = RawConnection.open(child.proxyAddress())) {
            c.send("CONNECT blocked.example:443 HTTP/1.1\r\nHost: blocked.example:443\r\n\r\n");
            RawConnection.Response r = c.readResponse();
            assertEquals(502, r.status());
            assertTrue(r.text().contains("403 Forbidden by &lt;head office&gt;"), "escaped, with the parent's status: " + r.text());
            assertTrue(r.text().contains("127.0.0.1:" + scriptedParent.port()), r.text());
        }
        JsonNode record = child.awaitOnlyRecord();
        assertEquals("parent_refused", record.get("error").asText());
        assertEquals("FIRSTUP_PARENT/127.0.0.1", hierarchy(record));
    }
    @Test
    void anFtpUrlGoesToTheParentAsAnAbsoluteFormGetWithTheLoginAsBasicCredentials() throws Exception {
        scriptedParent = scripted("HTTP/1.1 200 OK\r\nContent-Length: 11\r\nConnection: close\r\n\r\nbob's notes");
        child = startChild(p -> { }, scriptedParent.port());

        try (RawConnection c = RawConnection.open(child.proxyAddress())) {
            c.send("GET ftp://bob:b0b@ftp.example/notes.txt HTTP/1.1\r\nHost: ftp.example\r\n\r\n");
            RawConnection.Response r = c.readResponse();
            assertEquals(200, r.status());
            assertEquals("bob's notes", r.text());
        }
        List<String> head = List.of(scriptedParent.nextEvent().split("\n"));
        assertEquals("GET ftp://ftp.example/notes.txt HTTP/1.1", head.getFirst());
        assertEquals("Basic " + java.util.Base64.getEncoder().encodeToString("bob:b0b".getBytes(StandardCharsets.UTF_8)),
                RawOrigin.field(head, "Authorization"));
        JsonNode record = child.awaitOnlyRecord();
        assertEquals("ftp://ftp.example/notes.txt", record.get("url").asText(), "the password is in no log");
        assertEquals("FIRSTUP_PARENT", record.get("hierarchy").asText());
    }

    @Test
    void anFtpUrlInADirectDomainGoesToTheGatewayHere() throws Exception {
        parent = startParent(c -> { });
        child = startChild(p -> p.putArray("directDomains").add("corp.invalid"), parent.proxyPort());

        try (RawConnection c = RawConnection.open(child.proxyAddress())) {
            c.send("GET ftp://ftp.corp.invalid/pub/ HTTP/1.1\r\nHost: ftp.corp.invalid\r\n\r\n");
            assertEquals(502, c.readResponse().status());
        }
        assertEquals("dns_failure", child.awaitOnlyRecord().get("error").asText(), "the gateway here looked the name up");
        assertEquals(List.of(), parent.records());
    }
    @Test
    void aParentThatNeverAnswersConnectIsA504() throws Exception {
        scriptedParent = new RawOrigin((s, i, o) -> {
            o.post(String.join("\n", RawOrigin.readHead(s.getInputStream())));
            s.getInputStream().read(); // and then nothing, until the child gives up and closes
            o.post("closed by the child");
        });
        child = GatehouseFixture.start(c -> c.withObject("/forwarding").put("via", "branch").put("responseTimeout", "1s")
                .putObject("parent").putArray("proxies").add("127.0.0.1:" + scriptedParent.port()));

        try (RawConnection c = RawConnection.open(child.proxyAddress())) {
            c.send("CONNECT slow.example:443 HTTP/1.1\r\nHost: slow.example:443\r\n\r\n");
            RawConnection.Response r = c.readResponse();
            assertEquals(504, r.status());
            assertTrue(r.text().contains("did not answer CONNECT"), r.text());
        }
        assertTrue(scriptedParent.nextEvent().startsWith("CONNECT slow.example:443"));
        assertEquals("closed by the child", scriptedParent.nextEvent());
        JsonNode record = child.awaitOnlyRecord();
        assertEquals("upstream_timeout", record.get("error").asText());
        assertEquals("FIRSTUP_PARENT/127.0.0.1", hierarchy(record), "the parent was reached, and then said nothing");
    }

    /** The child with {@code scriptedParent} as its one parent, which it waits on for as long as the test could run. */
    private GatehouseFixture childWaitingLongOnTheScriptedParent() {
        return GatehouseFixture.start(c -> c.withObject("/forwarding").put("via", "branch").put("responseTimeout", "600s")
                .putObject("parent").putArray("proxies").add("127.0.0.1:" + scriptedParent.port()));
    }

    /** The tunnels open now, as the admin listener's /stats counts them. */
    private static int activeTunnels(GatehouseFixture proxy) throws Exception {
        HttpClient admin = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
        try {
            URI stats = URI.create("http://127.0.0.1:" + proxy.gatehouse().adminAddress().getPort() + "/stats");
            String body = admin.send(HttpRequest.newBuilder(stats).build(), HttpResponse.BodyHandlers.ofString()).body();
            return new ObjectMapper().readTree(body).path("now").path("activeTunnels").asInt(-1);
        } finally {
            admin.shutdownNow();
        }
    }

    /**
     * A client that leaves while its CONNECT waits on the parent's answer: the child closes the parent connection
     * then, not when responseTimeout (far beyond this test's waits) runs out, opens no tunnel, and records the
     * access as a direct tunnel whose client leaves before its 200: cut off, nothing answered, client_aborted.
     */
    @Test
    void aClientThatLeavesBeforeTheParentAnswersConnectHasTheParentConnectionClosed() throws Exception {
        scriptedParent = new RawOrigin((s, i, o) -> {
            o.post(String.join("\n", RawOrigin.readHead(s.getInputStream())));
            o.post(s.getInputStream().read() < 0 ? "closed by the child" : "more bytes"); // and never an answer
        });
        child = childWaitingLongOnTheScriptedParent();

        try (RawConnection c = RawConnection.open(child.proxyAddress())) {
            c.send("CONNECT gone.example:443 HTTP/1.1\r\nHost: gone.example:443\r\n\r\n");
            assertTrue(scriptedParent.nextEvent().startsWith("CONNECT gone.example:443"), "the parent has the CONNECT");
        } // the client leaves, the parent silent still

        assertEquals("closed by the child", scriptedParent.nextEvent(), "the parent connection is closed when the client leaves");
        JsonNode record = child.awaitOnlyRecord();
        assertEquals("TCP_TUNNEL_ABORTED", record.get("result").asText(), record::toString);
        assertEquals(0, record.get("status").asInt(), "nothing was answered: " + record);
        assertEquals("client_aborted", record.get("error").asText());
        assertEquals("FIRSTUP_PARENT/127.0.0.1", hierarchy(record), "the parent was reached");
        assertEquals(0, activeTunnels(child));
    }

    /** Leaving while the child still connects to a parent that does not answer calls the connect off; nothing was reached. */
    @Test
    void aClientThatLeavesWhileTheParentIsBeingConnectedToReachedNoOne() throws Exception {
        List<AutoCloseable> open = new java.util.ArrayList<>();
        try {
            int silent = ConnectTunnelIT.silentListener(open).getLocalPort();
            child = GatehouseFixture.start(c -> {
                c.withObject("/forwarding").put("via", "branch").putObject("parent").putArray("proxies").add("127.0.0.1:" + silent);
                c.putObject("tunnel").put("connectTimeout", "600s");
            });

            try (RawConnection c = RawConnection.open(child.proxyAddress())) {
                c.send("CONNECT gone.example:443 HTTP/1.1\r\nHost: gone.example:443\r\n\r\n");
            }

            JsonNode record = child.awaitOnlyRecord();
            assertEquals("TCP_TUNNEL_ABORTED", record.get("result").asText(), record::toString);
            assertEquals("client_aborted", record.get("error").asText(), record::toString);
            assertEquals("HIER_NONE/-", hierarchy(record));
            assertEquals(0, activeTunnels(child));
        } finally {
            for (AutoCloseable c : open) c.close();
        }
    }

    /** Bytes a client sends while the parent has not answered yet are the tunnel's first, passed on after the 200. */
    @Test
    void bytesTheClientSendsBeforeTheParentAnswersGoThroughTheTunnel() throws Exception {
        java.util.concurrent.CountDownLatch sent = new java.util.concurrent.CountDownLatch(1);
        scriptedParent = new RawOrigin((s, i, o) -> {
            o.post(String.join("\n", RawOrigin.readHead(s.getInputStream())));
            assertTrue(sent.await(20, TimeUnit.SECONDS));
            RawOrigin.write(s, "HTTP/1.1 200 Connection established\r\n\r\n");
            byte[] early = s.getInputStream().readNBytes(5);
            RawOrigin.write(s, "echo " + new String(early, StandardCharsets.US_ASCII));
        });
        child = childWaitingLongOnTheScriptedParent();

        try (RawConnection c = RawConnection.open(child.proxyAddress())) {
            c.send("CONNECT early.example:443 HTTP/1.1\r\nHost: early.example:443\r\n\r\n");
            scriptedParent.nextEvent();
            c.send("hello");
            sent.countDown();
            assertEquals(200, c.readHead().status());
            assertEquals("echo hello", new String(c.input().readNBytes(10), StandardCharsets.US_ASCII));
        }
        JsonNode record = child.awaitOnlyRecord();
        assertEquals("TCP_TUNNEL", record.get("result").asText(), record::toString);
        assertTrue(record.get("error").isNull(), record::toString);
    }

    @Test
    void aParentThatIsNoHttpProxyIsA502() throws Exception {
        scriptedParent = scripted("SSH-2.0-OpenSSH_9.6\r\n");
        child = startChild(p -> { }, scriptedParent.port());

        try (RawConnection c = RawConnection.open(child.proxyAddress())) {
            c.send("CONNECT ssh.example:443 HTTP/1.1\r\nHost: ssh.example:443\r\n\r\n");
            assertEquals(502, c.readResponse().status());
        }
        assertEquals("malformed_response", child.awaitOnlyRecord().get("error").asText());
    }
}
