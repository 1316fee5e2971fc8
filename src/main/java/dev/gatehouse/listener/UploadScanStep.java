package dev.gatehouse.listener;

import dev.gatehouse.audit.AuditRecord;
import dev.gatehouse.http.FailureException;
import dev.gatehouse.http.RequestTarget;
import dev.gatehouse.icap.IcapClient;
import dev.gatehouse.icap.IcapException;
import dev.gatehouse.icap.ScanOutcome;
import dev.gatehouse.icap.ScanRequest;
import dev.gatehouse.icap.UploadScanResult;
import dev.gatehouse.upstream.UpstreamRequest;
import dev.gatehouse.upstream.UpstreamResponse;
import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;

/**
 * The upload scan in {@link ForwardHandler} (Squid's {@code reqmod_precache}): a request with a body goes through
 * the ICAP REQMOD service before {@code UpstreamClient.send}, its body streaming from the client to the service and
 * from the service on to the origin. The service lets it through (204), sends a changed request to forward instead,
 * or answers with a response of its own, which the client gets as {@code TCP_DENIED} while the origin is never
 * contacted. A failure without {@code bypass} is the failure's page (503/500), the origin again untouched. POSTs and
 * the like are never cached, so nothing here concerns the cache.
 */
final class UploadScanStep {
    private static final Logger log = LoggerFactory.getLogger(UploadScanStep.class);

    private final IcapClient icap;
    private final OriginRelay relay;
    private final OriginRelay.HeaderCopy fields;
    private final LogInterval bypassLog = new LogInterval(Duration.ofMinutes(1));

    UploadScanStep(IcapClient icap, OriginRelay relay, OriginRelay.HeaderCopy fields) {
        this.icap = icap;
        this.relay = relay;
        this.fields = fields;
    }

    /**
     * Scans {@code request}'s body: the request to forward (the client's or the service's), or null when the client
     * was answered here (blocked, the service failed, or the client went away).
     */
    UpstreamRequest scan(HttpServerExchange exchange, UpstreamRequest request) throws IOException {
        AuditRecord record = Exchanges.record(exchange);
        UploadScanResult result;
        try {
            result = icap.scanUpload(new ScanRequest(request.method(), request.target().text(), request.headers()), request.body(),
                    request.contentLength());
        } catch (IcapException e) {
            ScanStep.tag(record, ScanOutcome.FAILED, null);
            record.setHierarchy("HIER_NONE"); // the origin was not contacted
            relay.failed(exchange, new FailureException(e.failure(), e.getMessage(), e));
            return null;
        } catch (IOException e) {
            // The client's body failed while it went to the service: the client left in the middle of its upload.
            record.setError("client_aborted");
            record.setResultCode("TCP_MISS_ABORTED");
            IoUtils.safeClose(exchange.getConnection());
            return null;
        }
        ScanStep.tag(record, result.outcome(), result.virus());
        if (result.blocked()) {
            record.setResultCode("TCP_DENIED");
            record.setHierarchy("HIER_NONE");
            try (UpstreamResponse response = result.response()) {
                relay.send(exchange, record, null, response, request.method(), fields);
            }
            return null;
        }
        if (result.outcome() == ScanOutcome.BYPASSED && bypassLog.occurred() > 0) {
            log.warn("ICAP REQMOD service failed ({}), upload(s) sent unscanned (bypass) in the last {}s; latest {}: {}",
                    result.failure().failure().auditName(), bypassLog.intervalSeconds(), record.getUrl(), result.failure().getMessage());
        }
        ScanRequest forwarded = result.request();
        RequestTarget target = forwarded.url().equals(request.target().text()) ? request.target() : RequestTarget.of(forwarded.url());
        return new UpstreamRequest(forwarded.method(), target, forwarded.headers(), result.body(), result.contentLength(),
                request.client());
    }
}
