/**
 * Shared HTTP vocabulary: the parsed request target, hop-by-hop headers, {@code Via}, failure kinds and their
 * statuses, the escaped error page, and {@code Basic} credentials (proxy login and the FTP gateway's). Depends on
 * the JDK only, so every other package may use it.
 */
package dev.gatehouse.http;
