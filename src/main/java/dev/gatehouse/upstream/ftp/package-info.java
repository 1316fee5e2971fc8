/**
 * The {@code ftp://} gateway's client side, on commons-net's {@code FTPClient}: one client per request
 * (FTPClient is not thread-safe), addresses vetted by the {@link dev.gatehouse.http.DestinationGuard},
 * files streamed, directories rendered as escaped HTML. No Undertow types here; the listener's
 * {@code FtpHandler} turns the results into responses.
 */
package dev.gatehouse.upstream.ftp;
