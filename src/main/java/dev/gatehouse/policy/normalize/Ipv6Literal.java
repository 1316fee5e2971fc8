package dev.gatehouse.policy.normalize;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Parses IPv6 literals and prints them in the RFC 5952 canonical form (lower case, no leading
 * zeros, the longest run of zero groups as {@code ::}). Zone ids are dropped; IPv4-mapped
 * addresses ({@code ::ffff:a.b.c.d}) become IPv4, so they match IPv4 entries.
 */
public final class Ipv6Literal {
    private Ipv6Literal() {
    }

    /**
     * @param text an IPv6 address without brackets, optionally with a {@code %zone}
     * @return the normalised host
     * @throws InvalidTargetException if the text is not an IPv6 address
     */
    static HostName parse(String text) {
        int zone = text.indexOf('%');
        String address = zone >= 0 ? text.substring(0, zone) : text;
        if (address.isEmpty() || address.indexOf(':') < 0) {
            throw new InvalidTargetException("bad IPv6 address '" + text + "'");
        }
        InetAddress parsed;
        try {
            // Brackets make the JDK treat the text as a literal only: it never falls back to DNS.
            parsed = InetAddress.getByName("[" + address + "]");
        } catch (UnknownHostException e) {
            throw new InvalidTargetException("bad IPv6 address '" + text + "'");
        }
        if (parsed instanceof Inet4Address) {
            return new HostName(parsed.getHostAddress(), HostName.Kind.IPV4);
        }
        return new HostName(format(parsed.getAddress()), HostName.Kind.IPV6);
    }

    /** @return the canonical text of an address: IPv4 dotted quad or RFC 5952 IPv6 */
    public static String canonical(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length == 4) {
            return address.getHostAddress();
        }
        boolean mapped = true;
        for (int i = 0; i < 12; i++) {
            mapped &= bytes[i] == (i < 10 ? 0 : (byte) 0xff);
        }
        if (mapped) {
            return (bytes[12] & 0xff) + "." + (bytes[13] & 0xff) + "." + (bytes[14] & 0xff) + "." + (bytes[15] & 0xff);
        }
        return format(bytes);
    }

    /** Formats 16 bytes as RFC 5952 §4 text. */
    static String format(byte[] bytes) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1; // RFC 5952 §4.2.2: a single zero group is not shortened
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) { // §4.2.3: the first of equally long runs wins
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder out = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }
}
