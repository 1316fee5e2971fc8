package dev.gatehouse.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LdapUserNameTest {
    private static LdapUserName forSettings(Map<String, Object> settings) throws Exception {
        return new LdapUserName(LdapSettings.auth("ldap://127.0.0.1:389", settings).ldap());
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = ';', value = {
        "userFilter;(uid={user});uid",
        "userFilter;(&(objectClass=inetOrgPerson)(sAMAccountName={user}));sAMAccountName",
        "userFilter;(|(mail={user})(uid={user}));mail",
        "userDnTemplate;uid={user},ou=people,dc=example,dc=com;uid",
        "userDnTemplate;cn={user},ou=people,dc=example,dc=com;cn",
        "userDnTemplate;ou=x+cn={user},dc=example,dc=com;cn",
    })
    void theNameAttributeIsTheOneUserIsComparedWith(String setting, String value, String attribute) throws Exception {
        assertEquals(attribute, forSettings(Map.of(setting, value)).attribute());
    }

    @ParameterizedTest
    @ValueSource(strings = {"(uid=*{user}*)", "(&(objectClass=person)(!(uid={user})))"})
    void aFilterThatDoesNotNameTheUserHasNoNameAttribute(String filter) throws Exception {
        assertNull(forSettings(Map.of("userFilter", filter)).attribute());
    }

    @Test
    void theEntrysValueWinsOverWhatWasTyped() throws Exception {
        LdapUserName name = forSettings(Map.of());
        assertEquals("alice", name.of(new Entry("uid=alice,dc=x", new Attribute("uid", "alice")), "ALICE "));
        Entry twoNames = new Entry("uid=alice,dc=x", new Attribute("uid", "alice", "Alice.Smith"));
        assertEquals("Alice.Smith", name.of(twoNames, "alice.smith"));
        assertEquals("typed", name.of(null, "typed"));
        assertEquals("typed", name.of(new Entry("uid=alice,dc=x"), "typed"));
    }
}
