package dev.gatehouse.tunnel;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The open tunnels, so shutdown can close them and metrics can count them. */
public final class TunnelRegistry {
    /** What the registry needs of a tunnel: {@link Splice}, or a stand-in in tests. */
    interface Tunnel {
        /** Closes both sides; called more than once, it closes once. */
        void close(String reason);
    }

    private final Set<Tunnel> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closing;

    /**
     * Registers a tunnel that has just started. One that starts after {@link #closeAll} (its upstream connect finished
     * during the shutdown drain) is closed at once rather than left open past the end and its record lost. Adding
     * before reading the flag, against {@code closeAll} setting it before reading the set, means either sees the other:
     * at worst a tunnel is closed twice, which {@link Tunnel#close} allows.
     */
    public void opened(Splice splice) {
        opened((Tunnel) splice);
    }

    void opened(Tunnel tunnel) {
        open.add(tunnel);
        if (closing) tunnel.close("shutdown");
    }

    public void closed(Splice splice) {
        closed((Tunnel) splice);
    }

    void closed(Tunnel tunnel) {
        open.remove(tunnel);
    }

    public int size() { return open.size(); }

    /** Closes every open tunnel, and every one opened from now on (at the end of a shutdown drain). */
    public void closeAll() {
        closing = true;
        for (Tunnel t : open) t.close("shutdown");
    }
}
