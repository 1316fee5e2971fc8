package dev.gatehouse.http;

/**
 * Splits an absolute URL into a {@link RequestTarget}, accepting exactly what {@code new java.net.URI(text)}
 * accepts as {@code scheme://host[:port][path][?query][#fragment]} with a server authority (RFC 2396 as
 * {@code java.net.URI} reads it, with RFC 2732's IPv6 literals), and refusing besides what the proxy never
 * forwards: user info (RFC 9110 §4.2.4) and ports 0 and above 65535. Written after {@code java.net.URI}'s own
 * parser, rule for rule, so that the 400s for bad targets stay what they were; {@code RequestTargetTest}
 * holds the two side by side over a generated corpus.
 *
 * <p>Deliberately the same as {@code java.net.URI}, quirks included: a bare name of digits ({@code http://123/})
 * is a host, but a dotted one whose last label starts with a digit is not unless it is an IPv4 address; each
 * IPv4 byte may carry any number of leading zeros; visible non-ASCII characters pass in the path, query and
 * fragment, and {@code %} must start a two-hex-digit escape there.
 */
final class AbsoluteFormParser {
    private static final String ALPHANUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final String UNRESERVED = ALPHANUM + "-_.!~*'()";
    private static final boolean[] SCHEME = table(ALPHANUM + "+-.");
    /** A path: pchar, ';' and '/'. */
    private static final boolean[] PATH = table(UNRESERVED + ":@&=+$,;/");
    /** A query or fragment: uric (reserved, with RFC 2732's brackets, and unreserved). */
    private static final boolean[] URIC = table(UNRESERVED + ";/?:@&=+$,[]");
    private static final boolean[] SCOPE_ID = table(ALPHANUM + "_.");
    private static final Malformed MALFORMED = new Malformed();

    private final String s;
    private String host;
    private int port = -1;
    private int ipv6Bytes;

    private AbsoluteFormParser(String s) {
        this.s = s;
    }

    /** The target, or null when {@code text} is not a usable absolute URL. */
    static RequestTarget parse(String text) {
        try {
            return new AbsoluteFormParser(text).target();
        } catch (Malformed e) {
            return null;
        }
    }

    private RequestTarget target() throws Malformed {
        int n = s.length();
        int colon = schemeEnd();
        String scheme = colon == 4 && s.startsWith("http") ? "http" : s.substring(0, colon);
        if (!s.startsWith("//", colon + 1)) throw MALFORMED; // opaque, or no authority: no host
        int authorityStart = colon + 3;
        int authorityEnd = scan(authorityStart, n, "/?#");
        if (authorityEnd == authorityStart) throw MALFORMED;
        server(authorityStart, authorityEnd);
        int pathEnd = scan(authorityEnd, n, "?#");
        check(authorityEnd, pathEnd, PATH);
        int p = pathEnd;
        String query = null;
        if (p < n && s.charAt(p) == '?') {
            int end = scan(p + 1, n, "#");
            check(p + 1, end, URIC);
            query = s.substring(p + 1, end);
            p = end;
        }
        String fragment = null;
        if (p < n) { // at '#'
            check(p + 1, n, URIC);
            fragment = s.substring(p + 1);
        }
        if (pathEnd == authorityEnd) { // "/" as the path (RFC 9110 §4.2.3), rebuilt as the listener always did it
            String text = s.substring(0, authorityEnd) + "/" + (query == null ? "" : "?" + query);
            return new RequestTarget(text, scheme, host, authorityEnd, port, "/", query, null);
        }
        return new RequestTarget(s, scheme, host, authorityEnd, port, s.substring(authorityEnd, pathEnd), query, fragment);
    }

    /** scheme = alpha *( alpha | digit | "+" | "-" | "." ), ended by the first ':' before any '/', '?' or '#'. */
    private int schemeEnd() throws Malformed {
        int n = s.length();
        int colon = 0;
        while (colon < n && s.charAt(colon) != ':') {
            if ("/?#".indexOf(s.charAt(colon)) >= 0) throw MALFORMED;
            colon++;
        }
        if (colon == 0 || colon == n || !isAlpha(s.charAt(0))) throw MALFORMED; // no scheme: not absolute
        for (int i = 1; i < colon; i++) {
            if (!allowed(SCHEME, s.charAt(i))) throw MALFORMED;
        }
        return colon;
    }

    /** host [ ":" [ port ] ]; user info is refused whether or not it is well formed. */
    private void server(int start, int end) throws Malformed {
        if (scan(start, end, "@") < end) throw MALFORMED;
        int p;
        if (s.charAt(start) == '[') {
            int close = scan(start + 1, end, "]");
            if (close == start + 1 || close == end) throw MALFORMED;
            int percent = scan(start + 1, close, "%");
            ipv6(start + 1, percent);
            if (percent < close) { // a scope id
                if (percent + 1 == close) throw MALFORMED;
                for (int i = percent + 1; i < close; i++) {
                    if (!allowed(SCOPE_ID, s.charAt(i))) throw MALFORMED;
                }
            }
            p = close + 1;
        } else {
            p = ipv4(start, end);
            if (p <= start) p = hostname(start, end);
        }
        host = s.substring(start, p);
        if (p == end) return;
        if (s.charAt(p) != ':') throw MALFORMED;
        if (++p == end) return; // "host:" has no port
        int value = 0;
        for (; p < end; p++) {
            char c = s.charAt(p);
            if (!isDigit(c)) throw MALFORMED;
            value = Math.min(value * 10 + (c - '0'), 65536); // leading zeros allowed, any number above 65535 refused
        }
        if (value == 0 || value > 65535) throw MALFORMED;
        port = value;
    }

    /**
     * hostname = *( domainlabel "." ) label [ "." ], each label alphanumerics and inner dashes; the last label
     * starts with a letter unless it is the only one.
     */
    private int hostname(int start, int n) throws Malformed {
        int p = start;
        int last = -1;
        do {
            int q = p;
            while (q < n && isAlphanum(s.charAt(q))) q++;
            if (q == p) break;
            last = p;
            p = q;
            while (q < n && (isAlphanum(s.charAt(q)) || s.charAt(q) == '-')) q++;
            if (q > p) {
                if (s.charAt(q - 1) == '-') throw MALFORMED;
                p = q;
            }
            if (p == n || s.charAt(p) != '.') break;
            p++;
        } while (p < n);
        if (p < n && s.charAt(p) != ':') throw MALFORMED;
        if (last < 0) throw MALFORMED;
        if (last > start && !isAlpha(s.charAt(last))) throw MALFORMED;
        return p;
    }

    /** An IPv4 address at {@code start} followed by the end or ':', else -1. */
    private int ipv4(int start, int n) {
        int p = scanIpv4(start, n);
        return p < 0 || (p < n && s.charAt(p) != ':') ? -1 : p;
    }

    /** An IPv4 address that is all of [start, n). */
    private int takeIpv4(int start, int n) throws Malformed {
        int p = scanIpv4(start, n);
        if (p != n) throw MALFORMED;
        return p;
    }

    /**
     * Four dotted bytes making up the whole run of digits and dots at {@code start}: its end, or -1. A byte is
     * at most three digits after its leading zeros, and at most 255.
     */
    private int scanIpv4(int start, int n) {
        int m = start;
        while (m < n && (isDigit(s.charAt(m)) || s.charAt(m) == '.')) m++;
        int p = start;
        for (int i = 0; i < 4; i++) {
            if (i > 0) {
                if (p == m || s.charAt(p) != '.') return -1;
                p++;
            }
            int q = scanByte(p, m);
            if (q == p) return -1;
            p = q;
        }
        return p == m ? p : -1;
    }

    private int scanByte(int start, int n) {
        int q = start;
        while (q < n && isDigit(s.charAt(q))) q++;
        int significant = start;
        while (significant < q && s.charAt(significant) == '0') significant++;
        int digits = q - significant;
        if (digits < 3) return q;
        if (digits > 3) return start;
        return Integer.parseInt(s, significant, q, 10) > 255 ? start : q;
    }

    /**
     * An IPv6 address (RFC 2373 with {@code java.net.URI}'s revised grammar): {@code hexseq [":" IPv4]},
     * {@code hexseq ["::" [hexpost]]} or {@code "::" [hexpost]}; 16 bytes exactly without {@code ::}, fewer with it.
     */
    private void ipv6(int start, int n) throws Malformed {
        int p = start;
        boolean compressed = false;
        int q = scanHexSeq(p, n);
        if (q > p) {
            p = q;
            if (s.startsWith("::", p) && p + 2 <= n) {
                compressed = true;
                p = scanHexPost(p + 2, n);
            } else if (p < n && s.charAt(p) == ':') {
                p = takeIpv4(p + 1, n);
                ipv6Bytes += 4;
            }
        } else if (s.startsWith("::", p) && p + 2 <= n) {
            compressed = true;
            p = scanHexPost(p + 2, n);
        }
        if (p < n || ipv6Bytes > 16 || (compressed ? ipv6Bytes == 16 : ipv6Bytes < 16)) throw MALFORMED;
    }

    private int scanHexPost(int start, int n) throws Malformed {
        if (start == n) return start;
        int p = start;
        int q = scanHexSeq(p, n);
        if (q > p) {
            p = q;
            if (p < n && s.charAt(p) == ':') {
                p = takeIpv4(p + 1, n);
                ipv6Bytes += 4;
            }
        } else {
            p = takeIpv4(p, n);
            ipv6Bytes += 4;
        }
        return p;
    }

    /** hex4 *( ":" hex4 ), stopping before "::" or an IPv4 address; -1 when none starts here. */
    private int scanHexSeq(int start, int n) throws Malformed {
        int p = start;
        int q = scanHex(p, n);
        if (q == p || (q < n && s.charAt(q) == '.')) return -1;
        if (q > p + 4) throw MALFORMED;
        ipv6Bytes += 2;
        p = q;
        while (p < n && s.charAt(p) == ':') {
            if (p + 1 < n && s.charAt(p + 1) == ':') break;
            p++;
            q = scanHex(p, n);
            if (q == p) throw MALFORMED;
            if (q < n && s.charAt(q) == '.') {
                p--; // the IPv4 address starts after this ':'
                break;
            }
            if (q > p + 4) throw MALFORMED;
            ipv6Bytes += 2;
            p = q;
        }
        return p;
    }

    private int scanHex(int start, int n) {
        int q = start;
        while (q < n && isHex(s.charAt(q))) q++;
        return q;
    }

    /** Characters of [start, end) in {@code table}, escapes {@code %XX}, or visible non-ASCII. */
    private void check(int start, int end, boolean[] table) throws Malformed {
        for (int p = start; p < end; ) {
            char c = s.charAt(p);
            if (allowed(table, c)) {
                p++;
            } else if (c == '%') {
                if (p + 3 > end || !isHex(s.charAt(p + 1)) || !isHex(s.charAt(p + 2))) throw MALFORMED;
                p += 3;
            } else if (c > 128 && !Character.isSpaceChar(c) && !Character.isISOControl(c)) {
                p++;
            } else {
                throw MALFORMED;
            }
        }
    }

    /** The first index in [start, n) holding one of {@code stops}, else n. */
    private int scan(int start, int n, String stops) {
        int p = start;
        while (p < n && stops.indexOf(s.charAt(p)) < 0) p++;
        return p;
    }

    private static boolean allowed(boolean[] table, char c) {
        return c < 128 && table[c];
    }

    private static boolean isHex(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isAlpha(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isAlphanum(char c) {
        return isAlpha(c) || isDigit(c);
    }

    private static boolean[] table(String chars) {
        boolean[] table = new boolean[128];
        for (int i = 0; i < chars.length(); i++) table[chars.charAt(i)] = true;
        return table;
    }

    /** Thrown to unwind a failed parse; shared and without a stack trace, since bad targets are the client's. */
    private static final class Malformed extends Exception {
        Malformed() {
            super(null, null, false, false);
        }
    }
}
