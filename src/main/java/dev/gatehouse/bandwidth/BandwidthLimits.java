package dev.gatehouse.bandwidth;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.gatehouse.config.GatehouseConfig;

/**
 * The WAN link's limits, one limiter per direction: {@code download} for what is fetched from origins (Squid's
 * {@code delay_pools}), {@code upload} for what clients send to them (Squid's {@code client_delay_pools}). Separate
 * buckets, as the directions are separate pipes. Either is null when unlimited, and the data paths of that
 * direction then do no extra work.
 */
public record BandwidthLimits(BandwidthLimiter download, BandwidthLimiter upload) {
    /** No limit either way. */
    public static final BandwidthLimits NONE = new BandwidthLimits(null, null);

    /** The limits {@code config} asks for; shared by every listener and tunnel, since the WAN link is one. */
    public static BandwidthLimits from(GatehouseConfig.Bandwidth config) {
        return from(config, Ticker.systemTicker());
    }

    /** As {@link #from(GatehouseConfig.Bandwidth)}, on {@code clock} (a test's stepped one). */
    static BandwidthLimits from(GatehouseConfig.Bandwidth config, Ticker clock) {
        return new BandwidthLimits(BandwidthLimiter.from(config.download(), clock), BandwidthLimiter.from(config.upload(), clock));
    }
}
