/**
 * Normalises request targets and list entries into one canonical form, so that matching is plain
 * string comparison: lower-case A-label hosts, canonical IP literals, effective ports, and
 * RFC 3986 §6.2.2 percent-encoding and dot-segment normalisation.
 *
 * <p>The same code runs on policy list entries at load time and on requests at decision time;
 * a difference between the two is the classic filter bypass.
 */
package dev.gatehouse.policy.normalize;
