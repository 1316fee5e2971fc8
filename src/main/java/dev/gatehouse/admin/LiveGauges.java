package dev.gatehouse.admin;

import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * Figures read at the moment they are shown rather than counted from the audit stream.
 *
 * @param openConnections client connections open on the proxy listener
 * @param openTunnels     {@code CONNECT} tunnels currently spliced
 * @param auditQueueDepth audit records waiting for the writer (rising means the disk is falling behind)
 * @param policy          the live policy and its last reload; supplies {@code null} when no policy is configured
 * @param cache           cache fill for {@code /stats} ({@code {"tiers": [{"name", "bytes", "maxBytes",
 *                        "entries"}], "urisInFlight"}}, which the dashboard draws); supplies {@code null} until there
 *                        is a cache
 */
public record LiveGauges(IntSupplier openConnections, IntSupplier openTunnels, IntSupplier auditQueueDepth,
                         Supplier<StatsSnapshot.PolicyStatus> policy, Supplier<Object> cache) {

    /** Without policy or cache. */
    public LiveGauges(IntSupplier openConnections, IntSupplier openTunnels, IntSupplier auditQueueDepth) {
        this(openConnections, openTunnels, auditQueueDepth, () -> null, () -> null);
    }
}
