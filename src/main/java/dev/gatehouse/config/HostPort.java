package dev.gatehouse.config;

import java.net.InetSocketAddress;

/** A {@code host:port} pair as written in config ({@code 127.0.0.1:3128}, {@code [::1]:3128}, {@code :3128}). */
public record HostPort(String host, int port) {

    /** @throws IllegalArgumentException naming what is wrong */
    public static HostPort parse(String text) {
        String s = text.trim();
        int colon = s.lastIndexOf(':');
        if (colon < 0) throw new IllegalArgumentException("'" + text + "' must be HOST:PORT");
        String host = s.substring(0, colon);
        if (host.startsWith("[")) {
            if (!host.endsWith("]")) throw new IllegalArgumentException("'" + text + "' has an unclosed '['");
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            throw new IllegalArgumentException("'" + text + "': write IPv6 addresses in brackets, e.g. [::1]:3128");
        }
        if (host.isEmpty()) host = "0.0.0.0";
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' has a port that is not a number");
        }
        if (port < 0 || port > 65535) throw new IllegalArgumentException("'" + text + "' has port " + port + ", must be 0..65535");
        return new HostPort(host, port);
    }

    public InetSocketAddress toSocketAddress() {
        return new InetSocketAddress(host, port);
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
