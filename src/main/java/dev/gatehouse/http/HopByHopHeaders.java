package dev.gatehouse.http;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Decides which header fields apply to one connection only and so must not be forwarded.
 *
 * <p>RFC 9110 §7.6.1: a proxy removes the fields named in {@code Connection} and the {@code Connection}
 * field itself; the others below are hop-by-hop by definition (RFC 9110 §7.6.1, §11.7; RFC 9112 §6.1,
 * §9.6). {@code Proxy-Authorization} is consumed by this proxy and never sent on.
 */
public final class HopByHopHeaders {
    private static final Set<String> ALWAYS = Set.of(
            "connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization",
            "te", "trailer", "transfer-encoding", "upgrade");

    private final Set<String> named;

    private HopByHopHeaders(Set<String> named) {
        this.named = named;
    }

    /** The set for one message, given every value of its {@code Connection} field (may be empty). */
    public static HopByHopHeaders forConnectionValues(Iterable<String> connectionValues) {
        Set<String> named = null;
        for (String value : connectionValues) {
            for (String token : value.split(",")) {
                String t = token.trim().toLowerCase(Locale.ROOT);
                if (t.isEmpty()) continue;
                if (named == null) named = new HashSet<>();
                named.add(t);
            }
        }
        return new HopByHopHeaders(named == null ? Set.of() : named);
    }

    /** True if the field must not be forwarded. */
    public boolean isHopByHop(String headerName) {
        String lower = headerName.toLowerCase(Locale.ROOT);
        return ALWAYS.contains(lower) || named.contains(lower);
    }

    /** True if the name is hop-by-hop regardless of any {@code Connection} field. */
    public static boolean isAlwaysHopByHop(String headerName) {
        return ALWAYS.contains(headerName.toLowerCase(Locale.ROOT));
    }
}
