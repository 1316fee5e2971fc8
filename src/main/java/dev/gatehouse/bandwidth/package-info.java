/**
 * Bandwidth limits for what crosses the WAN link (Squid's class 2 {@code delay_pools}): token buckets, one for
 * all clients together and one per client address, charged by the forward path (blocking, on virtual threads)
 * and by CONNECT tunnels (non-blocking, on IO threads). Uses only {@code config}; no Undertow types.
 */
package dev.gatehouse.bandwidth;
