/**
 * The admin listener, separate from the proxy listener: health, readiness, the PAC file, Prometheus
 * metrics, JSON statistics and the live dashboard. Metrics and statistics are fed by the audit stream
 * ({@link dev.gatehouse.admin.ProxyMetrics}, {@link dev.gatehouse.admin.TrafficStats}), so they count
 * exactly what the audit log records.
 */
package dev.gatehouse.admin;
