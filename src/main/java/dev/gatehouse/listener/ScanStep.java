package dev.gatehouse.listener;

import dev.gatehouse.audit.AuditRecord;
import dev.gatehouse.http.FailureException;
import dev.gatehouse.http.HopByHopHeaders;
import dev.gatehouse.icap.IcapClient;
import dev.gatehouse.icap.IcapException;
import dev.gatehouse.icap.ScanOutcome;
import dev.gatehouse.icap.ScanRequest;
import dev.gatehouse.icap.ScanResult;
import dev.gatehouse.upstream.UpstreamResponse;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The virus scan in {@link OriginRelay}: an origin's response with a body goes through the ICAP service before the
 * cache's {@link CacheFill} sees it, so the cache stores the scanned response and hits are not scanned again (Squid's
 * {@code respmod_precache}). A response the service replaced, or one that went unscanned because the service failed
 * ({@code bypass}), is sent but not stored. A failure without bypass is the failure's page (503/500), answered and
 * audited as an origin failure is, stale-if-error included: the stored copy was scanned when it was stored.
 */
final class ScanStep {
    private static final Logger log = LoggerFactory.getLogger(ScanStep.class);

    private final IcapClient icap;
    private final OriginRelay relay;
    private final LogInterval bypassLog = new LogInterval(Duration.ofMinutes(1));

    ScanStep(IcapClient icap, OriginRelay relay) {
        this.icap = icap;
        this.relay = relay;
    }

    /** Scans {@code response} (the caller closes it) and sends what the client is to get. */
    void send(HttpServerExchange exchange, AuditRecord record, CacheFill fill, UpstreamResponse response, String method,
              OriginRelay.HeaderCopy headers) throws IOException {
        ScanResult result;
        try {
            result = icap.scan(request(exchange, method, record), response);
        } catch (IcapException e) {
            tag(record, ScanOutcome.FAILED, null);
            relay.failed(exchange, new FailureException(e.failure(), e.getMessage(), e));
            return;
        } catch (IOException e) {
            // The origin's body failed while its preview was read: the origin's failure, nothing sent yet.
            OriginRelay.bodyFailed(exchange, e);
            relay.errorPage(exchange, fill, OriginRelay.bodyFailure(e), e.getMessage());
            return;
        }
        tag(record, result.outcome(), result.virus());
        if (result.outcome() == ScanOutcome.BYPASSED) {
            long times = bypassLog.occurred();
            if (times > 0) {
                log.warn("ICAP service failed ({}), {} response(s) sent unscanned (bypass) in the last {}s; latest {}: {}",
                        result.failure().failure().auditName(), times, bypassLog.intervalSeconds(), record.getUrl(),
                        result.failure().getMessage());
            }
        }
        if (!result.storable() && fill != null) fill.doNotStore();
        try (UpstreamResponse scanned = result.response()) {
            relay.send(exchange, record, fill, scanned, method, headers);
        }
    }

    /** The client's request as the service is shown it: end-to-end fields only, so no proxy credentials. */
    private static ScanRequest request(HttpServerExchange exchange, String method, AuditRecord record) {
        HeaderValues connection = exchange.getRequestHeaders().get(Headers.CONNECTION);
        HopByHopHeaders hop = HopByHopHeaders.forConnectionValues(connection == null ? List.of() : connection);
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        for (HeaderValues values : exchange.getRequestHeaders()) {
            String name = values.getHeaderName().toString();
            if (hop.isHopByHop(name)) continue;
            for (String value : values) fields.add(Map.entry(name, value));
        }
        return new ScanRequest(method, record.getUrl(), fields);
    }

    /** Marks the access {@code icap=<outcome>}, and {@code virus=<name>} when the service named one (JSON audit's tags). */
    static void tag(AuditRecord record, ScanOutcome outcome, String virus) {
        List<String> tags = new ArrayList<>(record.getTags().size() + 2);
        for (String t : record.getTags()) if (!t.startsWith("icap=")) tags.add(t);
        tags.add(outcome.tag());
        if (virus != null) tags.add("virus=" + virus);
        record.setTags(tags);
    }
}
