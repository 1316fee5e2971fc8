/**
 * The outbound side: resolves and vets the destination, sends the request over HTTP/1.1 on pooled
 * keep-alive connections with blocking sockets (one virtual thread per exchange), and reports failures as
 * {@link dev.gatehouse.upstream.FailureException}s carrying a {@link dev.gatehouse.http.Failure}.
 */
package dev.gatehouse.upstream;
