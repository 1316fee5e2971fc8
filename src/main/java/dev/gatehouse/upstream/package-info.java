/**
 * The outbound side: resolves and vets the destination, sends the request with the JDK
 * {@link java.net.http.HttpClient} pinned to HTTP/1.1 (pooled keep-alive), and reports failures as
 * {@link dev.gatehouse.upstream.UpstreamException}s carrying a {@link dev.gatehouse.http.Failure}.
 */
package dev.gatehouse.upstream;
