package dev.gatehouse.http;

import java.net.URI;

/**
 * A proxy request's absolute-form target (RFC 9112 §3.2.2), split once by a hand parser
 * ({@link AbsoluteFormParser}) that accepts exactly what {@code java.net.URI} accepts as an absolute URI with
 * a server authority, minus user info and ports 0 and above 65535. Building a {@code URI} for every request
 * showed in the cache-hit profile; {@link #toUri()} makes one only for the few who need it.
 *
 * <p>An empty path becomes {@code /} (and then, as when the URL is rebuilt with {@code java.net.URI}, any
 * fragment is dropped), so {@link #rawPath()} is never empty.
 */
public final class RequestTarget {
    private final String text;
    private final String scheme;
    private final String host;
    private final int authorityEnd;
    private final int port;
    private final String rawPath;
    private final String rawQuery;
    private final String rawFragment;
    /** Made on first use; volatile because a {@code URI}'s fields are not final. */
    private volatile URI uri;

    RequestTarget(String text, String scheme, String host, int authorityEnd, int port, String rawPath, String rawQuery,
                  String rawFragment) {
        this.text = text;
        this.scheme = scheme;
        this.host = host;
        this.authorityEnd = authorityEnd;
        this.port = port;
        this.rawPath = rawPath;
        this.rawQuery = rawQuery;
        this.rawFragment = rawFragment;
    }

    /**
     * The target of a request line, given as Undertow splits it: {@code uri} up to the {@code ?} and the
     * query after it ({@code null} or empty for none, as a bare {@code ?} is no query). Null when it is not a
     * usable absolute URL: not {@code scheme://host[:port]...}, user info present (RFC 9110 §4.2.4), port 0
     * or above 65535, or a character {@code java.net.URI} refuses.
     */
    public static RequestTarget parse(String uri, String query) {
        return AbsoluteFormParser.parse(query == null || query.isEmpty() ? uri : uri + "?" + query);
    }

    /**
     * The target written as one string.
     *
     * @throws IllegalArgumentException if it is not a usable absolute URL (see {@link #parse})
     */
    public static RequestTarget of(String text) {
        RequestTarget target = AbsoluteFormParser.parse(text);
        if (target == null) {
            throw new IllegalArgumentException("not a usable absolute URL: " + text);
        }
        return target;
    }

    /** The scheme as written, e.g. {@code http}. */
    public String scheme() {
        return scheme;
    }

    /** The host as written: a name, an IPv4 address, or an IPv6 literal in brackets. */
    public String host() {
        return host;
    }

    /** The port as written, or -1 when the URL names none (or leaves it empty after the colon). */
    public int port() {
        return port;
    }

    /** The authority as written, {@code host[:port]}: what {@code Host} carries upstream (RFC 9110 §7.2). */
    public String rawAuthority() {
        return text.substring(scheme.length() + 3, authorityEnd);
    }

    /** The path, still percent-encoded; never empty. */
    public String rawPath() {
        return rawPath;
    }

    /** The query, still percent-encoded, without its {@code ?}; null when there is none. */
    public String rawQuery() {
        return rawQuery;
    }

    /** The fragment, without its {@code #}; null when there is none (always null for an empty path). */
    public String rawFragment() {
        return rawFragment;
    }

    /** The same target as a {@code java.net.URI}, made on first use: to resolve a reference against, never on a hit. */
    public URI toUri() {
        URI u = uri;
        if (u == null) {
            u = URI.create(text);
            uri = u;
        }
        return u;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RequestTarget other && text.equals(other.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    /** The target as text: as given, or rebuilt with a {@code /} path when it had none. */
    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }
}
