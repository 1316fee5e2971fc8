package dev.gatehouse.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigLoaderTest {
    private final ConfigLoader loader = new ConfigLoader();

    /** Golden files in the manner of Squid's test-suite/squidconf: each bad-*.json beside the exact report. */
    @ParameterizedTest
    @ValueSource(strings = {"bad-types-and-values", "bad-syntax", "bad-not-object", "bad-admin-auth", "bad-cache"})
    void badConfigsReportEveryProblemWithItsLocation(String name) throws IOException {
        String json = resource(name + ".json");
        List<String> expected = resource(name + ".expected").lines().toList();
        ConfigException e = assertThrows(ConfigException.class, () -> loader.load(name + ".json", json, Map.of()));
        assertEquals(expected, e.problems().stream().map(ConfigProblem::toString).toList());
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
        assertEquals(loader.load("t", "{}", Map.of()), loader.load(etc, Map.of()));
    }

    @Test
    void nestedValuesMergeOverDefaultsKeyByKey() throws ConfigException {
        GatehouseConfig c = loader.load("t", "{\"forwarding\": {\"via\": \"branch-1\", \"readTimeout\": \"250ms\"}}", Map.of());
        assertEquals("branch-1", c.forwarding().via());
        assertEquals(Duration.ofMillis(250), c.forwarding().readTimeout());
        assertEquals(Duration.ofSeconds(10), c.forwarding().connectTimeout());
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
