package dev.gatehouse.icap;

import dev.gatehouse.http.HopByHopHeaders;
import dev.gatehouse.upstream.UpstreamResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Writes a RESPMOD request (RFC 3507 §4.9), or a REQMOD's head (§4.8, {@link #writeReqmodHeads}): the ICAP head, then the encapsulated client request head and origin
 * response head, whose lengths give the {@code Encapsulated} offsets (§4.4.1), then the body as chunks (§4.4.1:
 * always chunked in ICAP, whatever the origin's framing), a preview ending with {@code ieof} when the body ended
 * within it (§4.5).
 */
final class RespmodMessage {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LAST_CHUNK_IEOF = "0; ieof\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private RespmodMessage() {}

    /**
     * The ICAP head and both encapsulated HTTP heads.
     *
     * @param preview  bytes that will follow as the preview, or -1 for no preview (the whole body follows)
     * @param allow204 offer {@code Allow: 204} (§4.6): only when this client holds the whole body to send on its own
     */
    static void writeHeads(OutputStream out, URI service, String host, ScanRequest request, UpstreamResponse response,
                           int preview, boolean allow204) throws IOException {
        byte[] requestHead = requestHead(request);
        byte[] responseHead = responseHead(response);
        writeIcapHead(out, "RESPMOD", service, host, preview, allow204,
                "req-hdr=0, res-hdr=" + requestHead.length + ", res-body=" + (requestHead.length + responseHead.length));
        out.write(requestHead);
        out.write(responseHead);
    }

    /**
     * A REQMOD's ICAP head and the encapsulated request head, whose body follows (§4.8): only requests with a body
     * are sent, so the body section is always there.
     */
    static void writeReqmodHeads(OutputStream out, URI service, String host, ScanRequest request, int preview,
                                 boolean allow204) throws IOException {
        byte[] requestHead = requestHead(request);
        writeIcapHead(out, "REQMOD", service, host, preview, allow204, "req-hdr=0, req-body=" + requestHead.length);
        out.write(requestHead);
    }

    private static void writeIcapHead(OutputStream out, String method, URI service, String host, int preview, boolean allow204,
                                      String encapsulated) throws IOException {
        StringBuilder head = new StringBuilder(256).append(method).append(' ').append(service.toASCIIString()).append(" ICAP/1.0\r\n")
                .append("Host: ").append(host).append("\r\n");
        if (allow204) head.append("Allow: 204\r\n");
        if (preview >= 0) head.append("Preview: ").append(preview).append("\r\n");
        head.append("Encapsulated: ").append(encapsulated).append("\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    /** An OPTIONS request (§4.10.1). */
    static void writeOptions(OutputStream out, URI service, String host) throws IOException {
        out.write(("OPTIONS " + service.toASCIIString() + " ICAP/1.0\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** One chunk of body; an empty one is not written (it would end the body). */
    static void chunk(OutputStream out, byte[] bytes, int offset, int length) throws IOException {
        if (length == 0) return;
        out.write(Integer.toHexString(length).getBytes(StandardCharsets.US_ASCII));
        out.write(CRLF);
        out.write(bytes, offset, length);
        out.write(CRLF);
    }

    /** Ends the body or the preview; {@code ieof}: the body ended within the preview, no 100 Continue wanted (§4.5). */
    static void end(OutputStream out, boolean ieof) throws IOException {
        out.write(ieof ? LAST_CHUNK_IEOF : LAST_CHUNK);
        out.flush();
    }

    /** The client's request as the origin got it: absolute URL (the service names it on its pages), end-to-end fields. */
    static byte[] requestHead(ScanRequest request) {
        StringBuilder head = new StringBuilder(512).append(request.method()).append(' ').append(request.url()).append(" HTTP/1.1\r\n");
        fields(head, request.headers());
        return head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * The origin's status line and fields, without the hop-by-hop ones (RFC 9110 §7.6.1): the body goes chunked in
     * ICAP, so the origin's {@code Transfer-Encoding} does not describe it; its {@code Content-Length} still does.
     */
    static byte[] responseHead(UpstreamResponse response) {
        StringBuilder head = new StringBuilder(512).append("HTTP/1.1 ").append(response.status()).append(' ')
                .append(reason(response.status())).append("\r\n");
        List<String> connection = null;
        for (Map.Entry<String, List<String>> field : response.headers().entrySet()) {
            if (field.getKey().equalsIgnoreCase("Connection")) connection = field.getValue();
        }
        HopByHopHeaders hop = HopByHopHeaders.forConnectionValues(connection == null ? List.of() : connection);
        for (Map.Entry<String, List<String>> field : response.headers().entrySet()) {
            String name = field.getKey();
            if (name.startsWith(":") || hop.isHopByHop(name)) continue;
            for (String value : field.getValue()) head.append(name).append(": ").append(value).append("\r\n");
        }
        return head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static void fields(StringBuilder head, List<Map.Entry<String, String>> fields) {
        for (Map.Entry<String, String> field : fields) head.append(field.getKey()).append(": ").append(field.getValue()).append("\r\n");
    }

    /** A reason phrase, which recipients ignore (RFC 9112 §4); the service echoes it in an unmodified head. */
    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 203 -> "Non-Authoritative Information";
            case 206 -> "Partial Content";
            case 300, 301, 302, 303, 307, 308 -> "Redirect";
            case 404 -> "Not Found";
            default -> status < 400 ? "OK" : status < 500 ? "Client Error" : "Server Error";
        };
    }
}
