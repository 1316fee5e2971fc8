package dev.gatehouse.policy.normalize;

/**
 * A normalised request target: what a request asks for, in the canonical form all matchers use.
 *
 * @param scheme the traffic kind
 * @param host the canonical host
 * @param port the effective port (the scheme's default when the request named none)
 * @param pathAndQuery normalised origin-form path and query; {@code null} for CONNECT
 */
public record Target(Scheme scheme, HostName host, int port, String pathAndQuery) {

    public Target {
        if (port < 1 || port > 65535) {
            throw new InvalidTargetException("port out of range: " + port);
        }
        if ((scheme == Scheme.CONNECT) != (pathAndQuery == null)) {
            throw new IllegalArgumentException("a CONNECT target has no path; any other target has one");
        }
    }

    /** @return true for a CONNECT tunnel, where only host and port are known */
    public boolean isTunnel() {
        return scheme == Scheme.CONNECT;
    }

    /**
     * @return the CONNECT tunnel a browser opens for this target when TLS is not intercepted
     *     ({@code https://example.com/x} becomes {@code CONNECT example.com:443}); {@code explain}
     *     uses it to show what the proxy actually sees of an HTTPS URL
     */
    public Target asTunnel() {
        return isTunnel() ? this : new Target(Scheme.CONNECT, host, port, null);
    }

    /** @return host, plus {@code :port} when it is not the scheme's default */
    public String authority() {
        return port == scheme.defaultPort() ? host.authorityForm() : host.authorityForm() + ":" + port;
    }

    /**
     * @return the normalised URL ({@code http://host/path?q}) matched by URL regexes, or
     *     {@code host:port} for a tunnel
     */
    public String url() {
        if (isTunnel()) {
            return host.authorityForm() + ":" + port;
        }
        return scheme.label() + "://" + authority() + pathAndQuery;
    }

    @Override
    public String toString() {
        return isTunnel() ? "CONNECT " + url() : url();
    }
}
