package dev.gatehouse.tunnel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TunnelRegistryTest {
    /** Records the reasons it was closed with. */
    private static final class FakeTunnel implements TunnelRegistry.Tunnel {
        final List<String> closes = new ArrayList<>();

        @Override
        public void close(String reason) {
            closes.add(reason);
        }
    }

    @Test
    void closeAllClosesTheOpenTunnelsAndNotTheClosedOnes() {
        TunnelRegistry registry = new TunnelRegistry();
        FakeTunnel open = new FakeTunnel();
        FakeTunnel gone = new FakeTunnel();
        registry.opened(open);
        registry.opened(gone);
        registry.closed(gone);

        registry.closeAll();

        assertEquals(List.of("shutdown"), open.closes);
        assertEquals(List.of(), gone.closes);
    }

    @Test
    void aTunnelThatStartsAfterCloseAllIsClosedAtOnce() {
        // Its upstream connect finished during the shutdown drain, after the registry had closed the rest.
        TunnelRegistry registry = new TunnelRegistry();
        registry.closeAll();
        FakeTunnel late = new FakeTunnel();

        registry.opened(late);

        assertEquals(List.of("shutdown"), late.closes);
    }

    @Test
    void beforeCloseAllAnOpenedTunnelStaysOpen() {
        TunnelRegistry registry = new TunnelRegistry();
        FakeTunnel tunnel = new FakeTunnel();

        registry.opened(tunnel);

        assertEquals(List.of(), tunnel.closes);
        assertEquals(1, registry.size());
    }
}
