package dev.gatehouse.icap;

import dev.gatehouse.upstream.UpstreamResponse;
import java.io.InputStream;

/**
 * An upload after the REQMOD service (RFC 3507 §4.8): either the request to forward (the client's, or the one the
 * service made of it) with its body, or the service's own response, which replaces the whole exchange (it blocked the
 * upload: the origin is never contacted). The caller reads {@link #body} to its end or closes it, and closes
 * {@link #response}.
 *
 * @param outcome       what the service made of it ({@link ScanOutcome#BLOCKED} with a {@link #response})
 * @param request       the request to forward: method, absolute URL, end-to-end fields; null when blocked
 * @param body          that request's body; null when blocked
 * @param contentLength the body's length, or -1 when it is not known (it is sent chunked)
 * @param response      the service's response for the client, or null
 * @param virus         the threat or violation the service named, if any
 * @param failure       the service's failure when {@code bypass} sent the upload unscanned
 */
public record UploadScanResult(ScanOutcome outcome, ScanRequest request, InputStream body, long contentLength,
                               UpstreamResponse response, String virus, IcapException failure) {
    /** Whether the service answered with a response of its own: the client gets it, the origin nothing. */
    public boolean blocked() {
        return response != null;
    }
}
