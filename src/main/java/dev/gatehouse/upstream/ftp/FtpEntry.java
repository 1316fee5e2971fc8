package dev.gatehouse.upstream.ftp;

import java.time.Instant;

/**
 * One name in a directory listing, as the server reported it (untrusted: any characters).
 *
 * @param size     bytes, or -1 when unknown
 * @param modified null when unknown
 */
public record FtpEntry(String name, boolean directory, long size, Instant modified) {}
