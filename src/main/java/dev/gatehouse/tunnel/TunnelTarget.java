package dev.gatehouse.tunnel;

import dev.gatehouse.http.AddressRange;

/** A CONNECT request-target in authority-form (RFC 9112 §3.2.3): {@code host:port} or {@code [v6]:port}. */
public record TunnelTarget(String host, int port) {

    /** Null if {@code authority} is not a host and a port 1..65535. */
    public static TunnelTarget parse(String authority) {
        int colon = authority.lastIndexOf(':');
        if (colon <= 0 || colon == authority.length() - 1) return null;
        String host = authority.substring(0, colon);
        if (host.startsWith("[")) {
            if (!host.endsWith("]")) return null;
            host = host.substring(1, host.length() - 1);
            if (AddressRange.literalBytes(host) == null) return null;
        } else if (host.indexOf(':') >= 0 || host.indexOf('@') >= 0 || host.indexOf('/') >= 0) {
            return null;
        }
        int port;
        try {
            port = Integer.parseInt(authority.substring(colon + 1));
        } catch (NumberFormatException e) {
            return null;
        }
        if (port < 1 || port > 65535 || host.isEmpty()) return null;
        return new TunnelTarget(host, port);
    }
}
