package dev.gatehouse.tunnel;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The open tunnels, so shutdown can close them and metrics can count them. */
public final class TunnelRegistry {
    private final Set<Splice> open = ConcurrentHashMap.newKeySet();

    public void opened(Splice splice) { open.add(splice); }

    public void closed(Splice splice) { open.remove(splice); }

    public int size() { return open.size(); }

    /** Closes every open tunnel (at the end of a shutdown drain). */
    public void closeAll() {
        for (Splice s : open) s.close("shutdown");
    }
}
