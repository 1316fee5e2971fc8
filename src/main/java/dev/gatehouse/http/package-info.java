/**
 * Shared HTTP vocabulary: hop-by-hop headers, {@code Via}, failure kinds and their statuses, and the
 * escaped error page. Depends on the JDK only, so every other package may use it.
 */
package dev.gatehouse.http;
