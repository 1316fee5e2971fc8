package dev.gatehouse.policy.normalize;

import java.nio.charset.StandardCharsets;

/**
 * Normalises a path and query (RFC 3986 §6.2.2): decodes percent-escapes of unreserved
 * characters, upper-cases the hex of the others, escapes characters that may not appear raw,
 * removes dot segments from the path (§5.2.4) and drops the fragment.
 *
 * <p>Reserved characters keep their escapes: {@code %2F} is not a path separator and {@code %3F}
 * does not start a query, so decoding them would change which resource is named. Paths stay
 * case-sensitive and {@code //} is not collapsed; list entries go through the same code.
 */
public final class PathNormalizer {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private PathNormalizer() {
    }

    /**
     * @param pathAndQuery origin-form target such as {@code /a/./b?q=1#top}; empty means {@code /}
     * @return the normalised path and query, always starting with {@code /}
     */
    public static String normalize(String pathAndQuery) {
        int hash = pathAndQuery.indexOf('#');
        String s = hash >= 0 ? pathAndQuery.substring(0, hash) : pathAndQuery;
        int question = s.indexOf('?');
        String path = question >= 0 ? s.substring(0, question) : s;
        String query = question >= 0 ? s.substring(question) : "";
        if (path.isEmpty() || path.charAt(0) != '/') {
            path = "/" + path;
        }
        path = removeDotSegments(normalizeEscapes(path));
        return query.isEmpty() ? path : path + normalizeEscapes(query);
    }

    /** RFC 3986 §2.3 unreserved characters: decoding their escapes never changes meaning. */
    static boolean isUnreserved(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
    }

    /** Characters allowed raw in a path or query: unreserved, sub-delims, ':', '@', '/', '?'. */
    private static boolean isAllowedRaw(int c) {
        return isUnreserved(c) || "!$&'()*+,;=:@/?".indexOf(c) >= 0;
    }

    static String normalizeEscapes(String s) {
        if (isAlreadyNormal(s)) {
            return s;
        }
        byte[] in = s.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(in.length + 8);
        for (int i = 0; i < in.length; i++) {
            int b = in[i] & 0xff;
            if (b == '%') {
                int hi = i + 2 < in.length ? Character.digit(in[i + 1], 16) : -1;
                int lo = hi >= 0 ? Character.digit(in[i + 2], 16) : -1;
                if (lo < 0) {
                    appendEscape(out, b); // a stray '%' is data: escape it, never guess
                    continue;
                }
                int decoded = hi * 16 + lo;
                if (isUnreserved(decoded)) {
                    out.append((char) decoded);
                } else {
                    appendEscape(out, decoded);
                }
                i += 2;
            } else if (isAllowedRaw(b)) {
                out.append((char) b);
            } else {
                appendEscape(out, b);
            }
        }
        return out.toString();
    }

    private static boolean isAlreadyNormal(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' || c >= 0x80 || !isAllowedRaw(c)) {
                return false;
            }
        }
        return true;
    }

    private static void appendEscape(StringBuilder out, int b) {
        out.append('%').append(HEX[b >> 4]).append(HEX[b & 0xf]);
    }

    /** RFC 3986 §5.2.4 "remove_dot_segments", for an absolute path. */
    static String removeDotSegments(String path) {
        if (path.indexOf("/.") < 0) {
            return path;
        }
        String[] segments = path.substring(1).split("/", -1);
        String[] stack = new String[segments.length];
        int depth = 0;
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            boolean last = i == segments.length - 1;
            if (segment.equals(".")) {
                if (last) {
                    stack[depth++] = "";
                }
            } else if (segment.equals("..")) {
                if (depth > 0) {
                    depth--;
                }
                if (last) {
                    stack[depth++] = "";
                }
            } else {
                stack[depth++] = segment;
            }
        }
        StringBuilder out = new StringBuilder(path.length());
        for (int i = 0; i < depth; i++) {
            out.append('/').append(stack[i]);
        }
        return out.length() == 0 ? "/" : out.toString();
    }
}
