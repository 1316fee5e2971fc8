package dev.gatehouse.auth;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPSearchException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import dev.gatehouse.config.GatehouseConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Verifies by binding to an LDAP directory as the user (RFC 4513 §5.1.3 simple bind): either to the DN the
 * {@code userDnTemplate} names, or to the one entry a search for {@code userFilter} finds with the service account.
 * Groups come from {@link LdapGroups}. A directory that cannot answer gives {@link Verdict.Unavailable}, never a
 * rejection, so an outage is not reported to users as a wrong password.
 */
final class LdapAuthenticator implements Authenticator {
    private final GatehouseConfig.Ldap ldap;
    private final LdapGroups groups;
    private final LdapUserName userName;
    private volatile LDAPConnectionPool pool;

    /**
     * Checks the filters, reads the CA and bind password files and opens the pool (a directory that is down is
     * not an error here).
     *
     * @throws AuthLoadException naming the setting or file that cannot be used
     */
    LdapAuthenticator(GatehouseConfig.Ldap ldap) throws AuthLoadException {
        this.ldap = ldap;
        this.groups = new LdapGroups(ldap);
        checkFilter("userFilter", ldap.userDnTemplate().isEmpty() ? ldap.userFilter() : "");
        checkFilter("groupFilter", groups.enabled() ? ldap.groupFilter() : "");
        try {
            this.userName = new LdapUserName(ldap);
        } catch (LDAPException e) {
            throw new AuthLoadException("auth.ldap.userDnTemplate '" + ldap.userDnTemplate() + "' is not a DN (RFC 4514): "
                    + e.getMessage(), e);
        }
        this.pool = LdapConnectionPools.open(ldap);
    }

    private static void checkFilter(String name, String template) throws AuthLoadException {
        if (template.isEmpty()) return;
        try {
            LdapTemplate.filter(template, "user", "cn=x");
        } catch (LDAPException e) {
            throw new AuthLoadException("auth.ldap." + name + " '" + template + "' is not an LDAP filter (RFC 4515): "
                    + e.getMessage(), e);
        }
    }

    @Override
    public Verdict verify(String user, String password) {
        // RFC 4513 §5.1.2: a simple bind with a DN and an empty password is an "unauthenticated bind" that many
        // servers accept as anonymous; it must never count as a login.
        if (password.isEmpty()) return new Verdict.Rejected("empty password");
        LDAPConnectionPool pool = this.pool;
        String dn;
        SearchResultEntry entry = null;
        if (ldap.userDnTemplate().isEmpty()) {
            List<SearchResultEntry> found;
            try {
                found = findUser(pool, user);
            } catch (LDAPException e) {
                return new Verdict.Unavailable("user search failed: " + describe(e));
            }
            if (found.isEmpty()) return new Verdict.Rejected("unknown user");
            if (found.size() > 1) return new Verdict.Rejected("more than one entry matches userFilter");
            entry = found.getFirst();
            dn = entry.getDN();
        } else {
            dn = LdapTemplate.dn(ldap.userDnTemplate(), user);
        }
        Verdict refused = bindAsUser(pool, dn, password);
        if (refused != null) return refused;
        try {
            if (entry == null && userName.attribute() != null) entry = pool.getEntry(dn, userName.attribute());
            String name = userName.of(entry, user);
            Set<String> names = groups.enabled() ? groups.of(pool, name, dn) : Set.of();
            return new Verdict.Accepted(new Identity(name, names));
        } catch (LDAPException e) {
            // Accepting without the name or groups could let user or group rules decide wrongly: fail closed.
            return new Verdict.Unavailable("user or group lookup failed: " + describe(e));
        }
    }

    /**
     * The groups of a user Kerberos has verified: the entry found as for a login (template or search), then the group
     * search. A user the directory does not know, or knows twice, is still that user, without groups.
     */
    @Override
    public Verdict lookup(String user) {
        if (!groups.enabled()) return new Verdict.Accepted(new Identity(user, Set.of()));
        LDAPConnectionPool pool = this.pool;
        try {
            String dn;
            if (ldap.userDnTemplate().isEmpty()) {
                List<SearchResultEntry> found = findUser(pool, user);
                if (found.size() != 1) return new Verdict.Accepted(new Identity(user, Set.of()));
                dn = found.getFirst().getDN();
            } else {
                dn = LdapTemplate.dn(ldap.userDnTemplate(), user);
            }
            return new Verdict.Accepted(new Identity(user, groups.of(pool, user, dn)));
        } catch (LDAPException e) {
            // Accepting without the groups could let group rules decide wrongly: fail closed, as for a login.
            return new Verdict.Unavailable("user or group lookup failed: " + describe(e));
        }
    }

    /**
     * Binds a pooled connection as the user, then hands it back to be re-bound as the service account. Failing to
     * get a connection (directory down, service account refused) is an outage, not the user's wrong password.
     *
     * @return null when the bind succeeded, else why not
     */
    private static Verdict bindAsUser(LDAPConnectionPool pool, String dn, String password) {
        for (int attempt = 1; ; attempt++) {
            LDAPConnection connection;
            try {
                connection = pool.getConnection();
            } catch (LDAPException e) {
                return new Verdict.Unavailable("no connection to the directory: " + describe(e));
            }
            try {
                connection.bind(dn, password);
                pool.releaseAndReAuthenticateConnection(connection);
                return null;
            } catch (LDAPException e) {
                ResultCode code = e.getResultCode();
                if (ResultCode.isConnectionUsable(code)) {
                    pool.releaseAndReAuthenticateConnection(connection);
                    return outage(code) ? new Verdict.Unavailable("bind failed: " + describe(e))
                            : new Verdict.Rejected("bind refused: " + code);
                }
                pool.releaseDefunctConnection(connection);
                // A connection the directory dropped (e.g. it restarted): once more on a fresh one.
                if (attempt == 2) return new Verdict.Unavailable("bind failed: " + describe(e));
            }
        }
    }

    /** The entries matching the user filter; two when the filter is ambiguous (the search stops there). */
    private List<SearchResultEntry> findUser(LDAPConnectionPool pool, String user) throws LDAPException {
        SearchRequest request = new SearchRequest(ldap.userBase(), SearchScope.SUB,
                LdapTemplate.filter(ldap.userFilter(), user, ""),
                userName.attribute() == null ? SearchRequest.NO_ATTRIBUTES : userName.attribute());
        request.setSizeLimit(2);
        request.setTimeLimitSeconds((int) Math.max(1, ldap.responseTimeout().toSeconds()));
        try {
            return pool.search(request).getSearchEntries();
        } catch (LDAPSearchException e) {
            if (e.getResultCode() != ResultCode.SIZE_LIMIT_EXCEEDED) throw e;
            return e.getSearchEntries();
        }
    }

    /** Whether a failure means the directory could not answer (down, timeout, TLS, busy) rather than "no". */
    private static boolean outage(ResultCode code) {
        return code.isClientSideResultCode() || code == ResultCode.BUSY || code == ResultCode.UNAVAILABLE
                || code == ResultCode.OPERATIONS_ERROR || code == ResultCode.OTHER
                || code == ResultCode.TIME_LIMIT_EXCEEDED || code == ResultCode.ADMIN_LIMIT_EXCEEDED;
    }

    private static String describe(LDAPException e) {
        return e.getResultCode() + ": " + e.getMessage();
    }

    /**
     * Re-reads the bind password and CA files (rotated secrets) into a new pool; on error the old pool stays.
     * A verification running on the old pool at that moment may end {@link Verdict.Unavailable}.
     */
    @Override
    public void reload() throws AuthLoadException {
        LDAPConnectionPool previous = pool;
        pool = LdapConnectionPools.open(ldap);
        previous.close();
    }

    /** A new pool only when the bind password or CA file changed: the pool is all that reads them. */
    @Override
    public boolean reloadChanged(Set<Path> changed) throws AuthLoadException {
        boolean secrets = isAmong(changed, ldap.bindPasswordFile()) || isAmong(changed, ldap.caFile());
        if (secrets) reload();
        return secrets;
    }

    private static boolean isAmong(Set<Path> changed, String file) {
        return !file.isEmpty() && AuthFileLines.changed(changed, Path.of(file));
    }

    @Override
    public void close() {
        pool.close();
    }

    @Override
    public String toString() {
        return "LDAP " + ldap.url();
    }
}
