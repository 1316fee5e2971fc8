package dev.gatehouse.pac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the generated script in a real JavaScript engine (node, with the standard PAC helpers written
 * out as in Netscape's original definitions) and compares every answer with the Java model.
 */
class PacFileTest {
    private static final List<String> NODES = List.of("p1.corp.example:3128", "p2.corp.example:3128", "p3.corp.example:3128");
    private static final String HELPERS = """
            function isPlainHostName(h) { return h.indexOf('.') < 0; }
            function dnsDomainIs(h, d) { return h.length >= d.length && h.substring(h.length - d.length) == d; }
            function ip2n(a) { var p = a.split('.'); return ((+p[0] << 24) | (+p[1] << 16) | (+p[2] << 8) | +p[3]) >>> 0; }
            function isInNet(h, pat, mask) { return ((ip2n(h) & ip2n(mask)) >>> 0) == ((ip2n(pat) & ip2n(mask)) >>> 0); }
            """;

    @TempDir
    Path dir;

    @Test
    void directRulesAndRendezvousOrderMatchTheJavaModelInARealEngine() throws Exception {
        PacFile pac = new PacFile(NODES, List.of(".corp.example", "intra.example"), List.of("10.0.0.0/8", "192.168.0.0/16", "fd00::/8"), true, false);
        Map<String, String> expected = new HashMap<>();
        expected.put("intranet", "DIRECT");
        expected.put("wiki.corp.example", "DIRECT");
        expected.put("intra.example", "DIRECT");
        expected.put("notintra.example", rendezvous("notintra.example"));
        expected.put("10.1.2.3", "DIRECT");
        expected.put("192.168.7.7", "DIRECT");
        expected.put("11.1.2.3", rendezvous("11.1.2.3"));
        for (int i = 0; i < 200; i++) expected.put("host" + i + ".example.com", rendezvous("host" + i + ".example.com"));
        expected.put("WWW.Example.COM", rendezvous("www.example.com"));

        Map<String, String> actual = evaluate(pac, new ArrayList<>(expected.keySet()));
        assertEquals(expected, actual);
    }

    @Test
    void rendezvousSpreadsHostsAndMovesFewWhenANodeIsAdded() {
        int hosts = 10_000;
        Map<String, Integer> firstChoice = new HashMap<>();
        int moved = 0;
        List<String> four = new ArrayList<>(NODES);
        four.add("p4.corp.example:3128");
        for (int i = 0; i < hosts; i++) {
            String host = "site" + i + ".example";
            String before = best(NODES, host);
            firstChoice.merge(before, 1, Integer::sum);
            if (!before.equals(best(four, host))) moved++;
        }
        for (int count : firstChoice.values()) assertTrue(count > hosts / 3 * 0.9 && count < hosts / 3 * 1.1, "uneven: " + firstChoice);
        // Ideal is 1/4 of the hosts; modulo hashing would move 3/4.
        assertTrue(moved > hosts * 0.22 && moved < hosts * 0.28, "moved " + moved);
    }

    @Test
    void fallbackDirectEndsTheList() throws Exception {
        PacFile pac = new PacFile(List.of("proxy:3128"), List.of(), List.of(), false, true);
        assertEquals(Map.of("plain", "PROXY proxy:3128; DIRECT"), evaluate(pac, List.of("plain")));
    }

    @Test
    void aTlsNodeIsOfferedAsHttps() throws Exception {
        PacFile pac = new PacFile(List.of("https://p1.corp.example:3130"), List.of(), List.of(), false, false);
        assertEquals(Map.of("www.example.com", "HTTPS p1.corp.example:3130"), evaluate(pac, List.of("www.example.com")));
    }

    /** The entries are written into the script once; after the per-host sort each node must still get its own. */
    @Test
    void tlsAndPlainNodesMixedEachKeepTheirEntryInEveryOrder() throws Exception {
        List<String> nodes = List.of("https://p1.corp.example:3130", "p2.corp.example:3128", "https://p3.corp.example:3130");
        PacFile pac = new PacFile(nodes, List.of(), List.of(), false, true);
        assertTrue(pac.script().contains("var ENTRIES = [\"HTTPS p1.corp.example:3130\", \"PROXY p2.corp.example:3128\", "
                + "\"HTTPS p3.corp.example:3130\"];"), pac.script());
        Map<String, String> expected = new HashMap<>();
        for (int i = 0; i < 200; i++) {
            String host = "mixed" + i + ".example.com";
            List<String> ordered = new ArrayList<>(nodes);
            ordered.sort(Comparator.comparingLong((String n) -> PacFile.score(n, host)).reversed());
            expected.put(host, String.join("; ", ordered.stream().map(PacFile::entry).toList()) + "; DIRECT");
        }
        assertEquals(expected, evaluate(pac, new ArrayList<>(expected.keySet())));
    }

    @Test
    void configValuesCannotBreakOutOfTheirStrings() {
        PacFile pac = new PacFile(List.of("a\";alert(1);//:1"), List.of("</script>"), List.of(), true, false);
        assertTrue(pac.script().contains("\"a\\\";alert(1);//:1\""));
        assertTrue(!pac.script().contains("</script>"));
    }

    private static String rendezvous(String host) {
        List<String> ordered = new ArrayList<>(NODES);
        ordered.sort(Comparator.comparingLong((String n) -> PacFile.score(n, host)).reversed());
        return String.join("; ", ordered.stream().map(n -> "PROXY " + n).toList());
    }

    private static String best(List<String> nodes, String host) {
        return nodes.stream().max(Comparator.comparingLong(n -> PacFile.score(n, host))).orElseThrow();
    }

    private Map<String, String> evaluate(PacFile pac, List<String> hosts) throws IOException, InterruptedException {
        StringBuilder js = new StringBuilder(HELPERS).append(pac.script()).append("\nvar hosts = [");
        for (String h : hosts) js.append('"').append(h).append("\",");
        js.append("];\nfor (var i = 0; i < hosts.length; i++) console.log(hosts[i] + '\\t' + FindProxyForURL('http://' + hosts[i] + '/', hosts[i]));\n");
        Path file = dir.resolve("pac.js");
        Files.writeString(file, js);
        Process node;
        try {
            node = new ProcessBuilder("node", file.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("this test needs node (Debian package nodejs; scripts/install-test-deps installs it)", e);
        }
        String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(node.waitFor(30, TimeUnit.SECONDS), "node did not finish");
        assertEquals(0, node.exitValue(), out);
        Map<String, String> result = new HashMap<>();
        for (String line : out.split("\n")) {
            if (line.isBlank()) continue;
            String[] kv = line.split("\t", 2);
            result.put(kv[0], kv[1]);
        }
        return result;
    }
}
