package dev.gatehouse.cache;

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
 * @param value the normalised absolute URI, e.g. {@code http://example.com/a?b}
 */
public record CacheKey(String value) {
    public CacheKey {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("a cache key needs a non-empty URI");
        }
    }

    /** The key of an absolute {@code http}, {@code https} or {@code ftp} URI. */
    public static CacheKey of(URI uri) {
        String scheme = uri.getScheme();
        String host = uri.getHost();
        if (scheme == null || host == null) {
            throw new IllegalArgumentException("a cache key needs an absolute URI with a host, got " + uri);
        }
        scheme = scheme.toLowerCase(Locale.ROOT);
        StringBuilder key = new StringBuilder(64).append(scheme).append("://").append(host.toLowerCase(Locale.ROOT));
        int port = uri.getPort();
        if (port != -1 && port != defaultPort(scheme)) {
            key.append(':').append(port);
        }
        String path = uri.getRawPath();
        key.append(path == null || path.isEmpty() ? "/" : path);
        if (uri.getRawQuery() != null) {
            key.append('?').append(uri.getRawQuery());
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
