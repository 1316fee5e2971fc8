/**
 * The proxy listener: Undertow/XNIO wiring, the handler chain ({@link dev.gatehouse.listener.ProxyHandlers#chain})
 * and thin handlers that adapt an exchange to the feature packages.
 *
 * <p><b>Warning:</b> a forward proxy that accepts any client or connects anywhere is an open relay.
 * The chain refuses clients outside {@code clients.allow} and destinations the
 * {@link dev.gatehouse.http.DestinationGuard} rejects; keep both checks in front of any forwarding.
 */
package dev.gatehouse.listener;
