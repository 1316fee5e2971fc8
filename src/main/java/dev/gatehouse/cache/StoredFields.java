package dev.gatehouse.cache;

import java.util.ArrayList;
import java.util.List;

/**
 * Removes from a response's header fields what a shared cache must not store or hand to another
 * client.
 */
final class StoredFields {
    /**
     * Never stored: {@code Connection} and the fields it lists, the proxy-only fields (RFC 9111 §3.1),
     * the other hop-by-hop fields (RFC 9110 §7.6.1), and {@code Set-Cookie}, which would hand one
     * client's session to the next (Gatehouse rule, beyond the RFC).
     */
    private static final List<String> NEVER_STORED = List.of(
            "Connection", "Keep-Alive", "Proxy-Connection", "TE", "Trailer", "Transfer-Encoding", "Upgrade",
            "Proxy-Authenticate", "Proxy-Authentication-Info", "Proxy-Authorization", "Set-Cookie", "Set-Cookie2");

    private StoredFields() {
    }

    /** {@code headers} without the fields that must not be stored. */
    static CacheHeaders strip(CacheHeaders headers) {
        List<String> drop = new ArrayList<>(NEVER_STORED);
        drop.addAll(headers.elements("Connection"));
        return headers.without(drop);
    }
}
