package dev.gatehouse.icap;

import dev.gatehouse.http.HopByHopHeaders;
import dev.gatehouse.http.RequestTarget;
import dev.gatehouse.upstream.ResponseHead;
import dev.gatehouse.upstream.UpstreamResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A REQMOD (RFC 3507 §4.8): a client's request with a body, and the three answers a service gives it (§4.8.2): 204,
 * send it as it is; 200 with {@code req-hdr}, send this request instead; 200 with {@code res-hdr}, send this response
 * to the client and nothing to the origin (a DLP or virus block page).
 *
 * @param request       the request as the service is shown it (its fields as they would go to the origin)
 * @param contentLength the length of its body, or -1 when the client sent it chunked
 */
record ReqmodAdaptation(URI service, String host, ScanRequest request, long contentLength)
        implements RespmodExchange.Adaptation<UploadScanResult> {
    /** The status line put before an encapsulated request's fields, so that the strict response head reader parses them. */
    private static final byte[] FIELDS_ONLY = "HTTP/1.1 200 OK\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_REQUEST_LINE = 16 * 1024;
    /** The most of an adapted body read before it is forwarded, to learn its length when it is short. */
    private static final int READ_AHEAD = 64 * 1024;
    /** Fields the upstream client writes itself from the target and the body's framing (as for the client's request). */
    private static final Set<String> FRAMING = Set.of("host", "content-length", "transfer-encoding", "expect");

    @Override
    public void writeHeads(OutputStream out, int preview, boolean allow204) throws IOException {
        RespmodMessage.writeReqmodHeads(out, service, host, shown(), preview, allow204);
    }

    /** The request with the fields that name its target and framing, as a service expects to find them in a request. */
    private ScanRequest shown() {
        List<Map.Entry<String, String>> fields = new ArrayList<>(request.headers().size() + 2);
        fields.add(Map.entry("Host", RequestTarget.of(request.url()).rawAuthority()));
        fields.addAll(request.headers());
        fields.add(contentLength >= 0 ? Map.entry("Content-Length", Long.toString(contentLength)) : Map.entry("Transfer-Encoding", "chunked"));
        return new ScanRequest(request.method(), request.url(), fields);
    }

    @Override
    public UploadScanResult unmodified(InputStream whole) {
        return new UploadScanResult(ScanOutcome.CLEAN, request, whole, contentLength, null, null, null);
    }

    @Override
    public UploadScanResult adapted(ResponseHead answer, RespmodExchange exchange) throws IOException {
        Map<String, Long> sections = IcapReplies.encapsulated(answer);
        String virus = RespmodExchange.virus(answer);
        if (sections.containsKey("res-hdr")) {
            if (sections.get("res-hdr") != 0 || sections.containsKey("req-hdr") || sections.containsKey("req-body")) {
                throw IcapReplies.malformed("a REQMOD answer with a response must encapsulate only it: " + sections);
            }
            ResponseHead http = exchange.head(in -> ResponseHead.read(in, "HTTP/1."), RespmodExchange.bodyOffset(sections, "res-body"),
                    "blocking response head");
            InputStream body = exchange.body(answer, sections.containsKey("res-body"), http);
            UpstreamResponse response = new UpstreamResponse(http.status(), http.headers(), body, null, null, http.httpMinor(), null);
            return new UploadScanResult(ScanOutcome.BLOCKED, null, null, -1, response, virus, null);
        }
        Long headAt = sections.get("req-hdr");
        if (headAt == null || headAt != 0 || sections.containsKey("res-body")) {
            throw IcapReplies.malformed("a REQMOD answer must encapsulate a request head or a response head first: " + sections);
        }
        ScanRequest adapted = exchange.head(ReqmodAdaptation::requestHead, RespmodExchange.bodyOffset(sections, "req-body"),
                "adapted request head");
        ScanRequest forwarded = new ScanRequest(adapted.method(), adapted.url(), endToEnd(adapted.headers()));
        InputStream body = exchange.body(answer, sections.containsKey("req-body"), null);
        // The body's framing is this side's, not the service's Content-Length: c-icap's virus_scan strips an infected
        // upload to nothing and keeps the old Content-Length, and a request sent with it could never be completed.
        // A body that ends within a read-ahead goes with its true length; a longer one goes chunked (RFC 9112 §7.1).
        byte[] start = body.readNBytes(READ_AHEAD);
        long length = start.length < READ_AHEAD ? start.length : -1;
        InputStream whole = length >= 0 ? new ByteArrayInputStream(start) : new SequenceInputStream(new ByteArrayInputStream(start), body);
        ScanOutcome outcome = virus == null && forwarded.equals(request) ? ScanOutcome.CLEAN : ScanOutcome.ADAPTED;
        return new UploadScanResult(outcome, forwarded, whole, length, null, virus, null);
    }

    /**
     * An encapsulated request head: its request line ({@code POST http://host/path HTTP/1.1}, the absolute form the
     * request was shown in), then fields read as strictly as an origin's.
     */
    private static ScanRequest requestHead(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder(128);
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0x20 && b != '\r' || b == 0x7f || line.length() > MAX_REQUEST_LINE) {
                throw IcapReplies.malformed("invalid request line in the ICAP answer");
            }
            if (b != '\r') line.append((char) b);
        }
        String[] parts = line.toString().split(" ", -1);
        if (parts.length != 3 || parts[0].isEmpty() || !parts[2].startsWith("HTTP/1.")) {
            throw IcapReplies.malformed("invalid request line in the ICAP answer: " + line);
        }
        RequestTarget target;
        try {
            target = RequestTarget.of(parts[1]);
        } catch (IllegalArgumentException e) {
            throw IcapReplies.malformed("the ICAP service's request has no usable absolute URL: " + parts[1]);
        }
        if (!"http".equalsIgnoreCase(target.scheme())) throw IcapReplies.malformed("the ICAP service's request is not http: " + parts[1]);
        ResponseHead fields = ResponseHead.read(new SequenceInputStream(new ByteArrayInputStream(FIELDS_ONLY), in), "HTTP/1.");
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (Map.Entry<String, List<String>> field : fields.headers().entrySet()) {
            for (String value : field.getValue()) headers.add(Map.entry(field.getKey(), value));
        }
        return new ScanRequest(parts[0], parts[1], headers);
    }

    /** The fields to forward: without hop-by-hop ones (RFC 9110 §7.6.1) and those the upstream client writes itself. */
    private static List<Map.Entry<String, String>> endToEnd(List<Map.Entry<String, String>> fields) {
        List<String> connection = new ArrayList<>();
        for (Map.Entry<String, String> f : fields) if (f.getKey().equalsIgnoreCase("Connection")) connection.add(f.getValue());
        HopByHopHeaders hop = HopByHopHeaders.forConnectionValues(connection);
        List<Map.Entry<String, String>> out = new ArrayList<>(fields.size());
        for (Map.Entry<String, String> f : fields) {
            if (hop.isHopByHop(f.getKey()) || FRAMING.contains(f.getKey().toLowerCase(Locale.ROOT))) continue;
            out.add(Map.entry(f.getKey(), f.getValue()));
        }
        return out;
    }
}
