package dev.gatehouse.http;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DestinationGuardTest {
    private static final DestinationGuard STRICT = new DestinationGuard(AddressRanges.parse(List.of()), List.of());

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.8.9.10", "::1", "169.254.169.254", "fe80::1", "0.0.0.0", "::", "224.0.0.1", "ff02::1"})
    void loopbackLinkLocalUnspecifiedAndMulticastAreRefusedByDefault(String address) throws Exception {
        assertNotNull(STRICT.refusal(InetAddress.getByName(address), 80), address);
    }

    @Test
    void anIpv4MappedLoopbackIsRefusedToo() throws Exception {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 127, 0, 0, 1};
        assertNotNull(STRICT.refusal(Inet6Address.getByAddress(null, mapped, -1), 80));
    }

    @Test
    void publicAddressesAreAllowed() throws Exception {
        assertNull(STRICT.refusal(InetAddress.getByName("93.184.216.34"), 80));
        assertNull(STRICT.refusal(InetAddress.getByName("2606:2800:220:1:248:1893:25c8:1946"), 443));
    }

    @Test
    void allowPrivateOpensTheListedNetworksOnly() throws Exception {
        DestinationGuard guard = new DestinationGuard(AddressRanges.parse(List.of("127.0.0.1/32")), List.of());
        assertNull(guard.refusal(InetAddress.getByName("127.0.0.1"), 8080));
        assertNotNull(guard.refusal(InetAddress.getByName("127.0.0.2"), 8080));
        assertNotNull(guard.refusal(InetAddress.getByName("169.254.169.254"), 80));
    }

    @Test
    void theProxysOwnListenersStayRefusedEvenWhenAllowed() throws Exception {
        DestinationGuard guard = new DestinationGuard(AddressRanges.parse(List.of("127.0.0.0/8", "::1/128")),
                List.of(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 3128)));
        String refusal = guard.refusal(InetAddress.getByName("127.0.0.1"), 3128);
        assertNotNull(refusal);
        assertTrue(refusal.contains("the proxy itself"), refusal);
        assertNull(guard.refusal(InetAddress.getByName("127.0.0.1"), 3129));
    }

    @Test
    void aWildcardListenerCoversLoopbackOnItsPort() throws Exception {
        DestinationGuard guard = new DestinationGuard(AddressRanges.parse(List.of("127.0.0.0/8", "::1/128")), List.of());
        guard.addOwnListener(new InetSocketAddress(3128));
        assertNotNull(guard.refusal(InetAddress.getByName("127.0.0.1"), 3128));
        assertNotNull(guard.refusal(InetAddress.getByName("::1"), 3128));
        assertNull(guard.refusal(InetAddress.getByName("127.0.0.1"), 80));
    }
}
