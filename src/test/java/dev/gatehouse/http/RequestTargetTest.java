package dev.gatehouse.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestTargetTest {
    /**
     * The hand parser accepts and refuses what the listener's {@code java.net.URI} parse did, and splits what it
     * accepts into the same parts, over the edge cases and a quarter of a million generated targets.
     */
    @Test
    void acceptsRefusesAndSplitsExactlyAsJavaNetUriDid() {
        List<String> differences = new ArrayList<>();
        int accepted = 0;
        int ipv6 = 0;
        List<TargetCorpus.Input> inputs = TargetCorpus.inputs(20240611L, 250_000);
        for (TargetCorpus.Input in : inputs) {
            URI expected = TargetCorpus.oracle(in.uri(), in.query());
            RequestTarget actual = RequestTarget.parse(in.uri(), in.query());
            String difference = difference(expected, actual);
            if (difference != null && differences.size() < 20) differences.add(in + ": " + difference);
            if (expected != null) {
                accepted++;
                if (expected.getHost().startsWith("[")) ipv6++;
            }
        }
        assertEquals(List.of(), differences);
        // The corpus must exercise both sides, IPv6 literals included.
        assertTrue(accepted > inputs.size() / 10 && accepted < inputs.size() * 9 / 10, accepted + " of " + inputs.size() + " accepted");
        assertTrue(ipv6 > 1000, ipv6 + " IPv6 literals accepted");
    }

    private static String difference(URI expected, RequestTarget actual) {
        if (expected == null || actual == null) {
            return (expected == null) == (actual == null) ? null : "java.net.URI gives " + expected + ", RequestTarget gives " + actual;
        }
        List<String> parts = new ArrayList<>();
        compare(parts, "scheme", expected.getScheme(), actual.scheme());
        compare(parts, "host", expected.getHost(), actual.host());
        compare(parts, "port", expected.getPort(), actual.port());
        compare(parts, "authority", expected.getRawAuthority(), actual.rawAuthority());
        compare(parts, "path", expected.getRawPath(), actual.rawPath());
        compare(parts, "query", expected.getRawQuery(), actual.rawQuery());
        compare(parts, "fragment", expected.getRawFragment(), actual.rawFragment());
        compare(parts, "text", expected.toString(), actual.text());
        compare(parts, "toUri", expected, actual.toUri());
        return parts.isEmpty() ? null : String.join("; ", parts);
    }

    private static void compare(List<String> parts, String name, Object expected, Object actual) {
        if (expected == null ? actual != null : !expected.equals(actual)) {
            parts.add(name + " " + expected + " vs " + actual);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            "http://127.0.0.1:18050/c/1k | null | http | 127.0.0.1 | 18050 | /c/1k | null",
            "http://Example.COM         | q=1  | http | Example.COM | -1    | /     | q=1",
            "ftp://[::1]:2121/pub/      | ''   | ftp  | [::1]       | 2121  | /pub/ | null",
            "http://h:/a                | null | http | h           | -1    | /a    | null"})
    void splitsTheTarget(String uri, String query, String scheme, String host, int port, String path, String rawQuery) {
        RequestTarget target = RequestTarget.parse(uri, query);
        assertNotNull(target);
        assertEquals(scheme, target.scheme());
        assertEquals(host, target.host());
        assertEquals(port, target.port());
        assertEquals(path, target.rawPath());
        assertEquals(rawQuery, target.rawQuery());
    }

    @Test
    void anEmptyPathBecomesSlashAndLosesItsFragment() {
        RequestTarget target = RequestTarget.of("http://example.com?q#f");
        assertEquals("http://example.com/?q", target.text());
        assertEquals("example.com", target.rawAuthority());
        assertNull(target.rawFragment());
    }

    @Test
    void refusesWhatTheProxyNeverForwards() {
        for (String refused : new String[] {"http://u@h/", "http://h:0/", "http://h:65536/", "http:///a", "http://h/a b", "//h/a"}) {
            assertNull(RequestTarget.parse(refused, null), refused);
        }
        assertThrows(IllegalArgumentException.class, () -> RequestTarget.of("http://u:p@h/"));
    }

    @Test
    void theUriIsMadeOnceOnDemand() {
        RequestTarget target = RequestTarget.of("http://example.com/a?b");
        URI uri = target.toUri();
        assertEquals(URI.create("http://example.com/a?b"), uri);
        assertSame(uri, target.toUri());
    }
}
