package dev.gatehouse.auth;

import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills {@code {user}} and {@code {dn}} into configured DN and filter templates, escaping each value for where it
 * lands (RFC 4514 §2.4 in a DN, RFC 4515 §3 in a filter), in one pass so a value containing a placeholder is never
 * expanded again.
 */
final class LdapTemplate {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(user|dn)}");

    private LdapTemplate() {}

    /** A DN from a template such as {@code uid={user},ou=people,dc=example,dc=com}. */
    static String dn(String template, String user) {
        return fill(template, Map.of("user", escapeDnValue(user)));
    }

    /** A filter from a template such as {@code (&(objectClass=person)(uid={user}))} or {@code (member={dn})}. */
    static Filter filter(String template, String user, String dn) throws LDAPException {
        return Filter.create(fill(template, Map.of("user", Filter.encodeValue(user), "dn", Filter.encodeValue(dn))));
    }

    private static String fill(String template, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(template);
        return m.replaceAll(r -> Matcher.quoteReplacement(values.getOrDefault(r.group(1), r.group())));
    }

    /** RFC 4514 §2.4: escape the specials, a leading space or '#', a trailing space, and control characters as hex. */
    static String escapeDnValue(String value) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\%02x", (int) c));
            } else if ("\"+,;<>\\=".indexOf(c) >= 0
                    || (i == 0 && (c == ' ' || c == '#'))
                    || (i == value.length() - 1 && c == ' ')) {
                out.append('\\').append(c);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
