/**
 * CONNECT tunnels: the destination check and upstream connect ({@link dev.gatehouse.tunnel.TunnelConnector})
 * and the non-blocking two-way splice ({@link dev.gatehouse.tunnel.Splice}) with half-close, idle timeout
 * and byte counts. No thread is held per tunnel.
 *
 * <p><b>Warning:</b> CONNECT to arbitrary hosts and ports turns a proxy into an open relay for any TCP
 * protocol (spam, lateral movement). Only ports in {@code destinations.connectPorts} are allowed and
 * every destination passes the {@link dev.gatehouse.http.DestinationGuard}.
 */
package dev.gatehouse.tunnel;
