package dev.gatehouse.policy.normalize;

import dev.gatehouse.http.RequestTarget;

/**
 * Parses request targets (absolute-form URLs and CONNECT authorities) and list entries into
 * {@link Target}s. This is the one entry point for normalisation: requests and policy entries
 * both go through it.
 */
public final class TargetParser {
    private static final int MAX_TARGET_LENGTH = 64 * 1024;

    private TargetParser() {
    }

    /**
     * Parses an absolute URL ({@code http://user@Host.:80/a/../b?q#frag}). Userinfo is dropped: the
     * host of {@code http://good.com@evil.com/} is {@code evil.com} (RFC 3986 §3.2.1, last '@').
     *
     * @throws InvalidTargetException if the URL is malformed or its scheme unsupported
     */
    public static Target parseUrl(String url) {
        if (url.length() > MAX_TARGET_LENGTH) {
            throw new InvalidTargetException("URL longer than " + MAX_TARGET_LENGTH + " characters");
        }
        int colon = url.indexOf("://");
        if (colon <= 0) {
            throw new InvalidTargetException("not an absolute URL: '" + abbreviate(url) + "'");
        }
        Scheme scheme = Scheme.parse(url.substring(0, colon));
        if (scheme == Scheme.CONNECT) {
            throw new InvalidTargetException("CONNECT is not a URL scheme");
        }
        int authorityStart = colon + 3;
        int authorityEnd = authorityStart;
        // '\' ends the authority as in browsers (WHATWG), so "evil.com\@good.com" is evil.com.
        while (authorityEnd < url.length() && "/?#\\".indexOf(url.charAt(authorityEnd)) < 0) {
            authorityEnd++;
        }
        String authority = url.substring(authorityStart, authorityEnd);
        String rest = url.substring(authorityEnd);
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            authority = authority.substring(at + 1);
        }
        return fromAuthority(scheme, authority, PathNormalizer.normalize(rest), false);
    }

    /**
     * {@link #parseUrl(String)} of {@code url}, built from {@code split}, the same URL as the listener already
     * split it, instead of reading the text again. The split refused what a URL cannot be (user info, a
     * backslash or another stray character, a port of 0 or above 65535), its authority ends where
     * {@code parseUrl}'s does, and its path and query hold no {@code #}, so they normalise alike; only what
     * {@code parseUrl} refuses beyond that (an over-long URL, a port written in more than five digits) goes
     * through the text, to be refused with the same message.
     *
     * @param split {@code url} as the listener split it, or null to parse the text
     */
    public static Target parseUrl(RequestTarget split, String url) {
        if (split == null) {
            return parseUrl(url);
        }
        int portDigits = 0;
        if (split.port() != -1) {
            int portStart = split.scheme().length() + 3 + split.host().length() + 1;
            while (portStart + portDigits < url.length() && isDigit(url.charAt(portStart + portDigits))) {
                portDigits++;
            }
        }
        if (url.length() > MAX_TARGET_LENGTH || portDigits > 5) {
            return parseUrl(url);
        }
        String query = split.rawQuery();
        return of(Scheme.parse(split.scheme()), split.host(), split.port(), query == null ? split.rawPath() : split.rawPath() + "?" + query);
    }

    /**
     * Parses the authority-form target of a CONNECT request ({@code host:port}, port required by
     * RFC 9110 §9.3.6; IPv6 in brackets).
     */
    public static Target parseConnect(String authority) {
        if (authority.indexOf('@') >= 0 || authority.indexOf('/') >= 0) {
            throw new InvalidTargetException("CONNECT target must be host:port, got '" + abbreviate(authority) + "'");
        }
        return fromAuthority(Scheme.CONNECT, authority, null, true);
    }

    /**
     * Builds a target from parts already split by the HTTP layer.
     *
     * @param port the port, or -1 for the scheme's default
     * @param pathAndQuery origin-form path and query; ignored for CONNECT
     */
    public static Target of(Scheme scheme, String host, int port, String pathAndQuery) {
        HostName name = HostNormalizer.normalize(host);
        int effective = port < 0 ? scheme.defaultPort() : port;
        return new Target(scheme, name, effective,
                scheme == Scheme.CONNECT ? null : PathNormalizer.normalize(pathAndQuery == null ? "" : pathAndQuery));
    }

    private static Target fromAuthority(Scheme scheme, String authority, String path, boolean portRequired) {
        String host = authority;
        String portText = null;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw new InvalidTargetException("unclosed '[' in '" + abbreviate(authority) + "'");
            }
            host = authority.substring(0, close + 1);
            String after = authority.substring(close + 1);
            if (!after.isEmpty()) {
                if (after.charAt(0) != ':') {
                    throw new InvalidTargetException("junk after IPv6 literal in '" + abbreviate(authority) + "'");
                }
                portText = after.substring(1);
            }
        } else {
            int colon = authority.lastIndexOf(':');
            if (colon >= 0) {
                host = authority.substring(0, colon);
                portText = authority.substring(colon + 1);
            }
        }
        int port = scheme.defaultPort();
        if (portText != null && !portText.isEmpty()) {
            port = parsePort(portText);
        } else if (portRequired) {
            throw new InvalidTargetException("CONNECT target needs a port: '" + abbreviate(authority) + "'");
        }
        return new Target(scheme, HostNormalizer.normalize(host), port, path);
    }

    private static int parsePort(String text) {
        if (text.length() > 5) {
            throw new InvalidTargetException("bad port '" + abbreviate(text) + "'");
        }
        int port = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!isDigit(c)) {
                throw new InvalidTargetException("bad port '" + text + "'");
            }
            port = port * 10 + (c - '0');
        }
        if (port < 1 || port > 65535) {
            throw new InvalidTargetException("port out of range: " + text);
        }
        return port;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
