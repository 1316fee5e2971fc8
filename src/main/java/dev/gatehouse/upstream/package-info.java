/**
 * The outbound side: resolves and vets the destination, sends the request over HTTP/1.1 on pooled
 * keep-alive connections with blocking sockets (one virtual thread per exchange), and reports failures as
 * {@link dev.gatehouse.http.FailureException}s carrying a {@link dev.gatehouse.http.Failure}. Interim (1xx)
 * responses before the final one go, as they arrive, to the caller's
 * {@link dev.gatehouse.upstream.InterimResponse.Listener} (RFC 9110 §15.2): this package decides nothing about
 * who may see them, and has no Undertow types.
 */
package dev.gatehouse.upstream;
