package dev.gatehouse.auth;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.RDN;
import dev.gatehouse.config.GatehouseConfig;

/**
 * The user name as the directory spells it. LDAP matches names case- and space-insensitively (RFC 4517 caseIgnoreMatch
 * on uid and cn), so "ALICE" binds as alice; policy rules and the audit log compare names exactly, so the identity
 * carries the entry's own value of the attribute {@code {user}} is matched against.
 */
final class LdapUserName {
    private static final String MARKER = "gatehouse-user-placeholder";

    /** The attribute {@code {user}} stands for; null when it cannot be told (e.g. a substring filter). */
    private final String attribute;

    LdapUserName(GatehouseConfig.Ldap ldap) throws LDAPException {
        this.attribute = ldap.userDnTemplate().isEmpty()
                ? inFilter(LdapTemplate.filter(ldap.userFilter(), MARKER, ""))
                : inDn(new DN(LdapTemplate.dn(ldap.userDnTemplate(), MARKER)));
    }

    /** The attribute to read with the user's entry, or null for none. */
    String attribute() {
        return attribute;
    }

    /** The entry's value when it has one, else the name as typed. */
    String of(Entry entry, String typed) {
        if (attribute == null || entry == null) return typed;
        String[] values = entry.getAttributeValues(attribute);
        if (values == null || values.length == 0) return typed;
        for (String value : values) {
            if (value.equalsIgnoreCase(typed)) return value; // a multi-valued uid: the value that matched
        }
        return values[0];
    }

    /** AND and OR components are searched in order; a NOT has none here, since a negated match names nobody. */
    private static String inFilter(Filter filter) {
        if (MARKER.equals(filter.getAssertionValue())) return filter.getAttributeName();
        for (Filter component : filter.getComponents()) {
            String found = inFilter(component);
            if (found != null) return found;
        }
        return null;
    }

    private static String inDn(DN dn) {
        for (RDN rdn : dn.getRDNs()) {
            String[] values = rdn.getAttributeValues();
            for (int i = 0; i < values.length; i++) {
                if (values[i].equals(MARKER)) return rdn.getAttributeNames()[i];
            }
        }
        return null;
    }
}
