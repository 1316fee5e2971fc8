package dev.gatehouse.listener;

import dev.gatehouse.audit.AuditRecord;
import dev.gatehouse.bandwidth.BandwidthLimiter;
import dev.gatehouse.bandwidth.LimitedInputStream;
import dev.gatehouse.http.AddressRange;
import dev.gatehouse.http.Failure;
import dev.gatehouse.http.FailureException;
import dev.gatehouse.icap.IcapClient;
import dev.gatehouse.icap.IcapException;
import dev.gatehouse.upstream.BodyReadTimeoutException;
import dev.gatehouse.upstream.MalformedResponseException;
import dev.gatehouse.upstream.UpstreamResponse;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import org.xnio.IoUtils;

/**
 * Sends an origin's response to the client, whichever protocol fetched it ({@link ForwardHandler} for
 * {@code http://}, {@link FtpHandler} for {@code ftp://}): through the cache's {@link CacheFill} when the
 * {@link CacheHandler} attached one (a 304 merged into the stored response, the body teed into the store
 * and to collapsed followers), and streamed with the same cut-off rules. So an FTP server is just another
 * origin behind the cache, not a second copy of the cache's logic.
 */
final class OriginRelay {
    /** Bodies up to this size are read whole and written by the IO thread (see {@link #sendSmall}). */
    private static final int SMALL_BODY = 32 * 1024;

    /** How the origin's header fields become the client's (hop-by-hop rules, Via). */
    interface HeaderCopy {
        void copy(UpstreamResponse from, HeaderMap to);
    }

    private final ErrorResponder errors;
    private final BodyCopier copier = new BodyCopier();
    /** The WAN's bandwidth limits, or null when there are none. */
    private final BandwidthLimiter bandwidth;
    /** The virus scan of responses with a body, or null when {@code icap.respmod} is off. */
    private final ScanStep scan;
    /** The policy's response rules, decided on the origin's head before anything goes to the client, the store or the scan. */
    private final ResponseRuleCheck rules;

    OriginRelay(ErrorResponder errors, BandwidthLimiter bandwidth, IcapClient icap, ResponseRuleCheck rules) {
        this.errors = errors;
        this.bandwidth = bandwidth;
        this.scan = icap == null ? null : new ScanStep(icap, this);
        this.rules = rules;
    }

    /**
     * Sends {@code response} (which the caller closes).
     *
     * @return false when it was a 304 that did not match the stored response: the caller sends the
     *         request once more, which the {@link CacheFill} then leaves unconditional (RFC 9111 §4.3.4)
     */
    boolean relay(HttpServerExchange exchange, UpstreamResponse response, String method, HeaderCopy headers) throws IOException {
        AuditRecord record = Exchanges.record(exchange);
        if (response.parent() != null) {
            Exchanges.reachedParent(record, response.parent(), response.hierarchy());
        } else {
            record.setUpstreamAddress(AddressRange.text(response.upstreamAddress()));
        }
        record.setResultCode("TCP_MISS");
        CacheFill fill = exchange.getAttachment(CacheFill.KEY); // the cache's part, for GET and HEAD
        CacheFill.Next next = fill == null ? CacheFill.Next.FORWARD : fill.onResponse(exchange, response);
        if (next == CacheFill.Next.ANSWERED) return true;
        if (next == CacheFill.Next.RETRY) return false;
        if (rules.blockedFromOrigin(exchange, response)) {
            if (fill != null) fill.refused();
            return true; // the caller closes the response unread, which drops the origin connection
        }
        if (scan != null && mayHaveBody(method, response.status())) {
            scan.send(exchange, record, fill, response, method, headers);
        } else {
            send(exchange, record, fill, response, method, headers);
        }
        return true;
    }

    /** Sends the response the client is to get: the origin's, or the one the ICAP service made of it. */
    void send(HttpServerExchange exchange, AuditRecord record, CacheFill fill, UpstreamResponse response, String method,
              HeaderCopy headers) {
        exchange.setStatusCode(response.status());
        headers.copy(response, exchange.getResponseHeaders());
        boolean hasBody = mayHaveBody(method, response.status());
        InputStream body = fill == null ? response.body() : fill.body(exchange, response, hasBody);
        if (hasBody) stream(exchange, record, bandwidth == null ? body : limited(exchange, body));
    }

    /**
     * The origin gave no response ({@code failure}): the cache answers with its stale copy where RFC 5861
     * §4 allows, otherwise the client gets the failure's error page. The one way every origin (HTTP or FTP)
     * failure before the response head is answered and audited.
     *
     * @throws IOException if answering from the cache's disk copy failed (the client went away)
     */
    void failed(HttpServerExchange exchange, FailureException failure) throws IOException {
        if (failure.failure() == Failure.PARENT_UNREACHABLE && fellBack(exchange)) return;
        AuditRecord record = Exchanges.record(exchange);
        if (failure.parent() != null) {
            Exchanges.reachedParent(record, failure.parent(), failure.hierarchy());
        } else if (failure.failure() == Failure.DNS_FAILURE || failure.failure() == Failure.DESTINATION_DENIED
                || failure.failure() == Failure.PARENT_UNREACHABLE) {
            record.setHierarchy("HIER_NONE"); // no origin, and no parent, was contacted
        }
        CacheFill fill = exchange.getAttachment(CacheFill.KEY);
        if (fill != null && fill.answeredFailure(exchange, failure)) return;
        errorPage(exchange, fill, failure.failure(), failure.getMessage());
    }

    /**
     * No parent could be reached, and the request has another way on: an {@code ftp://} request with
     * {@code fallbackDirect} goes to the FTP gateway here ({@link Exchanges#PARENT_FALLBACK}), on this thread, before
     * the cache hears of any failure (its fill is then the gateway's). Nothing has been sent to the client yet.
     */
    private static boolean fellBack(HttpServerExchange exchange) {
        FtpHandler gateway = exchange.removeAttachment(Exchanges.PARENT_FALLBACK);
        if (gateway == null) return false;
        gateway.handleRequest(exchange);
        return true;
    }

    /** The failure's page, audited as a revalidation that failed when the cache was revalidating. */
    void errorPage(HttpServerExchange exchange, CacheFill fill, Failure failure, String detail) {
        String resultCode = ErrorResponder.resultCodeFor(failure);
        if (fill != null) resultCode = fill.failedResultCode(failure, resultCode);
        errors.respond(exchange, failure, detail, resultCode, false);
    }

    /**
     * The origin's body read at the client's share of the bandwidth. It wraps what the client is sent (the
     * cache's tee included, which reads the origin as the client is written), so every body byte fetched for
     * this client is paid for, on this virtual thread: also a small body's, before {@link #sendSmall} hands it to
     * the IO thread. Cache hits never come here: they did not cross the WAN.
     */
    private InputStream limited(HttpServerExchange exchange, InputStream body) {
        return new LimitedInputStream(body, bandwidth, exchange.getSourceAddress().getAddress());
    }

    /** RFC 9110 §6.4.1: no content in responses to HEAD, nor in 1xx, 204 and 304 responses. */
    private static boolean mayHaveBody(String method, int status) {
        return !"HEAD".equals(method) && status >= 200 && status != 204 && status != 304;
    }

    /**
     * A small body of known length is read whole here and written by the IO thread, which then also ends
     * the exchange. Ending it on this virtual thread would make the IO thread, which may already hold the
     * client's next keep-alive request, spin until this thread is scheduled again (measured: a third of
     * the IO threads' samples under load), and the blocking streams cost allocations per exchange.
     * Nothing has been sent yet, so an origin that fails inside the body still gets a proper error page.
     */
    private void sendSmall(HttpServerExchange exchange, InputStream body, int length) {
        byte[] bytes;
        try {
            bytes = body.readNBytes(length);
            if (bytes.length < length) throw new EOFException("origin closed the connection inside the body");
        } catch (IOException e) {
            // Not the stale response (RFC 5861 §4) here: the origin's head is already on the exchange.
            bodyFailed(exchange, e);
            errorPage(exchange, exchange.getAttachment(CacheFill.KEY), bodyFailure(e), e.getMessage());
            return;
        }
        exchange.dispatch(exchange.getIoThread(), (HttpHandler) ex -> ex.getResponseSender().send(ByteBuffer.wrap(bytes)));
    }

    /** The body failed with {@code cause}: the cache's fill stops, and a failure of the ICAP service is audited {@code icap=failed}. */
    static void bodyFailed(HttpServerExchange exchange, Throwable cause) {
        if (cause instanceof IcapException) ScanStep.tag(Exchanges.record(exchange), dev.gatehouse.icap.ScanOutcome.FAILED, null);
        CacheFill fill = exchange.getAttachment(CacheFill.KEY);
        if (fill != null) fill.bodyFailed();
    }

    /**
     * What went wrong inside the origin's body: it stalled (the HTTP client's body timeout, or a socket read
     * timeout on the FTP data connection), broke its framing (a bad chunk, RFC 9112 §7.1), or ended early.
     */
    static Failure bodyFailure(Throwable e) {
        if (e instanceof IcapException icap) return icap.failure(); // the ICAP service, not the origin
        if (e instanceof BodyReadTimeoutException || e instanceof SocketTimeoutException) return Failure.UPSTREAM_TIMEOUT;
        return e instanceof MalformedResponseException ? Failure.MALFORMED_RESPONSE : Failure.UPSTREAM_CLOSED;
    }

    /** Streams {@code body} (the origin's, or the cache's tee of it) to the client. */
    private void stream(HttpServerExchange exchange, AuditRecord record, InputStream body) {
        long length = exchange.getResponseContentLength();
        if (!exchange.isBlocking() && length >= 0 && length <= SMALL_BODY) {
            sendSmall(exchange, body, (int) length);
            return;
        }
        exchange.startBlocking();
        OutputStream out = exchange.getOutputStream();
        try {
            copier.copy(body, out);
        } catch (BodyCopier.SourceFailed e) {
            // The origin died or stalled mid-body: cut the client's response off rather than end it cleanly.
            // What the origin did send goes out first (flush does not end the response): without it a short
            // body still in the output buffer is lost with the header, and the client sees no response at all.
            Failure failure = bodyFailure(e.getCause());
            bodyFailed(exchange, e.getCause());
            if (e.copied == 0 && !exchange.isResponseStarted()) {
                // The body failed at its first read, so nothing has gone out: the failure's page still can.
                errorPage(exchange, exchange.getAttachment(CacheFill.KEY), failure, e.getCause().getMessage());
                return;
            }
            record.markAborted(failure == Failure.UPSTREAM_CLOSED ? "upstream_aborted" : failure.auditName());
            try {
                out.flush();
            } catch (IOException ignored) {
                // the client is gone too
            }
            IoUtils.safeClose(exchange.getConnection());
            return;
        } catch (BodyCopier.SinkFailed e) {
            record.markAborted("client_aborted");
            CacheFill fill = exchange.getAttachment(CacheFill.KEY);
            if (fill != null) fill.clientGone(); // collapsed followers may still need the rest of the body
            return; // closing the response (the caller's) drops the upstream connection
        }
        try {
            out.close();
        } catch (IOException e) {
            record.markAborted("client_aborted");
        }
    }
}
