package dev.gatehouse.policy.normalize;

/**
 * A normalised host: a lower-case A-label DNS name without trailing dot, a dotted-quad IPv4
 * address, or an RFC 5952 IPv6 address (without brackets or zone).
 *
 * @param value the canonical text
 * @param kind what the text is
 */
public record HostName(String value, Kind kind) {

    /** What a host is; domain categories never match IP literals. */
    public enum Kind { DNS, IPV4, IPV6 }

    /** @return true for IPv4 and IPv6 literals */
    public boolean isIpLiteral() {
        return kind != Kind.DNS;
    }

    /** @return the host as it appears in a URL authority, with brackets around IPv6 */
    public String authorityForm() {
        return kind == Kind.IPV6 ? "[" + value + "]" : value;
    }

    @Override
    public String toString() {
        return value;
    }
}
