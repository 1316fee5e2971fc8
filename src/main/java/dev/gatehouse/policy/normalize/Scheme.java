package dev.gatehouse.policy.normalize;

import java.util.Locale;

/**
 * The kind of traffic a request is: a proxied URL ({@code http}, {@code ftp}, {@code https} only
 * when TLS is intercepted) or a {@code CONNECT} tunnel, for which only host and port are known.
 */
public enum Scheme {
    HTTP("http", 80),
    HTTPS("https", 443),
    FTP("ftp", 21),
    /** A CONNECT tunnel (RFC 9110 §9.3.6): authority only, no path, no URL. */
    CONNECT("CONNECT", 443);

    private final String label;
    private final int defaultPort;

    Scheme(String label, int defaultPort) {
        this.label = label;
        this.defaultPort = defaultPort;
    }

    /** @return the name used in policy files and explain output ({@code http}, {@code CONNECT}) */
    public String label() {
        return label;
    }

    /** @return the port implied when the authority has none (RFC 3986 §6.2.3) */
    public int defaultPort() {
        return defaultPort;
    }

    /**
     * Parses a scheme name as written in a URL or a policy file, case-insensitively.
     *
     * @throws InvalidTargetException for a scheme the proxy does not handle
     */
    public static Scheme parse(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "http" -> HTTP;
            case "https" -> HTTPS;
            case "ftp" -> FTP;
            case "connect" -> CONNECT;
            default -> throw new InvalidTargetException("unsupported scheme '" + name + "'");
        };
    }

    @Override
    public String toString() {
        return label;
    }
}
