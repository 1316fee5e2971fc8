package dev.gatehouse.upstream;

import dev.gatehouse.http.ParentProxies;
import java.io.InputStream;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;

/**
 * An origin's response; the body is streamed and must be closed.
 *
 * @param headers   header fields as received: names in the origin's case, looked up case-insensitively
 * @param upstreamAddress the address the request went to, for the audit record
 * @param parent    the host of the parent proxy the request went through, or null when it went direct
 * @param httpMinor the minor version of the status line received (HTTP/1.0 or 1.1), for {@code Via}
 * @param hierarchy the Squid hierarchy code for that parent ({@link ParentProxies.Route#hierarchy}), or null when direct
 */
public record UpstreamResponse(int status, Map<String, List<String>> headers, InputStream body,
                               InetAddress upstreamAddress, String parent, int httpMinor, String hierarchy) implements AutoCloseable {
    /** A response this proxy made from what a non-HTTP origin (an FTP server) said: HTTP/1.1, direct. */
    public UpstreamResponse(int status, Map<String, List<String>> headers, InputStream body, InetAddress upstreamAddress) {
        this(status, headers, body, upstreamAddress, null, 1, null);
    }

    /** This response with another body: the same bytes re-assembled, e.g. after an ICAP preview took the first of them. */
    public UpstreamResponse withBody(InputStream body) {
        return new UpstreamResponse(status, headers, body, upstreamAddress, parent, httpMinor, hierarchy);
    }

    /** This response, audited with {@code hierarchy} for its parent. */
    UpstreamResponse withHierarchy(String hierarchy) {
        return new UpstreamResponse(status, headers, body, upstreamAddress, parent, httpMinor, hierarchy);
    }

    @Override
    public void close() {
        try {
            body.close();
        } catch (java.io.IOException ignored) {
            // the connection is dropped anyway
        }
    }
}
