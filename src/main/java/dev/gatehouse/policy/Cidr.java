package dev.gatehouse.policy;

import dev.gatehouse.http.AddressRange;
import dev.gatehouse.policy.normalize.HostName;
import dev.gatehouse.policy.normalize.HostNormalizer;
import dev.gatehouse.policy.normalize.InvalidTargetException;
import java.net.InetAddress;

/**
 * An IPv4 or IPv6 network in a policy ({@code 10.0.0.0/8}, {@code fd00::/8}); a bare address is a /32
 * or /128. Stricter than the configuration's {@link AddressRange}, which it wraps for matching: the
 * address is read the way request hosts are normalised (so {@code 10.1} means what it means in a URL),
 * and host bits must be clear ({@code 10.1.2.3/8} is more likely a typo than a network).
 *
 * @param range the network, matched as {@link AddressRange} matches (IPv4-mapped IPv6 as IPv4)
 */
public record Cidr(AddressRange range) {

    /**
     * @throws IllegalArgumentException with a message for the policy file if the text is not a CIDR
     */
    public static Cidr parse(String text) {
        int slash = text.indexOf('/');
        String literal = literal(slash < 0 ? text : text.substring(0, slash));
        AddressRange range = AddressRange.parse(slash < 0 ? literal : literal + text.substring(slash));
        if (range.hasHostBits()) {
            throw new IllegalArgumentException("'" + text + "' has host bits set; did you mean the network address?");
        }
        return new Cidr(range);
    }

    /** The address in the normaliser's canonical literal form. */
    private static String literal(String address) {
        HostName host;
        try {
            host = HostNormalizer.normalize(address);
        } catch (InvalidTargetException e) {
            throw new IllegalArgumentException("'" + address + "' is not an IP address");
        }
        if (!host.isIpLiteral()) throw new IllegalArgumentException("'" + address + "' is not an IP address");
        return host.authorityForm();
    }

    /** @return true if the address is in this network */
    public boolean contains(InetAddress address) {
        return range.contains(address);
    }

    @Override
    public String toString() {
        return range.toString();
    }
}
