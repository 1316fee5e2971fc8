package dev.gatehouse.policy.normalize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HostNormalizerTest {

    @ParameterizedTest(name = "{0} -> {1} ({2})")
    @CsvSource(delimiter = '|', textBlock = """
            Example.COM            | example.com               | DNS
            example.com.           | example.com               | DNS
            www.Example.Com.       | www.example.com           | DNS
            bücher.example         | xn--bcher-kva.example     | DNS
            XN--BCHER-KVA.example  | xn--bcher-kva.example     | DNS
            b%C3%BCcher.example    | xn--bcher-kva.example     | DNS
            ex%61mple.com          | example.com               | DNS
            münchen.de             | xn--mnchen-3ya.de         | DNS
            例え.テスト              | xn--r8jz45g.xn--zckzah    | DNS
            a_b.example.com        | a_b.example.com           | DNS
            127.0.0.1              | 127.0.0.1                 | IPV4
            2130706433             | 127.0.0.1                 | IPV4
            0x7f.1                 | 127.0.0.1                 | IPV4
            0X7F.0.0.1             | 127.0.0.1                 | IPV4
            0177.0.0.1             | 127.0.0.1                 | IPV4
            127.1                  | 127.0.0.1                 | IPV4
            10.0x10.1              | 10.16.0.1                 | IPV4
            0xc0a80001             | 192.168.0.1               | IPV4
            1.2.3.4.               | 1.2.3.4                   | IPV4
            [::1]                  | ::1                       | IPV6
            [0:0:0:0:0:0:0:1]      | ::1                       | IPV6
            [2001:DB8:0:0:1:0:0:1] | 2001:db8::1:0:0:1         | IPV6
            [2001:db8:0:1:1:1:1:1] | 2001:db8:0:1:1:1:1:1      | IPV6
            [fe80::1%25eth0]       | fe80::1                   | IPV6
            [::ffff:10.1.2.3]      | 10.1.2.3                  | IPV4
            2001:db8::0001         | 2001:db8::1               | IPV6
            """)
    void normalisesHosts(String raw, String expected, HostName.Kind kind) {
        HostName host = HostNormalizer.normalize(raw);
        assertEquals(expected, host.value());
        assertEquals(kind, host.kind());
    }

    @ParameterizedTest(name = "rejects [{0}]")
    @ValueSource(strings = {"", ".", "a..b", ".example.com", "exa mple.com", "example.com..", "ex/ample.com",
        "256.1.1.1", "1.2.3.4.5", "0x100000000", "1.2.3.09", "foo.123", "[::1", "[zz::1]", "stra\u00dfe.de",
        "evil.com%2Fpath", "a%zz.com", "%00.com"})
    void rejectsInvalidHosts(String raw) {
        assertThrows(InvalidTargetException.class, () -> HostNormalizer.normalize(raw));
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com", "a-b.c_d.info", "xn--bcher-kva.example", "x.y.z.co.uk"})
    void recognisesCanonicalNames(String s) {
        assertTrue(HostNormalizer.isCanonicalDnsName(s));
        assertEquals(s, HostNormalizer.normalize(s).value());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Example.com", "example.com.", "1.2.3.4", "foo.0x1f", "a..b", "", "b\u00fccher.de", "foo.123"})
    void sendsNonCanonicalNamesToTheSlowPath(String s) {
        assertFalse(HostNormalizer.isCanonicalDnsName(s));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2.3.4", "127.0.0.1", "0.0.0.0", "255.255.255.255", "10.20.30.40"})
    void takesCanonicalDottedQuadsAsTheyAre(String s) {
        assertTrue(Ipv4Literal.isDottedQuad(s));
    }

    @ParameterizedTest
    @ValueSource(strings = {"01.2.3.4", "1.2.3.04", "256.1.1.1", "1.2.3", "1.2.3.4.", "1.2.3.4.5", "1..3.4", ".1.2.3",
        "1.2.3.4a", "0x7f.0.0.1", "1.2.3.1000", "", "1.2.3.-4"})
    void leavesOtherAddressFormsToTheFullParser(String s) {
        assertFalse(Ipv4Literal.isDottedQuad(s));
    }

    /** The shortcuts in normalize must give exactly the full parser's answer, for any input. */
    @Test
    void shortcutsAgreeWithTheFullNormaliser() {
        java.util.Random random = new java.util.Random(42);
        String alphabet = "0123456789.xXabfgz-_AZ%:[]";
        for (int n = 0; n < 50_000; n++) {
            StringBuilder b = new StringBuilder();
            int length = 1 + random.nextInt(16);
            for (int i = 0; i < length; i++) b.append(alphabet.charAt(random.nextInt(n % 2 == 0 ? 12 : alphabet.length())));
            String raw = b.toString();
            assertEquals(outcome(() -> HostNormalizer.normalizeFully(raw)), outcome(() -> HostNormalizer.normalize(raw)), raw);
        }
    }

    private static String outcome(java.util.function.Supplier<HostName> normalise) {
        try {
            HostName h = normalise.get();
            return h.kind() + " " + h.value();
        } catch (InvalidTargetException e) {
            return "rejected: " + e.getMessage();
        }
    }
}
