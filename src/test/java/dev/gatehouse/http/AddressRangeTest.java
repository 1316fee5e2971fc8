package dev.gatehouse.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressRangeTest {
    /** RFC 5952 §4: lower case, no leading zeros, the longest run of two or more zero groups as "::", first on a tie. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "0:0:0:0:0:0:0:1, ::1",
            "::, ::",
            "2001:0DB8:0000:0000:0000:0000:0000:0001, 2001:db8::1",
            "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
            "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
            "fe80:0:0:0:0:0:0:0, fe80::",
            "1:0:0:2:0:0:0:3, 1:0:0:2::3",
            "127.0.0.1, 127.0.0.1"})
    void addressesAreShownInTheirCanonicalText(String in, String expected) throws Exception {
        assertEquals(expected, AddressRange.text(InetAddress.getByName(in)));
    }

    /** WHATWG URL "ends in a number": resolvers read these as IPv4, whatever the notation. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "169.254.169.254, true", "2852039166, true", "169.254.43518, true", "0xa9fea9fe, true", "127.1., true",
            "[::1], true", "::1, true", "example.com, false", "host1, false", "1.example, false", "0xg.example, false",
            "a.0xz, false"})
    void aHostEndingInANumberNamesAnAddress(String host, boolean expected) {
        assertEquals(expected, AddressRange.namesAnAddress(host));
    }

    /** Every range of a set is tried against the one copy of the address, IPv4-mapped IPv6 as IPv4. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "10.1.2.3, true", "192.168.7.8, true", "::ffff:192.168.7.8, true", "2001:db8::5, true", "172.16.0.1, false",
            "192.169.0.1, false", "2001:db9::1, false", "::1, false"})
    void aSetContainsWhatAnyOfItsRangesContains(String address, boolean expected) throws Exception {
        AddressRanges ranges = AddressRanges.parse(java.util.List.of("10.0.0.0/8", "2001:db8::/32", "192.168.0.0/16"));
        assertEquals(expected, ranges.contains(InetAddress.getByName(address)));
    }

    @Test
    void ipv4MappedAddressesAreShownAsIpv4() throws Exception {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 10, 1, 2, 3};
        assertEquals("10.1.2.3", AddressRange.text(Inet6Address.getByAddress(null, mapped, -1)));
    }

    @Test
    void cidrBlocksMatchTheirAddressesOnly() throws Exception {
        AddressRange v4 = AddressRange.parse("10.0.0.0/8");
        assertTrue(v4.contains(InetAddress.getByName("10.255.0.1")));
        assertFalse(v4.contains(InetAddress.getByName("11.0.0.1")));
        assertFalse(v4.contains(InetAddress.getByName("::1")));
        AddressRange host = AddressRange.parse("192.168.1.7");
        assertTrue(host.contains(InetAddress.getByName("192.168.1.7")), "a /32 matches its own address");
        AddressRange v6 = AddressRange.parse("fd00::/8");
        assertTrue(v6.contains(InetAddress.getByName("fd12::1")));
        assertFalse(v6.contains(InetAddress.getByName("fe80::1")));
    }
}
