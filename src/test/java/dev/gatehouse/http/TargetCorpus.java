package dev.gatehouse.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Request targets to hold {@link RequestTarget} against {@code java.net.URI}: hand-picked edge cases, then
 * generated ones (seeded, so a failure repeats) that start like an {@code http} or {@code ftp} proxy target
 * and go on with hosts, IPv4 and IPv6 literals, ports and paths built from a URL alphabet with the edge
 * characters in it, some of them mutated one character at a time.
 *
 * <p>{@link #oracle} is how the listener parsed targets before {@link RequestTarget}: with {@code java.net.URI}.
 */
public final class TargetCorpus {
    /** One request line's target as Undertow hands it over: the part before '?', and the query (null or empty: none). */
    public record Input(String uri, String query) {
        @Override
        public String toString() {
            return "uri=\"" + uri + "\" query=" + (query == null ? "null" : "\"" + query + "\"");
        }
    }

    private static final String[] PREFIXES = {"http://", "http://", "http://", "http://", "http://", "http://", "http://",
            "http://", "ftp://", "ftp://", "ftp://", "HTTP://",
            "Http://", "fTp://", "http:/", "http:", "http:///", "http:/ /", "ftp:", "http://@", "http://:"};
    /** Everything a URL may hold, the delimiters, and what java.net.URI refuses (space, controls, non-ASCII, "<>\"{}|\\^`"). */
    private static final String ALPHABET = "aZz09-._~!$&'()*+,;=:@/?#[]%%%AFaf "
            + "\"<>\\^`{|}\t\r\n\u0000\u007f\u0080\u00a0\u00e9\u2028\ud83d\u00ff\u3000\u200b";
    /** What a path may hold raw ('Z' is replaced by an escape). */
    private static final String CLEAN = "aZz09-._~!$&'()*+,;=:@/";
    private static final String HEX = "0123456789abcdefABCDEF";

    private TargetCorpus() {}

    /** The hand-picked cases, then {@code generated} generated ones from {@code seed}. */
    public static List<Input> inputs(long seed, int generated) {
        List<Input> inputs = new ArrayList<>();
        for (String edge : EDGES) inputs.add(new Input(edge, null));
        for (String[] pair : EDGE_PAIRS) inputs.add(new Input(pair[0], pair[1]));
        Random random = new Random(seed);
        for (int i = 0; i < generated; i++) inputs.add(generate(random));
        return inputs;
    }

    /** The target as {@code RouteHandler.parse} had it: {@code java.net.URI}, normalised to have a path; null if refused. */
    public static URI oracle(String uri, String query) {
        try {
            URI u = new URI(query == null || query.isEmpty() ? uri : uri + "?" + query);
            if (u.getHost() == null || u.getRawUserInfo() != null || u.getPort() == 0 || u.getPort() > 65535) return null;
            if (u.getRawPath() == null || u.getRawPath().isEmpty()) {
                u = new URI(u.getScheme() + "://" + u.getRawAuthority() + "/" + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery()));
            }
            return u;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static Input generate(Random r) {
        String uri = PREFIXES[r.nextInt(PREFIXES.length)] + authority(r) + rest(r);
        if (r.nextInt(4) == 0) uri = mutate(r, uri);
        String query = switch (r.nextInt(10)) {
            case 0, 1, 2, 3, 4 -> null;
            case 5 -> "";
            case 6, 7, 8 -> clean(r, "?[]", 12);
            default -> random(r, ALPHABET + "=&aq", 12);
        };
        return new Input(uri, query);
    }

    private static String authority(Random r) {
        StringBuilder a = new StringBuilder();
        if (r.nextInt(20) == 0) a.append(random(r, "ab:%40", 4)).append('@');
        switch (r.nextInt(8)) {
            case 0, 1 -> a.append(hostname(r));
            case 2 -> a.append(ipv4(r));
            case 3 -> a.append('[').append(ipv6(r)).append(r.nextInt(15) == 0 ? "" : "]");
            case 4 -> a.append('[').append(random(r, HEX + ":.%_g", 30)).append(']');
            case 5 -> a.append(random(r, ALPHABET, 10));
            case 6 -> a.append(random(r, "a1-.", 8));
            default -> a.append(r.nextBoolean() ? "example.com" : "127.0.0.1");
        }
        switch (r.nextInt(6)) {
            case 0 -> a.append(':');
            case 1, 2 -> a.append(':').append("0".repeat(r.nextInt(3))).append(r.nextInt(r.nextInt(4) > 0 ? 70_000 : Integer.MAX_VALUE));
            case 3 -> a.append(':').append(random(r, "0123456789", 12));
            default -> { }
        }
        return a.toString();
    }

    private static String hostname(Random r) {
        StringBuilder h = new StringBuilder();
        int labels = 1 + r.nextInt(4);
        for (int i = 0; i < labels; i++) {
            if (i > 0) h.append('.');
            h.append(random(r, "abcdefXYZabcdef0189-", 1 + r.nextInt(6)));
        }
        if (r.nextInt(8) == 0) h.append('.');
        return h.toString();
    }

    private static String ipv4(Random r) {
        StringBuilder h = new StringBuilder();
        int parts = r.nextInt(8) == 0 ? 1 + r.nextInt(6) : 4;
        for (int i = 0; i < parts; i++) {
            if (i > 0) h.append('.');
            if (r.nextInt(6) == 0) h.append("0".repeat(1 + r.nextInt(4)));
            h.append(r.nextInt(r.nextInt(5) == 0 ? 1000 : 256));
        }
        return h.toString();
    }

    /** IPv6 literals, mostly well formed: groups, "::" somewhere, an IPv4 tail, a scope id. */
    private static String ipv6(Random r) {
        int groups = r.nextInt(10);
        int compressAt = r.nextInt(3) == 0 ? -1 : r.nextInt(groups + 1);
        boolean ipv4Tail = r.nextInt(5) == 0;
        StringBuilder h = new StringBuilder();
        for (int i = 0; i < groups; i++) {
            if (i == compressAt) h.append("::");
            else if (i > 0) h.append(':');
            h.append(exactly(r, HEX, 1 + r.nextInt(r.nextInt(8) == 0 ? 6 : 4)));
        }
        if (compressAt == groups) h.append("::");
        if (ipv4Tail) h.append(h.isEmpty() || h.toString().endsWith(":") ? "" : ":").append(ipv4(r));
        if (r.nextInt(8) == 0) h.append('%').append(random(r, "eth0_.%-", r.nextInt(5)));
        return h.toString();
    }

    private static String rest(Random r) {
        return switch (r.nextInt(8)) {
            case 0 -> "";
            case 1 -> "/";
            case 2 -> "/c/1k";
            case 3, 4 -> "/" + clean(r, "", 16);
            case 5 -> "/" + clean(r, "", 8) + "#" + clean(r, "?[]", 8);
            default -> "/" + random(r, ALPHABET + "aaaa////", 16);
        };
    }

    private static String clean(Random r, String more, int maxLength) {
        return random(r, CLEAN + more, maxLength).replace("Z", r.nextBoolean() ? "%2F" : "%e9");
    }

    private static String mutate(Random r, String s) {
        StringBuilder b = new StringBuilder(s);
        int at = r.nextInt(b.length() + 1);
        char c = ALPHABET.charAt(r.nextInt(ALPHABET.length()));
        switch (r.nextInt(3)) {
            case 0 -> b.insert(at, c);
            case 1 -> { if (at < b.length()) b.setCharAt(at, c); }
            default -> { if (at < b.length()) b.deleteCharAt(at); }
        }
        return b.toString();
    }

    private static String random(Random r, String alphabet, int maxLength) {
        return exactly(r, alphabet, r.nextInt(maxLength + 1));
    }

    private static String exactly(Random r, String alphabet, int length) {
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) b.append(alphabet.charAt(r.nextInt(alphabet.length())));
        return b.toString();
    }

    private static final String[] EDGES = {
            "http://example.com/a", "http://example.com", "http://Example.COM:8080", "http://example.com:/a",
            "http://example.com:80/a", "http://example.com:0/a", "http://example.com:00/a", "http://example.com:65535/",
            "http://example.com:65536/", "http://example.com:0080/a", "http://example.com:000000000080/a",
            "http://example.com:99999999999/a", "http://example.com:-1/a", "http://example.com:8o/a", "http://example.com::80/",
            "http://user@example.com/", "http://user:pw@example.com/", "http://@example.com/", "http://a@b@c/",
            "http://", "http:///a", "http:/a", "http:a", "http://?q", "http://#f", "http://:80/",
            "http://exa mple.com/", "http://example.com/a b", "http://example.com/a%20b", "http://example.com/a%2",
            "http://example.com/a%zz", "http://example.com/a%", "http://example.com/%E2%82%AC", "http://example.com/\u20ac",
            "http://example.com/\u00a0", "http://example.com/\u0080", "http://example.com/\u0085", "http://example.com/\u00e9",
            "http://example.com/a<b", "http://example.com/a>b", "http://example.com/a\"b", "http://example.com/a{b}",
            "http://example.com/a|b", "http://example.com/a\\b", "http://example.com/a^b", "http://example.com/a`b",
            "http://example.com/[a]", "http://example.com/a#f", "http://example.com/a#f#g", "http://example.com#f",
            "http://example.com/a#[f]", "http://example.com/a#\u00e9", "http://example.com/a;b=c,d$e+f&g@h:i!j~k*l'm(n)o",
            "http://example.com\\@evil.com/", "http://evil.com\\x/", "http://a..b/", "http://a-.b/", "http://-a.b/",
            "http://a.-b/", "http://a.b-/", "http://a.b./", "http://a.b../", "http://.a.b/", "http://a_b.com/",
            "http://123/", "http://1.2.3/", "http://1.2.3.4/", "http://1.2.3.4./", "http://1.2.3.4.5/", "http://1.2.3.4a/",
            "http://256.1.1.1/", "http://255.255.255.255/", "http://001.002.003.004/", "http://0000001.2.3.4/",
            "http://00256.1.1.1/", "http://1.2.3.4:8080/", "http://a.1/", "http://a.1b/", "http://1a.b/", "http://a1.b2c/",
            "http://[::1]/", "http://[::1]:8080/a", "http://[::1]", "http://[::1]:/", "http://[::1]x/", "http://[::1/",
            "http://::1/", "http://[]/", "http://[:]/", "http://[:::]/", "http://[1::2::3]/", "http://[::ffff:1.2.3.4]/",
            "http://[1:2:3:4:5:6:7:8]/", "http://[1:2:3:4:5:6:7]/", "http://[1:2:3:4:5:6:7:8:9]/", "http://[1:2:3:4:5:6::8]/",
            "http://[1:2:3:4:5:6:7::]/", "http://[1:2:3:4:5:6:1.2.3.4]/", "http://[1:2:3:4:5::1.2.3.4]/",
            "http://[12345::1]/", "http://[::1%eth0]/", "http://[::1%]/", "http://[::1%25eth0]/", "http://[fe80::1%e_t.h0]/",
            "http://[%eth0]/", "http://[::1%eth-0]/", "http://[::g]/", "http://[::1.2.3]/", "http://[::1.2.3.4.5]/",
            "http://[::256.1.1.1]/", "http://[1.2.3.4]/", "http://[::1]]/", "http://]::1[/", "http://[v1.x]/",
            "HTTP://EXAMPLE.COM/A", "ftp://files.example/pub/", "ftp://files.example", "ftp://u:p@files.example/",
            "ftp://files.example:21/f", "ftp://files.example:2121/d/", "http://example.com/\u0000", "http://exa\u0000mple/",
            "http://example.com/\ud83d\ude00", "http://example.com/\ud83d", "http://example.com/\u3000", "http://example.com/\u2028",
            "http://example.com/\u200b", "http://ex\u00e9mple.com/", "http://example.com/a?b?c", "http://127.0.0.1:18050/c/1k",
    };

    private static final String[][] EDGE_PAIRS = {
            {"http://example.com/a", "b=1"}, {"http://example.com/a", ""}, {"http://example.com", "q"},
            {"http://example.com/a", "b c"}, {"http://example.com/a", "a%2"}, {"http://example.com/a", "[x]"},
            {"http://example.com/a", "x#y"}, {"http://example.com/a#f", "q"}, {"http://example.com", "q#f"},
            {"http://example.com/a", "\u00e9"}, {"http://example.com/a", "a|b"}, {"http://example.com:80", "x=1&y=2"},
    };
}
