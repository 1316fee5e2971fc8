package dev.gatehouse.upstream;

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
 */
public record UpstreamResponse(int status, Map<String, List<String>> headers, InputStream body,
                               InetAddress upstreamAddress, String parent, int httpMinor) implements AutoCloseable {
    /** A response this proxy made from what a non-HTTP origin (an FTP server) said: HTTP/1.1, direct. */
    public UpstreamResponse(int status, Map<String, List<String>> headers, InputStream body, InetAddress upstreamAddress) {
        this(status, headers, body, upstreamAddress, null, 1);
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
