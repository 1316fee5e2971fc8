package dev.gatehouse.policy.normalize;

import java.io.ByteArrayOutputStream;
import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Turns any host text (from a request, a CONNECT authority or a list entry) into its
 * {@link HostName}: percent-decoded, IDN to A-labels, lower case, one trailing dot removed,
 * IPv4 alternate forms and IPv6 canonicalised; anything else is rejected.
 *
 * <p>IDN: {@link IDN#toASCII} implements IDNA2003, not UTS #46. The two differ for the four
 * "deviation" characters (ß, ς, ZWJ, ZWNJ), which IDNA2003 maps away and UTS #46 (as browsers
 * apply it) keeps; such hosts are rejected as ambiguous instead of being mapped the wrong way.
 * Browsers send A-labels on the wire, so the Unicode path only serves hand-written list entries
 * and unusual clients, which does not justify a 14 MB ICU4J dependency.
 */
public final class HostNormalizer {
    private static final int MAX_HOST_LENGTH = 253; // RFC 1035 §2.3.4
    private static final int MAX_LABEL_LENGTH = 63;

    private HostNormalizer() {
    }

    /**
     * @param raw host text, with or without brackets for IPv6
     * @return the canonical host
     * @throws InvalidTargetException if it is not a valid host
     */
    public static HostName normalize(String raw) {
        // Every request comes here: a host already in canonical form (nearly all of them) is taken in one pass.
        if (raw != null) {
            if (isCanonicalDnsName(raw)) return new HostName(raw, HostName.Kind.DNS);
            if (Ipv4Literal.isDottedQuad(raw)) return new HostName(raw, HostName.Kind.IPV4);
        }
        return normalizeFully(raw);
    }

    /** {@link #normalize} without its shortcuts; tests hold the two to the same answers. */
    static HostName normalizeFully(String raw) {
        if (raw == null || raw.isEmpty()) {
            throw new InvalidTargetException("empty host");
        }
        if (raw.charAt(0) == '[') {
            if (raw.charAt(raw.length() - 1) != ']') {
                throw new InvalidTargetException("unclosed '[' in host '" + raw + "'");
            }
            return Ipv6Literal.parse(raw.substring(1, raw.length() - 1));
        }
        String host = raw.indexOf('%') >= 0 ? percentDecode(raw) : raw;
        if (host.indexOf(':') >= 0) {
            return Ipv6Literal.parse(host);
        }
        if (!isAscii(host)) {
            host = toAscii(host);
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        checkDnsSyntax(host, raw);
        if (Ipv4Literal.endsInNumber(host)) {
            return new HostName(Ipv4Literal.format(Ipv4Literal.parse(host)), HostName.Kind.IPV4);
        }
        return new HostName(host, HostName.Kind.DNS);
    }

    /**
     * Whether the text is already canonical for the common case: lower-case LDH (plus {@code _})
     * labels whose last label is not numeric. Loaders use it to skip {@link #normalize} for the
     * vast majority of list entries.
     */
    public static boolean isCanonicalDnsName(CharSequence s) {
        int n = s.length();
        if (n == 0 || n > MAX_HOST_LENGTH) {
            return false;
        }
        int labelLength = 0;
        boolean lastLabelHasLetter = false;
        boolean lastLabelIsHex = false; // "0x1f" has letters but ends in a number (WHATWG)
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == '.') {
                if (labelLength == 0) {
                    return false;
                }
                labelLength = 0;
                lastLabelHasLetter = false;
                continue;
            }
            boolean hexDigit = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
            if (labelLength == 0) {
                lastLabelIsHex = c == '0';
            } else if (labelLength == 1) {
                lastLabelIsHex &= c == 'x';
            } else {
                lastLabelIsHex &= hexDigit;
            }
            if ((c >= 'a' && c <= 'z') || c == '-' || c == '_') {
                lastLabelHasLetter = true;
            } else if (c < '0' || c > '9') {
                return false;
            }
            if (++labelLength > MAX_LABEL_LENGTH) {
                return false;
            }
        }
        return labelLength > 0 && lastLabelHasLetter && !(lastLabelIsHex && labelLength >= 2);
    }

    private static void checkDnsSyntax(String host, String raw) {
        if (host.isEmpty()) {
            throw new InvalidTargetException("empty host '" + raw + "'");
        }
        if (host.length() > MAX_HOST_LENGTH) {
            throw new InvalidTargetException("host longer than 253 characters");
        }
        int labelStart = 0;
        for (int i = 0; i <= host.length(); i++) {
            char c = i == host.length() ? '.' : host.charAt(i);
            if (c == '.') {
                int length = i - labelStart;
                if (length == 0) {
                    throw new InvalidTargetException("empty label in host '" + raw + "'");
                }
                if (length > MAX_LABEL_LENGTH) {
                    throw new InvalidTargetException("label longer than 63 characters in host '" + raw + "'");
                }
                labelStart = i + 1;
            } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
                // '_' is not valid in host names but occurs in DNS and in UT1 lists.
                throw new InvalidTargetException("character '" + c + "' not allowed in host '" + raw + "'");
            }
        }
    }

    private static String toAscii(String host) {
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            // UTS #46 §4 deviation characters: IDNA2003 maps them, browsers keep them.
            if (c == '\u00df' || c == '\u03c2' || c == '\u200c' || c == '\u200d') {
                throw new InvalidTargetException("host '" + host
                        + "' contains a UTS #46 deviation character; write it as an A-label (xn--)");
            }
        }
        try {
            return IDN.toASCII(host, IDN.ALLOW_UNASSIGNED);
        } catch (IllegalArgumentException e) {
            throw new InvalidTargetException("host '" + host + "' is not a valid IDN: " + e.getMessage());
        }
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** Decodes {@code %XX} as UTF-8, as the WHATWG host parser does before IDNA. */
    private static String percentDecode(String s) {
        byte[] in = s.getBytes(StandardCharsets.UTF_8); // '%' and hex digits are single bytes
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '%') {
                int hi = i + 2 < in.length ? Character.digit(in[i + 1], 16) : -1;
                int lo = hi >= 0 ? Character.digit(in[i + 2], 16) : -1;
                if (lo < 0) {
                    throw new InvalidTargetException("bad percent-escape in host '" + s + "'");
                }
                out.write(hi * 16 + lo);
                i += 2;
            } else {
                out.write(in[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
