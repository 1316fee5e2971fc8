package dev.gatehouse.bandwidth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.gatehouse.config.GatehouseConfig;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.LockSupport;

/**
 * Squid's class 2 delay pool, for one direction of the WAN link: bytes moved for a client (fetched from origins, or
 * uploaded by it) are taken from the aggregate bucket (every client together) and from that client address's own
 * bucket, so one large transfer cannot starve the others. Either bucket may be absent (unlimited). A client's bucket is made on its first byte and dropped
 * once it has been idle long enough to have filled up again, so memory stays bounded by the clients active
 * lately, and a dropped bucket comes back exactly as it would have been (full).
 */
public final class BandwidthLimiter {
    /** Kept at least this long after its last use, so a client between two requests keeps its bucket. */
    private static final Duration MIN_IDLE = Duration.ofMinutes(1);

    private final Ticker clock;
    private final TokenBucket total;
    private final long perClientRate;
    private final long perClientBurst;
    private final Cache<InetAddress, TokenBucket> clients;

    /**
     * @param totalRate     bytes per second of all clients together, 0 for no aggregate limit
     * @param perClientRate bytes per second of each client address, 0 for none
     * @param burst         bytes each bucket holds, 0 for one second at its rate
     * @param clock         nanosecond time ({@link Ticker#systemTicker()} outside tests)
     * @param maintenance   runs Caffeine's clean-up (dropping idle buckets); {@code Runnable::run} in tests
     */
    BandwidthLimiter(long totalRate, long perClientRate, long burst, Ticker clock, Executor maintenance) {
        this.clock = clock;
        this.total = totalRate > 0 ? new TokenBucket(totalRate, burst > 0 ? burst : totalRate, clock.read()) : null;
        this.perClientRate = perClientRate;
        this.perClientBurst = burst > 0 ? burst : perClientRate;
        if (perClientRate > 0) {
            long fill = TokenBucket.nanosToFill(perClientRate, perClientBurst);
            this.clients = Caffeine.newBuilder().ticker(clock).executor(maintenance)
                    .expireAfterAccess(Duration.ofNanos(Math.max(fill, MIN_IDLE.toNanos())))
                    .build();
        } else {
            this.clients = null;
        }
    }

    /** The limiter {@code config} asks for, or null when it sets no limit (the data paths then do no extra work). */
    public static BandwidthLimiter from(GatehouseConfig.Rates config) {
        return from(config, Ticker.systemTicker());
    }

    /** As {@link #from(GatehouseConfig.Rates)}, on {@code clock} (a test's stepped one). */
    static BandwidthLimiter from(GatehouseConfig.Rates config, Ticker clock) {
        if (!config.limited()) return null;
        return new BandwidthLimiter(config.totalBytesPerSecond(), config.perClientBytesPerSecond(), config.burstBytes(),
                clock, Runnable::run);
    }

    /** Bytes that may move for {@code client} now without debt; zero or less when it must wait. */
    public long available(InetAddress client) {
        long now = clock.read();
        long bytes = Long.MAX_VALUE;
        if (total != null) bytes = total.available(now);
        if (clients != null) bytes = Math.min(bytes, bucket(client).available(now));
        return bytes;
    }

    /** Records {@code bytes} moved for {@code client}, from both buckets. */
    public void charge(InetAddress client, long bytes) {
        long now = clock.read();
        if (total != null) total.charge(bytes, now);
        if (clients != null) bucket(client).charge(bytes, now);
    }

    /** Nanoseconds until at least one byte may move for {@code client}, 0 if one may now. */
    public long nanosUntilAvailable(InetAddress client) {
        long now = clock.read();
        long wait = 0;
        if (total != null) wait = total.nanosUntil(1, now);
        if (clients != null) wait = Math.max(wait, bucket(client).nanosUntil(1, now));
        return wait;
    }

    /**
     * Charges {@code bytes} that were just read for {@code client}, then parks the calling thread until the
     * buckets are out of debt. For virtual threads only: never call it on an IO thread.
     */
    public void pay(InetAddress client, long bytes) throws InterruptedException {
        charge(client, bytes);
        for (long wait = nanosUntilAvailable(client); wait > 0; wait = nanosUntilAvailable(client)) {
            LockSupport.parkNanos(wait);
            if (Thread.interrupted()) throw new InterruptedException("interrupted while waiting for bandwidth");
        }
    }

    /** Per-client buckets held now (after dropping idle ones), for tests. */
    long clientBuckets() {
        if (clients == null) return 0;
        clients.cleanUp();
        return clients.estimatedSize();
    }

    private TokenBucket bucket(InetAddress client) {
        return clients.get(client, c -> new TokenBucket(perClientRate, perClientBurst, clock.read()));
    }
}
