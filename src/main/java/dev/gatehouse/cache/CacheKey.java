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

    /**
     * The key of an absolute {@code http}, {@code https} or {@code ftp} URI. A URI already in normal form
     * (the usual proxy request) is its own key: no text is built, which showed in the hit-path profile.
     */
    public static CacheKey of(URI uri) {
        String scheme = uri.getScheme();
        String host = uri.getHost();
        if (scheme == null || host == null) {
            throw new IllegalArgumentException("a cache key needs an absolute URI with a host, got " + uri);
        }
        String lowerScheme = scheme.toLowerCase(Locale.ROOT);
        String lowerHost = host.toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        if (port == defaultPort(lowerScheme)) {
            port = -1;
        }
        String path = uri.getRawPath();
        String query = uri.getRawQuery();
        String text = uri.toString();
        if (isNormalForm(text, uri, lowerScheme.equals(scheme) && lowerHost.equals(host), port, path, query)) {
            return new CacheKey(text);
        }
        StringBuilder key = new StringBuilder(64).append(lowerScheme).append("://").append(lowerHost);
        if (port != -1) {
            key.append(':').append(port);
        }
        key.append(path == null || path.isEmpty() ? "/" : path);
        if (query != null) {
            key.append('?').append(query);
        }
        return new CacheKey(key.toString());
    }

    /**
     * Whether {@code text} (the URI as given) is exactly what {@link #of} would build from its parts:
     * {@code scheme://host[:port]path[?query]} with scheme and host lower-case ({@code lowerCase}), no
     * user info, no default or zero-padded port, a non-empty path and no fragment.
     */
    private static boolean isNormalForm(String text, URI uri, boolean lowerCase, int port, String path, String query) {
        if (!lowerCase || uri.getRawUserInfo() != null || uri.getRawFragment() != null || path == null || path.isEmpty()) {
            return false;
        }
        String scheme = uri.getScheme();
        if (!text.startsWith("://", scheme.length()) || !text.startsWith(uri.getHost(), scheme.length() + 3)) {
            return false;
        }
        int at = scheme.length() + 3 + uri.getHost().length();
        if (uri.getPort() != -1) {
            if (port == -1 || at >= text.length() || text.charAt(at) != ':') {
                return false; // a default port written out, or an unexpected shape
            }
            int end = at + 1;
            long written = 0;
            while (end < text.length() && text.charAt(end) >= '0' && text.charAt(end) <= '9' && written <= port) {
                written = written * 10 + (text.charAt(end++) - '0');
            }
            if (written != port || text.charAt(at + 1) == '0') {
                return false; // zero-padded, or not the port parsed
            }
            at = end;
        }
        if (!text.startsWith(path, at)) {
            return false;
        }
        at += path.length();
        if (query != null) {
            if (!text.startsWith("?", at) || !text.startsWith(query, at + 1)) {
                return false;
            }
            at += 1 + query.length();
        }
        return at == text.length();
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
