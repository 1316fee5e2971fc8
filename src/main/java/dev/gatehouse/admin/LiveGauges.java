package dev.gatehouse.admin;

import java.util.function.IntSupplier;

/**
 * Figures read at the moment they are shown rather than counted from the audit stream.
 *
 * @param openConnections client connections open on the proxy listener
 * @param openTunnels     {@code CONNECT} tunnels currently spliced
 * @param auditQueueDepth audit records waiting for the writer (rising means the disk is falling behind)
 */
public record LiveGauges(IntSupplier openConnections, IntSupplier openTunnels, IntSupplier auditQueueDepth) {}
