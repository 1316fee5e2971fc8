package dev.gatehouse.cache;

import dev.gatehouse.http.RequestTarget;
import java.net.URI;
import java.util.Locale;

/**
 * The primary cache key of a stored response: its target URI, normalised (RFC 9111 §2, RFC 9110
 * §4.2.3).
 *
 * <p>The request method is not part of the key because only GET responses are stored and a HEAD
 * is answered from the stored GET (RFC 9111 §4). Scheme and host are lower-cased, a default port
 * is dropped, an empty path becomes "/", and the fragment is dropped; the path and query are kept
 * byte for byte, since percent-decoding them could merge distinct resources.
 *
 * <p>A response with {@code Vary} is stored under a key of its own: the URI's key, a NUL, and its secondary
 * key ({@code Variants.keyOf}); a request target never makes such a key.
 *
 * @param value the normalised absolute URI, e.g. {@code http://example.com/a?b}
 */
public record CacheKey(String value) {
    public CacheKey {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("a cache key needs a non-empty URI");
        }
    }

    /**
     * The key of a request's target. A target already in normal form (the usual proxy request) is its own
     * key: no text is built, which showed in the hit-path profile.
     */
    public static CacheKey of(RequestTarget target) {
        String scheme = target.scheme().toLowerCase(Locale.ROOT);
        String host = target.host().toLowerCase(Locale.ROOT);
        int port = target.port() == defaultPort(scheme) ? -1 : target.port();
        if (isNormalForm(target, scheme, host, port)) {
            return new CacheKey(target.text());
        }
        return build(scheme, host, port, target.rawPath(), target.rawQuery());
    }

    /**
     * Whether the target's text is exactly the key {@link #of(RequestTarget)} builds from its parts. With scheme
     * and host lower-case, the two differ only in what the text may add: a fragment, and an authority longer
     * than {@code host[:port]} with the port in its shortest digits ({@code :08080}, a default {@code :80}, a
     * bare {@code :}). So the text is the key when it has the key's length.
     */
    private static boolean isNormalForm(RequestTarget target, String scheme, String host, int port) {
        if (!scheme.equals(target.scheme()) || !host.equals(target.host())) {
            return false;
        }
        String query = target.rawQuery();
        int length = scheme.length() + 3 + host.length() + (port == -1 ? 0 : 1 + digits(port))
                + target.rawPath().length() + (query == null ? 0 : 1 + query.length());
        return target.text().length() == length;
    }

    /**
     * The key of an absolute {@code http}, {@code https} or {@code ftp} URI: a resolved {@code Location}, or an
     * administrator's purge.
     */
    public static CacheKey of(URI uri) {
        String scheme = uri.getScheme();
        String host = uri.getHost();
        if (scheme == null || host == null) {
            throw new IllegalArgumentException("a cache key needs an absolute URI with a host, got " + uri);
        }
        String lowerScheme = scheme.toLowerCase(Locale.ROOT);
        int port = uri.getPort() == defaultPort(lowerScheme) ? -1 : uri.getPort();
        String path = uri.getRawPath();
        return build(lowerScheme, host.toLowerCase(Locale.ROOT), port, path == null || path.isEmpty() ? "/" : path, uri.getRawQuery());
    }

    private static int digits(int port) {
        return port < 10 ? 1 : port < 100 ? 2 : port < 1000 ? 3 : port < 10000 ? 4 : 5;
    }

    private static CacheKey build(String scheme, String host, int port, String path, String query) {
        StringBuilder key = new StringBuilder(64).append(scheme).append("://").append(host);
        if (port != -1) {
            key.append(':').append(port);
        }
        key.append(path);
        if (query != null) {
            key.append('?').append(query);
        }
        return new CacheKey(key.toString());
    }

    /** The key of an absolute URI given as text. */
    public static CacheKey of(String uri) {
        return of(URI.create(uri));
    }

    /** The origin part (scheme, host, port) of this key, used to compare origins (RFC 6454). */
    public String origin() {
        int pathStart = value.indexOf('/', value.indexOf("://") + 3);
        return pathStart < 0 ? value : value.substring(0, pathStart);
    }

    private static int defaultPort(String scheme) {
        return switch (scheme) {
            case "http" -> 80;
            case "https" -> 443;
            case "ftp" -> 21;
            default -> -1;
        };
    }

    @Override
    public String toString() {
        return value;
    }
}
