package dev.gatehouse.auth;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPInterface;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import dev.gatehouse.config.GatehouseConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds a user's groups: the groups matching {@code groupFilter} for the user, then, up to {@code nestedDepth}
 * levels, the groups whose filter matches a group already found (groups in groups). Each level is one search; a
 * group is followed once, so cycles end.
 */
final class LdapGroups {
    /** A bound on what one level may return, so a mistaken filter cannot pull in the whole directory. */
    private static final int MAX_GROUPS_PER_LEVEL = 1000;

    private final GatehouseConfig.Ldap ldap;

    LdapGroups(GatehouseConfig.Ldap ldap) {
        this.ldap = ldap;
    }

    boolean enabled() {
        return !ldap.groupBase().isEmpty();
    }

    /** The names of the user's groups, nested ones included. */
    Set<String> of(LDAPInterface directory, String user, String userDn) throws LDAPException {
        Set<String> names = new HashSet<>();
        Set<DN> followed = new HashSet<>();
        List<Filter> level = List.of(LdapTemplate.filter(ldap.groupFilter(), user, userDn));
        // Only a filter on {dn} can find groups by their member groups; a memberUid={user} filter has no nesting.
        int depth = ldap.groupFilter().contains("{dn}") ? ldap.nestedDepth() : 0;
        for (int i = 0; i <= depth && !level.isEmpty(); i++) {
            List<Filter> next = new ArrayList<>();
            for (SearchResultEntry group : search(directory, level)) {
                if (!followed.add(group.getParsedDN())) continue;
                String name = group.getAttributeValue(ldap.groupNameAttribute());
                if (name != null) names.add(name);
                next.add(LdapTemplate.filter(ldap.groupFilter(), user, group.getDN()));
            }
            level = next;
        }
        return names;
    }

    private List<SearchResultEntry> search(LDAPInterface directory, List<Filter> filters) throws LDAPException {
        Filter filter = filters.size() == 1 ? filters.getFirst() : Filter.createORFilter(filters);
        SearchRequest request = new SearchRequest(ldap.groupBase(), SearchScope.SUB, filter, ldap.groupNameAttribute());
        request.setSizeLimit(MAX_GROUPS_PER_LEVEL);
        request.setTimeLimitSeconds((int) Math.max(1, ldap.responseTimeout().toSeconds()));
        return directory.search(request).getSearchEntries();
    }
}
