package dev.gatehouse.policy.normalize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.http.RequestTarget;
import dev.gatehouse.http.TargetCorpus;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TargetParserTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            http://Example.COM                          | http://example.com/
            HTTP://example.com:80/                      | http://example.com/
            http://example.com:8080/x                   | http://example.com:8080/x
            https://example.com:443/x                   | https://example.com/x
            ftp://example.com:21/pub/f.txt              | ftp://example.com/pub/f.txt
            http://good.com@evil.com/                   | http://evil.com/
            http://user:pa:ss@good.com@evil.com:80/a    | http://evil.com/a
            http://evil.com\\@good.com/                 | http://evil.com/%5C@good.com/
            http://example.com/a/./b/../c               | http://example.com/a/c
            http://example.com/a/%2E%2E/b               | http://example.com/b
            http://example.com/a%2Fb                    | http://example.com/a%2Fb
            http://example.com/a%2fb%3f                 | http://example.com/a%2Fb%3F
            http://example.com/%7Euser/%41%62           | http://example.com/~user/Ab
            http://example.com/caf%c3%a9                | http://example.com/caf%C3%A9
            http://example.com/café                     | http://example.com/caf%C3%A9
            http://example.com/a b                      | http://example.com/a%20b
            http://example.com/100%                     | http://example.com/100%25
            http://example.com/Path?Q=1&x=%2f#frag      | http://example.com/Path?Q=1&x=%2F
            http://example.com?q                        | http://example.com/?q
            http://example.com#frag                     | http://example.com/
            http://example.com//a//b                    | http://example.com//a//b
            http://example.com/a/..                     | http://example.com/
            http://example.com/../../x                  | http://example.com/x
            http://0x7f.1:8080/                         | http://127.0.0.1:8080/
            http://[::FFFF:127.0.0.1]/                  | http://127.0.0.1/
            http://[2001:db8::1]:8080/                  | http://[2001:db8::1]:8080/
            http://bücher.example./                     | http://xn--bcher-kva.example/
            """)
    void normalisesUrls(String url, String expected) {
        assertEquals(expected, TargetParser.parseUrl(url).url());
    }

    @ParameterizedTest(name = "rejects [{0}]")
    @ValueSource(strings = {"example.com/x", "gopher://example.com/", "http:///x", "http://example.com:0/",
        "http://example.com:65536/", "http://example.com:8o/", "http://[::1/", "http://a..b/", "http://@/"})
    void rejectsBadUrls(String url) {
        assertThrows(InvalidTargetException.class, () -> TargetParser.parseUrl(url));
    }

    @ParameterizedTest(name = "CONNECT {0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            Example.com:443     | example.com:443
            example.com.:8443   | example.com:8443
            [::1]:443           | [::1]:443
            2130706433:443      | 127.0.0.1:443
            """)
    void normalisesConnectAuthorities(String authority, String expected) {
        Target target = TargetParser.parseConnect(authority);
        assertEquals(expected, target.url());
        assertNull(target.pathAndQuery());
    }

    @ParameterizedTest(name = "rejects CONNECT [{0}]")
    @ValueSource(strings = {"example.com", "example.com:", "user@example.com:443", "example.com:443/x", "[::1]"})
    void rejectsBadConnectAuthorities(String authority) {
        assertThrows(InvalidTargetException.class, () -> TargetParser.parseConnect(authority));
    }

    @Test
    void turnsAnHttpsUrlIntoTheTunnelABrowserOpens() {
        Target tunnel = TargetParser.parseUrl("https://Example.com:8443/x?y").asTunnel();
        assertEquals("CONNECT example.com:8443", tunnel.toString());
        assertNull(tunnel.pathAndQuery());
    }

    @Test
    void buildsFromParts() {
        Target target = TargetParser.of(Scheme.HTTP, "WWW.Example.com", -1, "/a/./b");
        assertEquals("http://www.example.com/a/b", target.url());
        assertEquals(80, target.port());
    }

    /**
     * Built from the listener's split, a URL's target is what parsing its text gives, or refused with the same
     * message, over the targets the listener accepts (and a URL over the length limit).
     */
    @Test
    void aSplitUrlNormalisesAsItsText() {
        int compared = 0;
        List<TargetCorpus.Input> inputs = new ArrayList<>(TargetCorpus.inputs(20240613L, 100_000));
        inputs.add(new TargetCorpus.Input("http://example.com/" + "a".repeat(64 * 1024), null));
        for (TargetCorpus.Input in : inputs) {
            RequestTarget split = RequestTarget.parse(in.uri(), in.query());
            if (split == null) continue;
            String url = in.query() == null || in.query().isEmpty() ? in.uri() : in.uri() + "?" + in.query();
            assertEquals(outcome(() -> TargetParser.parseUrl(url)), outcome(() -> TargetParser.parseUrl(split, url)), in.toString());
            compared++;
        }
        assertTrue(compared > 10_000, compared + " compared");
    }

    private static Object outcome(Supplier<Target> parse) {
        try {
            return parse.get();
        } catch (InvalidTargetException e) {
            return "refused: " + e.getMessage();
        }
    }
}
