package dev.gatehouse.admin;

import java.util.List;

/**
 * The JSON document served at {@code /stats} (field names are the JSON keys). Totals count since start;
 * rates and the series cover the last minutes; the top lists are bounded and approximate beyond their
 * first rows (see {@link TopCounts}).
 *
 * @param generatedAt   ISO-8601 instant of this snapshot
 * @param uptimeSeconds since the statistics started
 * @param policy        the live policy; {@code null} when none is configured
 * @param cache         cache fill per tier; {@code null} until a cache is configured
 */
public record StatsSnapshot(String generatedAt, long uptimeSeconds, Totals totals, Now now, Rates rates,
                            List<Top> topBlockedCategories, List<Top> topBlockedHosts, List<Top> topClients,
                            PolicyStatus policy, Object cache) {

    /**
     * @param version            content hash of the live policy and its lists
     * @param lastReloadApplied  false when the last reload failed (the previous policy is still live)
     * @param lastReloadProblems errors of a failed reload, or warnings of an applied one
     */
    public record PolicyStatus(String name, String version, int rules, boolean lastReloadApplied, int lastReloadProblems) {}

    /**
     * Counts since start. {@code hitRatio} and {@code byteHitRatio} are over HTTP requests answered (hits
     * and misses), not tunnels; {@code hitBytesToClient} is the bandwidth the cache saved; {@code local} are
     * requests the proxy answered itself (the PAC file).
     */
    public record Totals(long requests, long hits, long misses, long tunnels, long denied, long errors, long local, long blocked,
                         long bytesToClient, long bytesFromClient, long hitBytesToClient, double hitRatio,
                         double byteHitRatio) {}

    /** Figures of this moment. */
    public record Now(int activeConnections, int activeTunnels, int auditQueueDepth) {}

    /**
     * @param bucketSeconds width of each point of {@code series}
     * @param series        oldest first, one point per bucket of the window
     */
    public record Rates(int bucketSeconds, double requestsPerSecond1m, double requestsPerSecond5m,
                        double bytesToClientPerSecond1m, double hitBytesPerSecond1m, List<Point> series) {}

    /** One bucket: {@code t} is its start in epoch seconds; its hit ratio is {@code hits / (hits + misses)}. */
    public record Point(long t, long requests, long hits, long misses, long bytesToClient, long hitBytes, long blocked) {}

    /** One row of a top-N table: a client address, host name or category, with requests and bytes to clients. */
    public record Top(String name, long count, long bytes) {}
}
