package dev.gatehouse.policy.normalize;

import java.util.ArrayList;
import java.util.List;

/**
 * Says in words what normalisation changed in a URL or CONNECT authority, for {@code explain}:
 * "userinfo removed", "fragment dropped", "host 'WWW.Example.com.' is 'www.example.com'"...
 * An administrator who sees a rule not match usually needs exactly this.
 */
public final class NormalizationNotes {
    private NormalizationNotes() {
    }

    /**
     * @param raw the target as the client sent it (absolute URL, or {@code host:port} for CONNECT)
     * @param target its normalised form
     * @return one note per change, empty if the target was already canonical
     */
    public static List<String> of(String raw, Target target) {
        List<String> notes = new ArrayList<>();
        String rest = raw;
        int scheme = raw.indexOf("://");
        if (scheme > 0) {
            rest = raw.substring(scheme + 3);
        }
        int end = 0;
        while (end < rest.length() && "/?#\\".indexOf(rest.charAt(end)) < 0) {
            end++;
        }
        String authority = rest.substring(0, end);
        String pathPart = rest.substring(end);
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            notes.add("userinfo '" + authority.substring(0, at) + "@' removed: the host is what follows the last '@'");
            authority = authority.substring(at + 1);
        }
        String host = authority;
        String port = null;
        int colon = authority.startsWith("[") ? authority.indexOf("]:") + 1 : authority.lastIndexOf(':');
        if (colon > 0) {
            host = authority.substring(0, colon);
            port = authority.substring(colon + 1);
        }
        if (!host.equals(target.host().authorityForm())) {
            notes.add("host '" + host + "' is '" + target.host().authorityForm() + "' (" + hostReason(host, target.host())
                    + ")");
        }
        if (port != null && !target.isTunnel() && target.port() == target.scheme().defaultPort()) {
            notes.add("default port :" + port + " dropped");
        }
        int hash = pathPart.indexOf('#');
        if (hash >= 0) {
            notes.add("fragment '" + pathPart.substring(hash) + "' dropped: browsers never send it");
            pathPart = pathPart.substring(0, hash);
        }
        boolean impliedSlash = pathPart.isEmpty() && target.pathAndQuery() != null && target.pathAndQuery().equals("/");
        if (!target.isTunnel() && !impliedSlash && !pathPart.equals(target.pathAndQuery())) {
            notes.add("path '" + pathPart + "' is '" + target.pathAndQuery()
                    + "' (RFC 3986: escapes and dot segments normalised)");
        }
        return notes;
    }

    private static String hostReason(String raw, HostName host) {
        if (host.isIpLiteral()) {
            return "IP address in canonical form";
        }
        for (int i = 0; i < raw.length(); i++) {
            if (raw.charAt(i) >= 0x80 || raw.charAt(i) == '%') {
                return "internationalised name as punycode A-labels";
            }
        }
        return "lower case, without trailing dot";
    }
}
