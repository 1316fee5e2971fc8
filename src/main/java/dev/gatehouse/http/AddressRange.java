package dev.gatehouse.http;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * One IPv4 or IPv6 CIDR block ({@code 10.0.0.0/8}, {@code fd00::/8}, or a single address). IPv4-mapped
 * IPv6 addresses ({@code ::ffff:a.b.c.d}) are matched as the IPv4 address they carry, since dual-stack
 * sockets report IPv4 clients that way.
 */
public final class AddressRange {
    private final byte[] network;
    private final int prefix;
    private final String text;
    private final boolean hostBits;

    private AddressRange(byte[] network, int prefix, String text, boolean hostBits) {
        this.network = network;
        this.prefix = prefix;
        this.text = text;
        this.hostBits = hostBits;
    }

    /**
     * Parses {@code address[/prefix]}; only IP literals are accepted, never host names (parsing must not
     * touch DNS).
     *
     * @throws IllegalArgumentException with a message fit for a config error
     */
    public static AddressRange parse(String cidr) {
        String s = cidr.trim();
        int slash = s.indexOf('/');
        String addr = slash < 0 ? s : s.substring(0, slash);
        byte[] bytes = literalBytes(addr);
        if (bytes == null) throw new IllegalArgumentException("'" + cidr + "' is not an IP address or CIDR block");
        int max = bytes.length * 8;
        int prefix = max;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(s.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + cidr + "' has a prefix length that is not a number");
            }
            if (prefix < 0 || prefix > max) {
                throw new IllegalArgumentException("'" + cidr + "' has prefix length " + prefix + ", must be 0.." + max);
            }
        }
        byte[] network = mask(bytes, prefix);
        return new AddressRange(network, prefix, s, !Arrays.equals(network, bytes));
    }

    /** True if the text had bits set beyond the prefix ({@code 10.1.2.3/8}); matching ignores them. */
    public boolean hasHostBits() {
        return hostBits;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AddressRange r && r.prefix == prefix && Arrays.equals(r.network, network);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(network) * 31 + prefix;
    }

    /** True if {@code address} lies in this block. */
    public boolean contains(InetAddress address) {
        return containsBytes(bytesOf(address));
    }

    /** The bytes {@link #containsBytes} compares: an IPv4-mapped IPv6 address as its IPv4 address. */
    static byte[] bytesOf(InetAddress address) {
        return unmapped(address.getAddress());
    }

    /** True if the address of {@link #bytesOf} lies in this block. */
    boolean containsBytes(byte[] a) {
        if (a.length != network.length) return false;
        for (int i = 0; i < a.length; i++) {
            int bits = Math.max(0, Math.min(8, prefix - i * 8));
            if ((byte) (a[i] & (0xff << (8 - bits))) != network[i]) return false;
        }
        return true;
    }

    @Override
    public String toString() { return text; }

    /**
     * Whether {@code host} stands for an address rather than a DNS name, in any notation: an IPv6 literal, or a host
     * whose last label is a number (the WHATWG URL Standard's "ends in a number"), which resolvers read as IPv4:
     * {@code 2852039166} and {@code 169.254.43518} are 169.254.169.254 to the JDK and to inet_aton. A check that
     * vets only dotted quads, and leaves names to whoever resolves them, must vet these as well.
     */
    public static boolean namesAnAddress(String host) {
        if (host.indexOf(':') >= 0) return true;
        String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        String last = h.substring(h.lastIndexOf('.') + 1);
        if (last.startsWith("0x") || last.startsWith("0X")) return last.chars().skip(2).allMatch(c -> Character.digit(c, 16) >= 0);
        return !last.isEmpty() && last.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** The bytes of an IPv4 or IPv6 literal, or null if {@code s} is not one (never resolves names). */
    public static byte[] literalBytes(String s) {
        String t = s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
        if (t.isEmpty()) return null;
        boolean ipv6 = t.indexOf(':') >= 0;
        if (!ipv6 && !isDottedQuad(t)) return null;
        if (ipv6 && !t.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.' || c == '%')) return null;
        try {
            return unmapped(InetAddress.getByName(t).getAddress());
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /**
     * The address as logs and pages show it: dotted quad for IPv4 (IPv4-mapped IPv6 included), RFC 5952
     * text for IPv6 ({@code ::1}, {@code 2001:db8::1}, not the JDK's {@code 0:0:0:0:0:0:0:1}), no zone.
     */
    public static String text(InetAddress address) {
        InetAddress a = unmap(address);
        if (!(a instanceof Inet6Address)) return a.getHostAddress();
        return ipv6Text(a.getAddress());
    }

    /** 16 bytes as RFC 5952 §4 text: lower-case hex, no leading zeros, the longest run of two or more zero groups as "::". */
    public static String ipv6Text(byte[] b) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        int bestStart = -1, bestLength = 1; // §4.2.2: "::" never stands for a single group
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) j++;
            if (j - i > bestLength) { // §4.2.3: the first of equally long runs wins
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder out = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') out.append(':');
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }

    /** The IPv4 form of an IPv4-mapped IPv6 address, else the address itself. */
    public static InetAddress unmap(InetAddress address) {
        if (address instanceof Inet6Address) {
            byte[] b = address.getAddress();
            byte[] u = unmapped(b);
            if (u != b) {
                try {
                    return Inet4Address.getByAddress(u);
                } catch (UnknownHostException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return address;
    }

    private static boolean isDottedQuad(String t) {
        String[] parts = t.split("\\.", -1);
        if (parts.length != 4) return false;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) return false;
            if (Integer.parseInt(p) > 255) return false;
        }
        return true;
    }

    private static byte[] unmapped(byte[] b) {
        if (b.length != 16) return b;
        for (int i = 0; i < 10; i++) if (b[i] != 0) return b;
        if (b[10] != (byte) 0xff || b[11] != (byte) 0xff) return b;
        return Arrays.copyOfRange(b, 12, 16);
    }

    private static byte[] mask(byte[] bytes, int prefix) {
        byte[] out = bytes.clone();
        for (int i = 0; i < out.length; i++) {
            int bits = Math.max(0, Math.min(8, prefix - i * 8));
            out[i] &= (byte) (0xff << (8 - bits));
        }
        return out;
    }
}
