package dev.gatehouse.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.config.ConfigLoader;
import dev.gatehouse.config.GatehouseConfig;
import java.util.HashMap;
import java.util.Map;

/** {@code auth} settings for the LDAP back-end against a {@link Slapd}, loaded through the real config loader. */
final class LdapSettings {
    private LdapSettings() {}

    /** Search-then-bind (anonymous search) with groups by {@code (member={dn})} to depth 3, then {@code changes}. */
    static GatehouseConfig.Auth auth(String url, Map<String, Object> changes) throws Exception {
        return auth(url, changes, Map.of());
    }

    /** As {@link #auth(String, Map)}, with {@code authChanges} to the {@code auth} section itself (e.g. groupsFile). */
    static GatehouseConfig.Auth auth(String url, Map<String, Object> changes, Map<String, Object> authChanges) throws Exception {
        Map<String, Object> ldap = new HashMap<>(Map.of(
                "url", url,
                "userBase", Slapd.PEOPLE,
                "userFilter", "(uid={user})",
                "groupBase", Slapd.GROUPS,
                "groupFilter", "(member={dn})",
                "nestedDepth", 3,
                "connectTimeout", "3s",
                "responseTimeout", "3s",
                "poolSize", 2));
        ldap.putAll(changes);
        Map<String, Object> auth = new HashMap<>(Map.of("backend", "ldap", "ldap", ldap));
        auth.putAll(authChanges);
        String json = new ObjectMapper().writeValueAsString(Map.of("auth", auth));
        return new ConfigLoader().load("test", json, Map.of()).auth();
    }

    static Authenticator open(String url, Map<String, Object> changes) throws Exception {
        return new LdapAuthenticator(auth(url, changes).ldap());
    }
}
