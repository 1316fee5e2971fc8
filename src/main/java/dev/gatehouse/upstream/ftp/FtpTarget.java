package dev.gatehouse.upstream.ftp;

import dev.gatehouse.http.BasicAuthorization;
import dev.gatehouse.http.Failure;
import dev.gatehouse.http.FailureException;
import dev.gatehouse.http.RequestTarget;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * What an {@code ftp://[user[:password]@]host[:port]/path} request asks for, decoded once.
 *
 * @param path the decoded URL path, always starting with {@code /}; a trailing {@code /} asks for a
 *             directory. It is relative to the login directory ({@link #serverPath()}), not to the root.
 */
public record FtpTarget(String host, int port, String user, String password, String path) {
    /** Anonymous login, as browsers and Squid do it (RFC 1635). */
    public static final String ANONYMOUS = "anonymous";
    private static final String ANONYMOUS_PASSWORD = "gatehouse@";

    /**
     * The target of {@code target}, with the credentials from the user info the listener took out of the
     * request line (so that the target, which keys the cache and reaches logs, never holds a password), or
     * else from a {@code Basic} {@code authorization} header (what a browser sends after a 401), else anonymous.
     *
     * @param userInfo the raw {@code user[:password]} of the URL, or null
     * @throws FailureException BAD_REQUEST when a decoded part holds a control character (FTP commands
     *                          are lines, so a decoded CR LF would inject a command), or when the header is
     *                          Basic but not usable credentials
     */
    public static FtpTarget of(RequestTarget target, String userInfo, String authorization) throws FailureException {
        String user = ANONYMOUS;
        String password = ANONYMOUS_PASSWORD;
        BasicAuthorization basic = BasicAuthorization.decode(authorization); // null for another scheme: as if absent
        if (basic == null && BasicAuthorization.isBasic(authorization)) {
            // A browser sends these after the gateway's 401; a broken one is the client's error, not a wish to be
            // anonymous.
            throw new FailureException(Failure.BAD_REQUEST,
                    "the Authorization field is not usable Basic credentials (RFC 7617 §2: base64 of UTF-8 user:password, "
                            + "a user name, no control characters)", null);
        }
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            password = colon < 0 ? (basic == null ? ANONYMOUS_PASSWORD : basic.password()) : decode(userInfo.substring(colon + 1));
        } else if (basic != null) {
            user = basic.user();
            password = basic.password();
        }
        String path = decode(target.rawPath());
        for (String part : new String[] {user, password, path}) {
            if (hasControlCharacter(part)) {
                throw new FailureException(Failure.BAD_REQUEST, "control character in the ftp URL", null);
            }
        }
        return new FtpTarget(target.host(), target.port() < 0 ? 21 : target.port(), user, password, path);
    }

    /**
     * The path as the server should see it (RFC 1738 §3.2.2): the URL's segments are relative to the login
     * directory, as if each were a CWD from there, so {@code ftp://host/a/b} is {@code a/b} and
     * {@code ftp://host/} the login directory itself (empty). A segment may hold an encoded slash, and
     * {@code %2F} at the start makes the path absolute: {@code ftp://host/%2Fetc/motd} is {@code /etc/motd}
     * (as curl and Squid read it). Decoding the whole path at once gives the same string as decoding the
     * segments and joining them with {@code /}, which is what a series of CWDs amounts to.
     */
    public String serverPath() {
        return path.substring(1);
    }

    /** Whether this is an anonymous login (RFC 1635), whose files are the same for everyone. */
    public boolean isAnonymous() {
        return user.equalsIgnoreCase(ANONYMOUS) || user.equalsIgnoreCase("ftp");
    }

    /** True when the path names a directory explicitly (trailing slash). */
    public boolean isDirectoryPath() {
        return path.endsWith("/");
    }

    /** The last path segment, for the relative redirect {@code name/} and the content type. */
    public String lastSegment() {
        String p = isDirectoryPath() ? path.substring(0, path.length() - 1) : path;
        return p.substring(p.lastIndexOf('/') + 1);
    }

    @Override
    public String toString() { // never the password: records end up in log messages
        return "ftp://" + user + "@" + host + ":" + port + path;
    }

    private static String decode(String raw) throws FailureException {
        try {
            // URLDecoder turns '+' into a space (form encoding); in a URL path '+' is itself.
            return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new FailureException(Failure.BAD_REQUEST, "bad percent-encoding in the ftp URL", e);
        }
    }

    private static boolean hasControlCharacter(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) return true;
        }
        return false;
    }
}
