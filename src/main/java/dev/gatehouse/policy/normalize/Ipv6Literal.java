package dev.gatehouse.policy.normalize;

import dev.gatehouse.http.AddressRange;
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
        return new HostName(AddressRange.ipv6Text(parsed.getAddress()), HostName.Kind.IPV6);
    }
}
