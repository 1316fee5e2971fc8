package dev.gatehouse.upstream;

import dev.gatehouse.http.RequestTarget;
import java.io.InputStream;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;

/**
 * A request to send to an origin: headers already cleaned of hop-by-hop fields.
 *
 * @param target        absolute {@code http} target taken from the request line (never from {@code Host})
 * @param headers       end-to-end header fields to send, in order (name, value)
 * @param body          the request body, or null when the request has none
 * @param contentLength body length, or -1 when unknown (sent chunked)
 * @param client        the client's address, which may choose its parent proxy ({@code client-hash}); null when the
 *                      request is this proxy's own (a background revalidation)
 */
public record UpstreamRequest(String method, RequestTarget target, List<Map.Entry<String, String>> headers, InputStream body,
                              long contentLength, InetAddress client) {
    /** A request of this proxy's own, for no client. */
    public UpstreamRequest(String method, RequestTarget target, List<Map.Entry<String, String>> headers, InputStream body,
                           long contentLength) {
        this(method, target, headers, body, contentLength, null);
    }

    /** RFC 9110 §9.2.2: methods a client may repeat, so a failed attempt can be retried. */
    public boolean idempotent() {
        return switch (method) {
            case "GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE" -> body == null;
            default -> false;
        };
    }
}
