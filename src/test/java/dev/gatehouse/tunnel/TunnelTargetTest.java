package dev.gatehouse.tunnel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TunnelTargetTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "example.com:443, example.com, 443",
            "10.0.0.1:8443, 10.0.0.1, 8443",
            "[::1]:443, ::1, 443",
            "[2001:db8::1]:1, 2001:db8::1, 1",
            "h:65535, h, 65535"})
    void authorityFormIsParsed(String authority, String host, int port) {
        assertEquals(new TunnelTarget(host, port), TunnelTarget.parse(authority));
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"example.com", "example.com:", ":443", "example.com:0", "example.com:65536", "example.com:https",
            "::1:443", "[::1:443", "[not-an-ip]:443", "user@example.com:443", "example.com/x:443", "[]:443",
            "example.com:-1", "example.com: 443"})
    void anythingElseIsRefused(String authority) {
        assertNull(TunnelTarget.parse(authority));
    }
}
