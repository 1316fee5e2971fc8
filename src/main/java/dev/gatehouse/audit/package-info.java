/**
 * The audit log: one {@link dev.gatehouse.audit.AuditRecord} per access (forwarded, tunnelled,
 * denied, failed, malformed or aborted), formatted as JSON lines, Squid native or NCSA combined/common
 * ({@link dev.gatehouse.audit.JsonLinesFormatter}, {@link dev.gatehouse.audit.SquidNativeFormatter},
 * {@link dev.gatehouse.audit.NcsaFormatter})
 * and written by {@link dev.gatehouse.audit.AuditLog} through a bounded queue that never drops a
 * record, into a file with size and daily rotation, or to standard output. A best-effort copy may go to a syslog
 * collector ({@link dev.gatehouse.audit.SyslogSink}: RFC 5424 over TCP or UDP, its own queue, drops counted).
 *
 * <p>Pure Java: no Undertow types and no other Gatehouse package, so the listener fills records and
 * this package only formats and stores them.
 */
package dev.gatehouse.audit;
