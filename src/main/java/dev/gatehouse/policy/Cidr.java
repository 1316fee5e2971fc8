package dev.gatehouse.policy;

import dev.gatehouse.policy.normalize.HostName;
import dev.gatehouse.policy.normalize.HostNormalizer;
import dev.gatehouse.policy.normalize.InvalidTargetException;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 network ({@code 10.0.0.0/8}, {@code fd00::/8}); a bare address is a /32 or /128.
 * IPv4-mapped IPv6 addresses are compared as IPv4, so {@code ::ffff:10.1.2.3} is in {@code 10.0.0.0/8}.
 *
 * @param network the network's address bytes (4 or 16)
 * @param prefixLength the number of leading bits that must match
 */
public record Cidr(byte[] network, int prefixLength) {

    /**
     * @throws IllegalArgumentException with a message for the policy file if the text is not a CIDR
     */
    public static Cidr parse(String text) {
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        byte[] bytes = addressBytes(address);
        int max = bytes.length * 8;
        int prefix = max;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad prefix length in '" + text + "'");
            }
            if (prefix < 0 || prefix > max) {
                throw new IllegalArgumentException("prefix length out of range in '" + text + "'");
            }
        }
        for (int bit = prefix; bit < max; bit++) {
            if ((bytes[bit / 8] & (0x80 >> (bit % 8))) != 0) {
                throw new IllegalArgumentException("'" + text + "' has host bits set; did you mean the network address?");
            }
        }
        return new Cidr(bytes, prefix);
    }

    private static byte[] addressBytes(String text) {
        HostName host;
        try {
            host = HostNormalizer.normalize(text);
        } catch (InvalidTargetException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address");
        }
        if (!host.isIpLiteral()) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address");
        }
        try {
            return InetAddress.getByName(host.authorityForm()).getAddress(); // a literal: no DNS
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address");
        }
    }

    /** @return true if the address is in this network */
    public boolean contains(InetAddress address) {
        return contains(unmapped(address.getAddress()));
    }

    private boolean contains(byte[] bytes) {
        if (bytes.length != network.length) {
            return false;
        }
        int full = prefixLength / 8;
        for (int i = 0; i < full; i++) {
            if (bytes[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (bytes[full] & mask) == (network[full] & mask);
    }

    private static byte[] unmapped(byte[] bytes) {
        if (bytes.length != 16) {
            return bytes;
        }
        for (int i = 0; i < 12; i++) {
            if (bytes[i] != (i < 10 ? 0 : (byte) 0xff)) {
                return bytes;
            }
        }
        return new byte[] {bytes[12], bytes[13], bytes[14], bytes[15]};
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefixLength;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr other && other.prefixLength == prefixLength
                && java.util.Arrays.equals(other.network, network);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(network) * 31 + prefixLength;
    }
}
