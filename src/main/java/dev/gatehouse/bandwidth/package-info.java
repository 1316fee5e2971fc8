/**
 * Bandwidth limits for what crosses the WAN link, each direction on its own (Squid's class 2 {@code delay_pools}
 * for downloads, {@code client_delay_pools} for uploads): token buckets, one for all clients together and one per
 * client address, charged by the forward path (blocking, on virtual threads: response bodies read from origins,
 * request bodies read from clients) and by CONNECT tunnels (non-blocking, on IO threads). Uses only {@code config}; no Undertow types.
 */
package dev.gatehouse.bandwidth;
