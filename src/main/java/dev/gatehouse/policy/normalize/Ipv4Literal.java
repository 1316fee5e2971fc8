package dev.gatehouse.policy.normalize;

/**
 * Parses IPv4 addresses in every form browsers accept (WHATWG URL Standard, "IPv4 parser"):
 * one to four parts, each decimal, octal (leading {@code 0}) or hex ({@code 0x}), the last part
 * filling the remaining bytes, so {@code 0x7f.1}, {@code 0177.0.0.1} and {@code 2130706433} are all
 * {@code 127.0.0.1}. A filter that compares only dotted quads is bypassed by these forms.
 */
final class Ipv4Literal {
    private Ipv4Literal() {
    }

    /**
     * Whether the host "ends in a number" (WHATWG): its last label is all digits or {@code 0x}
     * plus hex digits, so it must parse as IPv4 or be rejected.
     */
    static boolean endsInNumber(String host) {
        int start = host.lastIndexOf('.') + 1;
        if (start == host.length()) {
            return false;
        }
        String last = host.substring(start);
        if (last.startsWith("0x")) {
            for (int i = 2; i < last.length(); i++) {
                if (Character.digit(last.charAt(i), 16) < 0) {
                    return false;
                }
            }
            return true;
        }
        for (int i = 0; i < last.length(); i++) {
            char c = last.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether {@code host} is already the canonical form {@link #format} writes: four decimal parts
     * 0-255 without leading zeros, so it is its own normal form.
     */
    static boolean isDottedQuad(String host) {
        int n = host.length();
        if (n < 7 || n > 15) {
            return false;
        }
        int parts = 0;
        int i = 0;
        while (true) {
            int start = i;
            int value = 0;
            while (i < n && host.charAt(i) >= '0' && host.charAt(i) <= '9') {
                value = value * 10 + (host.charAt(i) - '0');
                i++;
            }
            int digits = i - start;
            if (digits == 0 || digits > 3 || value > 255 || (digits > 1 && host.charAt(start) == '0')) {
                return false;
            }
            parts++;
            if (i == n) {
                return parts == 4;
            }
            if (host.charAt(i) != '.' || parts == 4) {
                return false;
            }
            i++;
        }
    }

    /**
     * @param host a lower-case host that {@linkplain #endsInNumber ends in a number}
     * @return the address as an unsigned 32-bit value
     * @throws InvalidTargetException if a part is malformed or out of range
     */
    static long parse(String host) {
        // Parts are read in place (no split, no substrings): every request to an IP-literal host comes here.
        int parts = 1;
        for (int i = host.indexOf('.'); i >= 0; i = host.indexOf('.', i + 1)) parts++;
        if (parts > 4) {
            throw new InvalidTargetException("IPv4 address with more than four parts: '" + host + "'");
        }
        long result = 0;
        int from = 0;
        for (int i = 0; i < parts; i++) {
            int dot = host.indexOf('.', from);
            int to = dot < 0 ? host.length() : dot;
            long part = parsePart(host, from, to);
            boolean last = i == parts - 1;
            int bitsLeft = 8 * (4 - i);
            if (last) {
                if (part >= (1L << bitsLeft)) {
                    throw new InvalidTargetException("IPv4 address out of range: '" + host + "'");
                }
                result = (result << bitsLeft) | part;
            } else {
                if (part > 255) {
                    throw new InvalidTargetException("IPv4 part over 255: '" + host + "'");
                }
                result = (result << 8) | part;
            }
            from = to + 1;
        }
        return result;
    }

    /** The part {@code host[from, to)}: decimal, octal (leading 0) or hex (0x). */
    private static long parsePart(String host, int from, int to) {
        int radix = 10;
        int start = from;
        if (host.startsWith("0x", from) && to - from >= 2) {
            radix = 16;
            start = from + 2;
            if (start == to) {
                return 0; // WHATWG: "0x" alone is zero
            }
        } else if (to - from > 1 && host.charAt(from) == '0') {
            radix = 8;
            start = from + 1;
        }
        if (start == to || to - start > 12) {
            throw badPart(host, from, to);
        }
        try {
            return Long.parseLong(host, start, to, radix);
        } catch (NumberFormatException e) {
            throw badPart(host, from, to);
        }
    }

    private static InvalidTargetException badPart(String host, int from, int to) {
        return new InvalidTargetException("bad IPv4 part '" + host.substring(from, to) + "' in '" + host + "'");
    }

    /** @return the dotted-quad text of an unsigned 32-bit address */
    static String format(long address) {
        return ((address >>> 24) & 0xff) + "." + ((address >>> 16) & 0xff) + "."
                + ((address >>> 8) & 0xff) + "." + (address & 0xff);
    }
}
