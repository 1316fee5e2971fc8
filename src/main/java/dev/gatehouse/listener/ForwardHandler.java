package dev.gatehouse.listener;

import dev.gatehouse.audit.AuditRecord;
import dev.gatehouse.bandwidth.BandwidthLimiter;
import dev.gatehouse.bandwidth.LimitedInputStream;
import dev.gatehouse.http.AddressRange;
import dev.gatehouse.http.Failure;
import dev.gatehouse.http.HopByHopHeaders;
import dev.gatehouse.http.ReadFailureFilter;
import dev.gatehouse.http.RequestTarget;
import dev.gatehouse.http.Via;
import dev.gatehouse.icap.IcapClient;
import dev.gatehouse.upstream.UpstreamClient;
import dev.gatehouse.http.FailureException;
import dev.gatehouse.upstream.UpstreamRequest;
import dev.gatehouse.upstream.UpstreamResponse;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Protocols;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import org.xnio.IoUtils;

/**
 * Forwards an absolute-form {@code http://} request to its origin and streams the response back, on a
 * virtual thread (Undertow's IO threads never block). Message rules applied here, each from RFC 9110:
 * hop-by-hop fields removed both ways (§7.6.1), {@code Via} added both ways and checked for loops
 * (§7.6.3), {@code Max-Forwards} honoured for OPTIONS and TRACE (§7.6.2), {@code Host} set from the
 * target (§7.2), the origin's interim responses passed on ahead of the final one (§15.2, {@link InterimRelay}).
 */
final class ForwardHandler implements HttpHandler {
    private static final HttpString VIA = HttpString.tryFromString("Via");
    private static final HttpString MAX_FORWARDS = HttpString.tryFromString("Max-Forwards");
    private static final HttpString X_FORWARDED_FOR = HttpString.tryFromString("X-Forwarded-For");
    private static final HttpString PROXY_CONNECTION = HttpString.tryFromString("Proxy-Connection");
    /** Fields the upstream client writes itself, from the target and the body's framing. */
    private static final Set<HttpString> SET_BY_CLIENT = Set.of(Headers.HOST, Headers.CONTENT_LENGTH, Headers.EXPECT);
    /** Request fields a TRACE echo leaves out (RFC 9110 §9.3.8: likely to contain sensitive data). */
    private static final List<String> TRACE_WITHHELD = List.of("authorization", "proxy-authorization", "cookie");

    private final UpstreamClient upstream;
    private final Via via;
    private final boolean xForwardedFor;
    private final ErrorResponder errors;
    private final Executor executor;
    private final OriginRelay relay;
    /** Limits on request bodies (the upload direction, Squid's {@code client_delay_pools}), or null for none. */
    private final BandwidthLimiter uploads;
    /** The field rules of {@link #copyResponseHeaders}, for the final response and for interim ones; made once. */
    private final OriginRelay.HeaderCopy finalFields =
            (response, to) -> copyResponseHeaders(response.headers(), response.httpMinor(), to);
    private final InterimRelay.FieldCopy interimFields = this::copyResponseHeaders;
    /** The ICAP REQMOD scan of request bodies, or null when {@code icap.reqmod} is off. */
    private final UploadScanStep uploadScan;

    ForwardHandler(UpstreamClient upstream, Via via, boolean xForwardedFor, ErrorResponder errors, OriginRelay relay,
                   BandwidthLimiter uploads, IcapClient reqmod, Executor executor) {
        this.upstream = upstream;
        this.via = via;
        this.xForwardedFor = xForwardedFor;
        this.errors = errors;
        this.executor = executor;
        this.relay = relay;
        this.uploads = uploads;
        this.uploadScan = reqmod == null ? null : new UploadScanStep(reqmod, relay, finalFields);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (exchange.isInIoThread()) {
            exchange.dispatch(executor, this);
            return;
        }
        AuditHold hold = Exchanges.hold(exchange);
        try {
            UpstreamRequest request = request(exchange);
            ClientBody upload = request != null && request.body() instanceof ClientBody body ? body : null;
            // Only a body the client sends is scanned (a DLP service looks at uploads); CONNECT never comes here.
            if (uploadScan != null && upload != null) request = uploadScan.scan(exchange, request);
            // Twice at most: a 304 that does not match the stored response is fetched again unconditionally (RFC 9111 §4.3.4).
            if (request != null && !forward(exchange, request, upload)) forward(exchange, request, upload);
        } finally {
            hold.release();
        }
    }

    /** The request to send upstream, or null when it was answered here (a forwarding loop, Max-Forwards). */
    private UpstreamRequest request(HttpServerExchange exchange) {
        RequestTarget target = exchange.getAttachment(Exchanges.TARGET);
        HeaderMap in = exchange.getRequestHeaders();
        String method = exchange.getRequestMethod().toString();

        HeaderValues viaValues = in.get(VIA);
        if (viaValues != null && via.seenIn(viaValues)) {
            errors.respond(exchange, Failure.FORWARDING_LOOP, "Via: " + String.join(", ", viaValues));
            return null;
        }
        List<Map.Entry<String, String>> headers = requestHeaders(exchange, in);
        if (("OPTIONS".equals(method) || "TRACE".equals(method)) && !maxForwards(exchange, method, headers)) return null;

        long length = exchange.getRequestContentLength();
        boolean chunked = in.contains(Headers.TRANSFER_ENCODING);
        InputStream body = null;
        if (Exchanges.carriesContent(exchange)) {
            exchange.startBlocking();
            body = new ClientBody(uploads == null ? exchange.getInputStream() : limited(exchange));
        } else if (length == 0 && !"GET".equals(method) && !"HEAD".equals(method)) {
            body = InputStream.nullInputStream(); // keep an explicit "Content-Length: 0" on POST and the like
        }
        // Expect: 100-continue (RFC 9110 §10.1.1) is answered by this proxy, not passed on: the 100 goes to
        // the client when the body is first read (HttpContinueReadHandler), and the body is sent upstream
        // at once. Asking the JDK client to expect 100 from the origin would stall every upload to an origin
        // that does not send one (most do not) for the JDK's fixed 5 s wait.
        return new UpstreamRequest(method, target, headers, body, chunked ? -1 : Math.max(0, length),
                exchange.getSourceAddress().getAddress());
    }

    /**
     * One attempt: sends {@code request} (with the cache's validators, if it revalidates) and relays the
     * answer; {@code upload} is the client's body, if it sent one. Returns false when the request must be sent
     * again (see {@link OriginRelay#relay}).
     */
    private boolean forward(HttpServerExchange exchange, UpstreamRequest request, ClientBody upload) throws IOException { // IOException: the cache answering from disk
        AuditRecord record = Exchanges.record(exchange);
        CacheFill fill = exchange.getAttachment(CacheFill.KEY); // the cache's part, for GET and HEAD
        if (fill != null) {
            List<Map.Entry<String, String>> headers = new ArrayList<>(request.headers()); // the client's, for each attempt
            fill.beforeSend(headers);
            request = new UpstreamRequest(request.method(), request.target(), headers, request.body(), request.contentLength(),
                    request.client());
        }
        record.setHierarchy("HIER_DIRECT");
        UpstreamResponse response;
        try {
            response = upstream.send(request, InterimRelay.forExchange(exchange, fill, interimFields));
        } catch (FailureException e) {
            // upload: the client's body, also when the ICAP service's scan put it behind a preview's bytes
            if (upload != null && upload.failed) {
                // The client left in the middle of its upload: the upstream failure is only the consequence.
                record.setError("client_aborted");
                record.setResultCode("TCP_MISS_ABORTED");
                IoUtils.safeClose(exchange.getConnection());
                return true;
            }
            relay.failed(exchange, e);
            return true;
        }
        try (response) {
            return relay.relay(exchange, response, request.method(), finalFields);
        }
    }

    /**
     * The client's body read at its share of the upload bandwidth, on this virtual thread: the upstream client
     * writes each chunk to the origin as it is read, so the origin (or parent) gets it no faster, and while this
     * thread parks the client's TCP window fills and holds the client back. Only the body: the head is not charged.
     */
    private InputStream limited(HttpServerExchange exchange) {
        return new LimitedInputStream(exchange.getInputStream(), uploads, exchange.getSourceAddress().getAddress());
    }

    private List<Map.Entry<String, String>> requestHeaders(HttpServerExchange exchange, HeaderMap in) {
        List<String> connection = new ArrayList<>();
        HeaderValues c = in.get(Headers.CONNECTION);
        if (c != null) connection.addAll(c);
        HeaderValues pc = in.get(PROXY_CONNECTION);
        if (pc != null) connection.addAll(pc);
        HopByHopHeaders hop = HopByHopHeaders.forConnectionValues(connection);
        List<Map.Entry<String, String>> out = new ArrayList<>(in.size() + 2);
        String viaValue = null;
        String xff = null;
        for (HeaderValues values : in) {
            String name = values.getHeaderName().toString();
            if (SET_BY_CLIENT.contains(values.getHeaderName()) || hop.isHopByHop(name)) continue;
            if (values.getHeaderName().equals(VIA)) {
                viaValue = String.join(", ", values);
                continue;
            }
            if (values.getHeaderName().equals(X_FORWARDED_FOR)) {
                if (xForwardedFor) xff = String.join(", ", values);
                continue; // never forward a client-supplied chain when the feature is off
            }
            for (String v : values) out.add(Map.entry(name, v));
        }
        int clientMinor = exchange.getProtocol().equals(Protocols.HTTP_1_0) ? 0 : 1; // Via names the version received
        out.add(Map.entry("Via", via.append(viaValue, clientMinor)));
        if (xForwardedFor) {
            String client = AddressRange.text(exchange.getSourceAddress().getAddress());
            out.add(Map.entry("X-Forwarded-For", xff == null ? client : xff + ", " + client));
        }
        return out;
    }

    /**
     * RFC 9110 §7.6.2: an OPTIONS or TRACE with {@code Max-Forwards: 0} is answered here; otherwise the
     * value is decremented. Returns false when the request was answered.
     */
    private boolean maxForwards(HttpServerExchange exchange, String method, List<Map.Entry<String, String>> headers) {
        String value = exchange.getRequestHeaders().getFirst(MAX_FORWARDS);
        if (value == null) return true;
        value = value.trim();
        // 1*DIGIT: anything else ("-1", "+1") is ignored, as if absent. A value too large to hold is taken as the
        // largest held, so the forwarded one is still "the lesser of" it and the received value minus one.
        if (value.isEmpty() || !value.chars().allMatch(ch -> ch >= '0' && ch <= '9')) return true;
        long n = value.length() > 18 ? Long.MAX_VALUE : Long.parseLong(value);
        if (n > 0) {
            headers.removeIf(h -> h.getKey().equalsIgnoreCase("Max-Forwards"));
            headers.add(Map.entry("Max-Forwards", Long.toString(n - 1)));
            return true;
        }
        Exchanges.record(exchange).setResultCode("TCP_MISS");
        exchange.setStatusCode(200);
        if ("TRACE".equals(method)) {
            // RFC 9110 §9.3.8: reflect the request as received, as message/http, leaving out the fields
            // likely to hold secrets (a page script that can read the echo would read the credentials).
            StringBuilder echo = new StringBuilder(method).append(' ').append(exchange.getRequestURI())
                    .append(exchange.getQueryString().isEmpty() ? "" : "?" + exchange.getQueryString())
                    .append(' ').append(exchange.getProtocol()).append("\r\n");
            for (HeaderValues values : exchange.getRequestHeaders()) {
                if (TRACE_WITHHELD.contains(values.getHeaderName().toString().toLowerCase(Locale.ROOT))) continue;
                for (String v : values) echo.append(values.getHeaderName()).append(": ").append(v).append("\r\n");
            }
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "message/http");
            exchange.getResponseSender().send(echo.append("\r\n").toString());
        } else {
            exchange.getResponseHeaders().put(Headers.ALLOW, "GET, HEAD, POST, PUT, DELETE, OPTIONS, TRACE, CONNECT");
            exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, 0);
        }
        return false;
    }

    /**
     * The origin's fields but the hop-by-hop ones, and {@code Via} naming the version ({@code httpMinor}) the
     * response came with: for the final response and for each interim one relayed before it.
     */
    private void copyResponseHeaders(Map<String, List<String>> from, int httpMinor, HeaderMap to) {
        HopByHopHeaders hop = HopByHopHeaders.forConnectionValues(from.getOrDefault("Connection", List.of()));
        String viaValue = null;
        for (Map.Entry<String, List<String>> h : from.entrySet()) {
            String name = h.getKey();
            if (name.startsWith(":") || hop.isHopByHop(name)) continue;
            if (name.equalsIgnoreCase("via")) {
                viaValue = String.join(", ", h.getValue());
                continue;
            }
            to.addAll(HttpString.tryFromString(name), h.getValue());
        }
        to.put(VIA, via.append(viaValue, httpMinor));
    }

    /** The client's request body, remembering whether reading it failed (the client went away mid-upload). */
    private static final class ClientBody extends ReadFailureFilter {
        volatile boolean failed;

        ClientBody(InputStream in) {
            super(in);
        }

        @Override
        protected IOException failed(IOException e) {
            failed = true;
            return e;
        }
    }
}
