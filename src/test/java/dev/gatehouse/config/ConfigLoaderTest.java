package dev.gatehouse.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigLoaderTest {
    private final ConfigLoader loader = new ConfigLoader();

    /** Golden files in the manner of Squid's test-suite/squidconf: each bad-*.json beside the exact report. */
    @ParameterizedTest
    @ValueSource(strings = {"bad-types-and-values", "bad-syntax", "bad-not-object", "bad-admin-auth", "bad-cache", "bad-refresh-rules",
            "bad-refresh-rules-shape", "bad-parent", "bad-negotiate", "bad-bandwidth",
            "bad-pages", "bad-pages-default", "bad-syslog", "bad-syslog-target"})
    void badConfigsReportEveryProblemWithItsLocation(String name) throws IOException {
        String json = resource(name + ".json");
        List<String> expected = resource(name + ".expected").lines().toList();
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load(name + ".json", json, Map.of()));
        assertEquals(expected, e.problems().stream().map(ConfigProblem::toString).toList());
    }

    @Test
    void pageTemplatesPerLanguageKeepTheirOrderAndTheDefaultOnlyGoesWithThem() throws ConfigException {
        GatehouseConfig c = loader.load("t", """
                {"pages": {"templates": {"fr-CA": "fr.html", "en": "en.html", "de": "de.html"}, "defaultLanguage": "EN"}}""", Map.of());
        assertEquals(List.of("fr-CA", "en", "de"), List.copyOf(c.pages().templates().keySet()));
        assertEquals("EN", c.pages().defaultLanguage());
        ConfigException e = assertThrows(ConfigException.class,
                () -> loader.load("t", "{\"pages\": {\"template\": \"p.html\", \"defaultLanguage\": \"de\"}}", Map.of()));
        assertEquals(List.of("t:1:53: /pages/defaultLanguage: only applies with pages.templates (one file per language)"),
                e.problems().stream().map(ConfigProblem::toString).toList());
    }

    @Test
    void theSyslogCopyIsOffByDefaultAndItsTargetNamesTransportHostAndPort() throws ConfigException {
        GatehouseConfig.Syslog off = loader.load("t", "{}", Map.of()).audit().syslog();
        assertFalse(off.enabled());
        assertEquals(20, off.facilityCode(), "local4, as Squid's syslog default");
        assertEquals(6, off.severityCode(), "info");
        GatehouseConfig.Syslog on = loader.load("t", """
                {"audit": {"syslog": {"target": "tcp://[::1]:6514", "facility": "daemon", "severity": "notice"}}}""", Map.of())
                .audit().syslog();
        assertTrue(on.enabled());
        assertEquals("tcp", on.transport());
        assertEquals(new HostPort("::1", 6514), on.address());
        assertEquals(3, on.facilityCode());
        assertEquals(5, on.severityCode());
    }

    @Test
    void emptyObjectGivesTheEmbeddedDefaults() throws ConfigException {
        GatehouseConfig c = loader.load("t", "{}", Map.of());
        assertEquals(new HostPort("127.0.0.1", 3128), c.listenAddress());
        assertEquals(new HostPort("127.0.0.1", 3129), c.adminAddress());
        assertEquals("var", c.dataDir());
        assertEquals(List.of("127.0.0.0/8", "::1/128"), c.clients().allow());
        assertEquals(List.of(443), c.destinations().connectPorts());
        assertEquals("json", c.audit().format());
        assertEquals(false, c.forwarding().xForwardedFor());
    }

    @Test
    void shippedEtcConfigIsValidAndEqualToTheEmbeddedDefaults() throws ConfigException {
        Path etc = Path.of(System.getProperty("gatehouse.repo", "."), "etc", "gatehouse.json");
        GatehouseConfig shipped = loader.load(etc, Map.of());
        assertEquals(loader.load("t", "{}", Map.of()), shipped);
        assertEquals(ViaPseudonym.ofThisHost(), shipped.forwarding().via(), "the shipped file leaves the pseudonym to each machine");
    }

    @Test
    void theViaPseudonymDefaultsToThisHostsNameAndTheFileCanSetIt() throws ConfigException {
        assertEquals(ViaPseudonym.ofThisHost(), loader.load("t", "{}", Map.of()).forwarding().via());
        assertEquals("headoffice", loader.load("t", "{\"forwarding\": {\"via\": \"headoffice\"}}", Map.of()).forwarding().via());
    }

    @Test
    void refreshRulesReplaceTheShippedOnesAndMatchCaseSensitivelyUnlessAsked() throws ConfigException {
        GatehouseConfig c = loader.load("t", """
                {"cache": {"refreshRules": [{"pattern": "\\\\.deb$", "min": "1h", "percent": 12.5, "max": "2d"}]}}""", Map.of());
        assertEquals(List.of(new GatehouseConfig.RefreshRule("\\.deb$", false, Duration.ofHours(1), 12.5, Duration.ofDays(2))),
                c.cache().refreshRules());
        assertTrue(c.cache().refreshRules().get(0).compiledPattern().matcher("http://a/x.deb").find());
        assertFalse(c.cache().refreshRules().get(0).compiledPattern().matcher("http://a/x.DEB").find());
        assertEquals(List.of(), loader.load("t", "{\"cache\": {\"refreshRules\": []}}", Map.of()).cache().refreshRules());
    }

    @Test
    void refreshRulesMustBeAList() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> loader.load("t", "{\"cache\": {\"refreshRules\": {\"pattern\": \".\"}}}", Map.of()));
        assertEquals(List.of("t:1:28: /cache/refreshRules: must be a list of objects"), e.problems().stream().map(ConfigProblem::toString).toList());
    }

    /** The shipped rules: package indexes are revalidated on every use, packages and installers kept longer, the rest falls through. */
    @ParameterizedTest
    @CsvSource({
            "http://deb.debian.org/debian/dists/bookworm/InRelease, 0",
            "http://deb.debian.org/debian/dists/bookworm/Release.gpg, 0",
            "http://deb.debian.org/debian/dists/bookworm/main/binary-amd64/Packages.xz, 0",
            "http://mirror.example/rocky/9/BaseOS/x86_64/os/repodata/repomd.xml, 0",
            "http://deb.debian.org/debian/pool/main/h/hello/hello_2.10-3_amd64.deb, 1",
            "http://mirror.example/rocky/9/BaseOS/x86_64/os/Packages/b/bash-5.1.8-9.el9.x86_64.rpm, 1",
            "http://download.example/tools/Setup.EXE, 1",
            "http://download.example/src/tool-1.2.tar.xz, 1",
            "http://www.example/index.html, -1",
            "http://www.example/Packages/, -1",
            "http://www.example/download?file=setup, -1"})
    void theShippedRefreshRulesNameTheUrlsTheyAreFor(String url, int expectedRule) throws ConfigException {
        List<GatehouseConfig.RefreshRule> rules = loader.load("t", "{}", Map.of()).cache().refreshRules();
        int first = IntStream.range(0, rules.size()).filter(i -> rules.get(i).compiledPattern().matcher(url).find()).findFirst().orElse(-1);
        assertEquals(expectedRule, first, url);
    }

    @Test
    void icapIsOffByDefaultAndItsServiceUrlIsChecked() throws ConfigException {
        assertFalse(loader.load("t", "{}", Map.of()).icap().enabled());
        GatehouseConfig c = loader.load("t", "{\"icap\": {\"respmod\": \"icap://scanner.corp/virus_scan\"}}", Map.of());
        assertTrue(c.icap().enabled());
        assertEquals(1344, c.icap().port()); // RFC 3507 §4.2's default
        assertEquals(Duration.ofSeconds(30), c.icap().timeout());
        // A server-sent event stream never ends, and a scanner answers after the whole body: never sent by default.
        assertEquals(List.of("text/event-stream"), c.icap().skip().contentTypes());

        ConfigException e = assertThrows(ConfigException.class,
                () -> loader.load("t", "{\"icap\": {\n  \"respmod\": \"http://scanner.corp/virus_scan\"}}", Map.of()));
        assertEquals(List.of("t:2:14: /icap/respmod: must be icap://host[:port]/service, e.g. icap://127.0.0.1:1344/virus_scan, got 'http://scanner.corp/virus_scan'"),
                e.problems().stream().map(ConfigProblem::toString).toList());
        e = assertThrows(ConfigException.class, () -> loader.load("t", "{\"icap\": {\"respmod\": \"icap://scanner.corp\"}}", Map.of()));
        assertTrue(e.problems().getFirst().toString().contains("/icap/respmod: must be icap://host[:port]/service"), e.problems().toString());
        e = assertThrows(ConfigException.class, () -> loader.load("t", "{\"icap\": {\"bypas\": true}}", Map.of()));
        assertTrue(e.problems().getFirst().toString().startsWith("t:1:"), e.problems().toString());
        assertTrue(e.problems().getFirst().toString().contains("/icap/bypas"), e.problems().toString());
        e = assertThrows(ConfigException.class, () -> loader.load("t", "{\"icap\": {\"maxConnections\": 0, \"skip\": {\"contentTypes\": [\" \"]}}}", Map.of()));
        assertEquals(2, e.problems().size(), e.problems().toString());
    }

    @Test
    void theUploadsReqmodServiceIsOffByDefaultAndItsUrlIsChecked() throws ConfigException {
        assertFalse(loader.load("t", "{}", Map.of()).icap().reqmodEnabled());
        GatehouseConfig c = loader.load("t", "{\"icap\": {\"reqmod\": \"icap://dlp.corp:11344/dlp\"}}", Map.of());
        assertTrue(c.icap().reqmodEnabled());
        assertFalse(c.icap().enabled(), "uploads only: downloads are not scanned");
        assertEquals(11344, GatehouseConfig.Icap.port(c.icap().reqmod()));

        ConfigException e = assertThrows(ConfigException.class,
                () -> loader.load("t", "{\"icap\": {\n  \"reqmod\": \"http://dlp.corp/dlp\"}}", Map.of()));
        assertEquals(List.of("t:2:13: /icap/reqmod: must be icap://host[:port]/service, e.g. icap://127.0.0.1:1344/virus_scan, got 'http://dlp.corp/dlp'"),
                e.problems().stream().map(ConfigProblem::toString).toList());
    }

    @Test
    void nestedValuesMergeOverDefaultsKeyByKey() throws ConfigException {
        GatehouseConfig c = loader.load("t", "{\"forwarding\": {\"via\": \"branch-1\", \"readTimeout\": \"250ms\"}}", Map.of());
        assertEquals("branch-1", c.forwarding().via());
        assertEquals(Duration.ofMillis(250), c.forwarding().readTimeout());
        assertEquals(Duration.ofSeconds(10), c.forwarding().connectTimeout());
    }

    @Test
    void uploadLimitsAreTheirOwnBucketsAndUnlimitedByDefault() throws ConfigException {
        GatehouseConfig.Bandwidth none = loader.load("t", "{}", Map.of()).bandwidth();
        assertFalse(none.download().limited());
        assertFalse(none.upload().limited());

        GatehouseConfig.Bandwidth b = loader.load("t", """
                {"bandwidth": {"perClient": "4Mbit", "upload": {"total": "2Mbit", "perClient": "512kbit", "burst": "256KB"}}}
                """, Map.of()).bandwidth();
        assertEquals(250_000, b.upload().totalBytesPerSecond());
        assertEquals(64_000, b.upload().perClientBytesPerSecond());
        assertEquals(256_000, b.upload().burstBytes());
        assertEquals(0, b.download().totalBytesPerSecond(), "the upload total is not the download's");
        assertEquals(500_000, b.download().perClientBytesPerSecond());
        assertEquals(0, b.download().burstBytes());

        GatehouseConfig.Bandwidth uploadOnly = loader.load("t", "{\"bandwidth\": {\"upload\": {\"perClient\": \"1Mbit\"}}}",
                Map.of()).bandwidth();
        assertFalse(uploadOnly.download().limited());
        assertTrue(uploadOnly.upload().limited());
    }

    @Test
    void commandLineOverridesWinAndTheirErrorsNameTheCommandLine() throws ConfigException {
        GatehouseConfig c = loader.load("t", "{\"listen\": \"127.0.0.1:1\"}", Map.of("/listen", "[::1]:8080", "/dataDir", "/tmp/x"));
        assertEquals(new HostPort("::1", 8080), c.listenAddress());
        assertEquals("/tmp/x", c.dataDir());
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load("t", "{}", Map.of("/admin", "nope")));
        assertEquals("command line: /admin: 'nope' must be HOST:PORT", e.problems().get(0).toString());
    }

    @Test
    void pacNodesMayNameATlsListener() throws ConfigException {
        GatehouseConfig c = loader.load("t", "{\"pac\": {\"proxies\": [\"https://p1.corp.example:3130\", \"p2:3128\"]}}", Map.of());
        assertEquals(List.of("https://p1.corp.example:3130", "p2:3128"), c.pacProxies());
        ConfigException e = assertThrows(ConfigException.class,
                () -> loader.load("t", "{\"pac\": {\"proxies\": [\"https://nope\"]}}", Map.of()));
        assertTrue(e.problems().get(0).toString().contains("/pac/proxies/0: 'nope' must be HOST:PORT"), e.problems().toString());
    }

    @Test
    void parentProxiesAreAbsentByDefaultAndParsedWhenGiven() throws ConfigException {
        assertFalse(loader.load("t", "{}", Map.of()).forwarding().parent().enabled());
        GatehouseConfig c = loader.load("t", """
                {"forwarding": {"parent": {"proxies": ["hq-proxy.corp.example:3128", "[2001:db8::1]:8080"],
                 "user": "branch", "passwordFile": "etc/parent.password", "directDomains": ["corp.example"], "fallbackDirect": true}}}""",
                Map.of());
        GatehouseConfig.Parent parent = c.forwarding().parent();
        assertTrue(parent.enabled());
        assertEquals(List.of("hq-proxy.corp.example:3128", "[2001:db8::1]:8080"), parent.proxies());
        assertEquals("branch", parent.user());
        assertEquals(List.of("corp.example"), parent.directDomains());
        assertTrue(parent.fallbackDirect());
        assertEquals("ordered", parent.selection(), "the default");
    }

    @Test
    void parentSelectionIsOneOfTheNamedWays() throws ConfigException {
        String json = "{\"forwarding\": {\"parent\": {\"proxies\": [\"hq:3128\", \"hq2:3128\"],\n \"selection\": \"%s\"}}}";
        assertEquals("round-robin", loader.load("t", json.formatted("round-robin"), Map.of()).forwarding().parent().selection());
        assertEquals("client-hash", loader.load("t", json.formatted("client-hash"), Map.of()).forwarding().parent().selection());
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load("t", json.formatted("sourcehash"), Map.of()));
        assertEquals("t:2:15: /forwarding/parent/selection: must be one of \"ordered\", \"round-robin\", \"client-hash\", got \"sourcehash\"",
                e.problems().get(0).toString());
    }

    @Test
    void parentSettingsWithoutAParentAreAnError() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> loader.load("t", "{\"forwarding\": {\"parent\": {\"directDomains\": [\"corp.example\"]}}}", Map.of()));
        assertEquals("t:1:27: /forwarding/parent/proxies: is empty, so the other parent settings have no effect: name at least one parent proxy",
                e.problems().get(0).toString());
    }

    @Test
    void adminOffLoopbackNeedsCredentials() throws ConfigException {
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load("t", "{\"admin\": \"0.0.0.0:3129\"}", Map.of()));
        assertEquals("t:1:11: /admin: '0.0.0.0:3129' is reachable from the network, so metrics and statistics need credentials:"
                + " set adminAuth.token and/or adminAuth.user and adminAuth.password, or bind the admin listener to 127.0.0.1",
                e.problems().get(0).toString());
        loader.load("t", "{\"admin\": \"0.0.0.0:3129\", \"adminAuth\": {\"token\": \"0123456789abcdef\"}}", Map.of());
        loader.load("t", "{\"admin\": \"[::1]:3129\"}", Map.of());
        loader.load("t", "{\"admin\": \"localhost:3129\"}", Map.of());
    }

    @Test
    void missingFileIsOneClearProblem() {
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load(Path.of("/nonexistent/g.json"), Map.of()));
        assertEquals("/nonexistent/g.json: file not found", e.problems().get(0).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "42", "\"text\""})
    void topLevelMustBeAnObject(String json) {
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load("t", json, Map.of()));
        assertEquals("t: the top level must be a JSON object", e.problems().get(0).toString());
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = ConfigLoaderTest.class.getResourceAsStream("/config/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
