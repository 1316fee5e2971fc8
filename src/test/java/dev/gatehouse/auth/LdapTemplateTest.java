package dev.gatehouse.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Filter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LdapTemplateTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "alice|alice",
        "a,ou=admins|a\\,ou\\=admins",
        "x+cn=y|x\\+cn\\=y",
        "' lead'|'\\ lead'",
        "'trail '|'trail\\ '",
        "#hash|\\#hash",
        "in#side|in#side",
        "q\"<>;\\|q\\\"\\<\\>\\;\\\\",
    })
    void dnValuesAreEscapedPerRfc4514(String user, String escaped) throws Exception {
        String dn = LdapTemplate.dn("uid={user},ou=people,dc=example,dc=com", user);
        assertEquals("uid=" + escaped + ",ou=people,dc=example,dc=com", dn);
        // The escaped value parses back to exactly one RDN carrying the user name unchanged.
        DN parsed = new DN(dn);
        assertEquals(4, parsed.getRDNs().length);
        assertEquals(user, parsed.getRDN().getAttributeValues()[0]);
    }

    @Test
    void controlCharactersInADnAreHexEscaped() {
        assertEquals("uid=a\\00b\\0a", LdapTemplate.dn("uid={user}", "a\u0000b\n"));
    }

    @Test
    void filterInjectionStaysOneValue() throws Exception {
        Filter filter = LdapTemplate.filter("(uid={user})", "*)(uid=*", "");
        assertEquals(Filter.FILTER_TYPE_EQUALITY, filter.getFilterType());
        assertEquals("*)(uid=*", filter.getAssertionValue());
        assertEquals("(uid=\\2a\\29\\28uid=\\2a)", filter.toString());
    }

    @Test
    void aPlaceholderInsideAValueIsNotExpandedAgain() throws Exception {
        Filter filter = LdapTemplate.filter("(|(memberUid={user})(member={dn}))", "{dn}", "cn=x,dc=example");
        assertEquals("{dn}", filter.getComponents()[0].getAssertionValue());
        assertEquals("cn=x,dc=example", filter.getComponents()[1].getAssertionValue());
        assertEquals("uid={dn}", LdapTemplate.dn("uid={user}", "{dn}"));
    }
}
