package dev.gatehouse.listener;

import dev.gatehouse.audit.AuditRecord;
import dev.gatehouse.cache.CacheDecision;
import dev.gatehouse.cache.CacheKey;
import dev.gatehouse.cache.CacheLookup;
import dev.gatehouse.cache.CacheRequest;
import dev.gatehouse.cache.Collapser;
import dev.gatehouse.cache.HttpCache;
import dev.gatehouse.cache.QuickAbort;
import dev.gatehouse.cache.ResultCode;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.http.FailureException;
import dev.gatehouse.http.RequestTarget;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.Headers;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;

/**
 * The shared cache in the forward chain (OkHttp's {@code CacheInterceptor}): looks GET and HEAD up and
 * answers hits, the client's satisfied conditionals and {@code only-if-cached} misses itself; hands
 * misses and revalidations to {@link ForwardHandler} with a {@link CacheFill} that stores the response
 * while it streams; collapses concurrent misses of one URL, and concurrent revalidations of one stored response,
 * into one origin request whose followers are answered from it; and invalidates after unsafe methods (RFC 9111 §4.4).
 *
 * <p>The policy's cache mode is honoured: {@code bypass} neither reads nor writes the cache,
 * {@code no-store} reads but does not store (and does not collapse).
 */
final class CacheHandler implements HttpHandler {
    private static final AttachmentKey<CacheRequest> REQUEST = AttachmentKey.create(CacheRequest.class);
    private final HttpHandler next;
    private final HttpCache cache;
    private final StoredResponder responder;
    private final Collapser<CollapsedResponse> collapser = new Collapser<>();
    private final BackgroundFetch background;
    private final ErrorResponder errors;
    private final Path sharedDir;
    private final Executor executor;
    private final QuickAbort quickAbort;
    private final BodyCopier copier = new BodyCopier();

    /**
     * {@code background}: the origin fetches the cache makes by itself, or null when it makes none (FTP);
     * {@code quickAbort}: when a miss its client left is still read to the end and stored.
     */
    CacheHandler(HttpHandler next, HttpCache cache, StoredResponder responder, BackgroundFetch background,
                 ErrorResponder errors, Path sharedDir, Executor executor, QuickAbort quickAbort) {
        this.next = next;
        this.cache = cache;
        this.responder = responder;
        this.background = background;
        this.errors = errors;
        this.sharedDir = sharedDir;
        this.executor = executor;
        this.quickAbort = quickAbort;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        Decision decision = exchange.getAttachment(PolicyHandler.DECISION);
        if (decision != null && decision.cacheBypass()) {
            next.handleRequest(exchange);
            return;
        }
        CacheRequest request = exchange.getAttachment(REQUEST); // made on the IO thread before the dispatch
        if (request == null) {
            RequestTarget target = exchange.getAttachment(Exchanges.TARGET);
            request = new CacheRequest(exchange.getRequestMethod().toString(), target, CacheFields.of(exchange.getRequestHeaders()));
        }
        if (request.readsCache() && Exchanges.carriesContent(exchange)) {
            // RFC 9110 §9.3.1: content in a GET (or HEAD) has no defined meaning, and the cache key leaves it out,
            // so such a request is neither answered from the cache nor stored; nor could a revalidation be
            // repeated (§4.3.4) once its body was read.
            next.handleRequest(exchange);
            return;
        }
        if (exchange.isInIoThread()) {
            if (!answeredFromMemory(exchange, request)) {
                exchange.putAttachment(REQUEST, request); // its fields and key, for the worker thread
                exchange.dispatch(executor, this); // anything else may touch the disk or the origin
            }
            return;
        }
        AuditHold hold = Exchanges.hold(exchange); // the record waits for this thread's verdict (a follower cut off, say)
        try {
            cacheOrForward(exchange, request, decision);
        } finally {
            hold.release();
        }
    }

    private void cacheOrForward(HttpServerExchange exchange, CacheRequest request, Decision decision) throws Exception {
        if (!request.readsCache()) {
            // §4.4: invalidate once the origin's answer is known, before the client sees it, so the
            // client's next request cannot overtake the invalidation.
            exchange.addResponseCommitListener(ex ->
                    cache.invalidate(request, ex.getStatusCode(), CacheFields.of(ex.getResponseHeaders())));
            next.handleRequest(exchange);
            return;
        }
        answer(exchange, request, decision == null || !decision.noStore(), false);
    }

    /** A fresh memory hit (or a 304 from one) is answered on the IO thread, without blocking; false otherwise. */
    private boolean answeredFromMemory(HttpServerExchange exchange, CacheRequest request) {
        Optional<CacheLookup> found = cache.lookupInMemory(request);
        if (found.isEmpty()) return false;
        try (CacheLookup lookup = found.get()) {
            hit(Exchanges.record(exchange), lookup.decision().resultCode());
            if (lookup.decision().outcome() == CacheDecision.Outcome.NOT_MODIFIED) {
                responder.notModified(exchange, lookup.headers());
            } else {
                responder.sendFromMemory(exchange, request, lookup.stored().orElseThrow(), lookup.decision().ageSeconds());
            }
        }
        return true;
    }

    /**
     * Answers from the cache, or forwards. {@code followed}: this exchange followed a collapsed fetch that is over,
     * so it does not collapse again, and a hit it gets now is that fetch's doing ({@link ResultCode#TCP_CF_HIT}).
     */
    private void answer(HttpServerExchange exchange, CacheRequest request, boolean store, boolean followed) throws Exception {
        AuditRecord record = Exchanges.record(exchange);
        // Without background fetches (FTP) a stale-while-revalidate response is revalidated now, conditionally.
        CacheLookup lookup = cache.lookup(request, background != null);
        boolean collapse = store && !followed;
        boolean handedOver = false; // the responder closes the lookup when the exchange completes
        try {
            CacheDecision decision = lookup.decision();
            ResultCode hitCode = followed ? ResultCode.TCP_CF_HIT : decision.resultCode();
            switch (decision.outcome()) {
                case HIT -> {
                    hit(record, hitCode);
                    handedOver = responder.sendReleasing(exchange, request, lookup.stored().orElseThrow(), lookup.headers(), lookup);
                }
                case NOT_MODIFIED -> {
                    hit(record, hitCode);
                    responder.notModified(exchange, lookup.headers());
                }
                case UNSATISFIABLE_504 -> {
                    // RFC 9111 §5.2.1.7: only-if-cached and nothing usable stored.
                    hit(record, decision.resultCode());
                    exchange.setStatusCode(504);
                    exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, 0);
                    exchange.endExchange();
                }
                case STALE_WHILE_REVALIDATE -> {
                    hit(record, decision.resultCode());
                    background.revalidate(request, lookup.storedKey(), store);
                    handedOver = responder.sendReleasing(exchange, request, lookup.stored().orElseThrow(), lookup.headers(), lookup);
                }
                case STALE_NEEDS_REVALIDATION -> revalidate(exchange, request, lookup, store, collapse);
                case MISS -> miss(exchange, request, lookup, store, collapse && request.method().equals("GET"));
            }
        } finally {
            if (!handedOver) lookup.close();
        }
    }

    /**
     * The stored response must be validated first (RFC 9111 §4.3). Concurrent requests that would validate the same
     * stored response make one conditional request where {@link dev.gatehouse.cache.CachePolicy#mayCollapseRevalidation}
     * allows, keyed by that response: the URI's key, so a miss and a revalidation of one URI are one fetch, or a
     * variant's own (§4.1), so no variant waits for another's validation. Not collapsed without background fetches
     * (FTP, whose revalidation is the gateway's, not a conditional request).
     */
    private void revalidate(HttpServerExchange exchange, CacheRequest request, CacheLookup lookup, boolean store,
                            boolean collapse) throws Exception {
        if (collapse && background != null && cache.policy().mayCollapseRevalidation(request, lookup.stored().orElseThrow().entry())) {
            forwardCollapsed(exchange, request, lookup, store, lookup.storedKey());
        } else {
            forward(exchange, fill(request, lookup, store, null));
        }
    }

    private void miss(HttpServerExchange exchange, CacheRequest request, CacheLookup lookup, boolean store,
                      boolean collapse) throws Exception {
        if (collapse) {
            forwardCollapsed(exchange, request, lookup, store, request.key());
        } else {
            forward(exchange, fill(request, lookup, store, null));
        }
    }

    /** Leads the collapsed fetch of {@code key}, or follows the one in flight. */
    private void forwardCollapsed(HttpServerExchange exchange, CacheRequest request, CacheLookup lookup, boolean store,
                                  CacheKey key) throws Exception {
        // A fetch sent before the URI was invalidated is not joined: it brings what the invalidation dropped.
        switch (collapser.join(key, () -> !lookup.invalidatedSince())) {
            case Collapser.Leader<CollapsedResponse> leader -> forward(exchange, fill(request, lookup, store, leader));
            case Collapser.Follower<CollapsedResponse> follower -> follow(exchange, request, lookup, store, follower);
        }
    }

    /** The cache's part in forwarding after {@code lookup}; {@code leader}: this exchange's ticket for a collapsed fetch, or null. */
    private CacheFill fill(CacheRequest request, CacheLookup lookup, boolean store, Collapser.Leader<CollapsedResponse> leader) {
        return new CacheFill(cache, request, responder, lookup, store, leader, sharedDir, quickAbort, background);
    }

    /**
     * A collapsed follower: streams the leader's response if it may be shared and suits this request
     * (Vary, §4.1; freshness requirements of the request, §5.2.1), otherwise looks up or fetches again
     * without collapsing (after the leader's 304, a hit on the refreshed response). When the origin failed
     * the leader, a follower that missed gets the same error page; one holding a stale response answers with
     * it where stale-if-error allows (RFC 5861 §4), and otherwise tries for itself.
     *
     * @param lookup this request's own lookup: a miss, or the stale response it would have validated
     */
    private void follow(HttpServerExchange exchange, CacheRequest request, CacheLookup lookup, boolean store,
                        Collapser.Follower<CollapsedResponse> follower) throws Exception {
        boolean stale = lookup.decision().outcome() == CacheDecision.Outcome.STALE_NEEDS_REVALIDATION;
        CollapsedResponse leaders;
        try {
            leaders = follower.await();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof FailureException failure)) {
                leaders = CollapsedResponse.UNSHARED;
            } else if (!stale) {
                errors.respond(exchange, failure.failure(), failure.getMessage());
                return;
            } else {
                leaders = CacheFill.isError(failure.failure().status()) ? CollapsedResponse.ORIGIN_ERROR : CollapsedResponse.UNSHARED;
            }
        }
        // The leader's revalidation failed: no answer or an error it served stale, or a storable error it could not
        // (its own request did not allow stale). A follower whose stale-if-error allows its stale response answers
        // with it (RFC 5861 §4).
        boolean failed = leaders.originError() || (leaders.shared() && CacheFill.isError(leaders.entry().status()));
        if (stale && failed && answeredStale(exchange, request, lookup, store)) return;
        if (leaders.shared()) {
            CacheDecision decision = cache.policy().decide(request, leaders.entry(), cache.now(), background != null);
            Optional<InputStream> body = decision.outcome() == CacheDecision.Outcome.HIT ? leaders.body().newReader() : Optional.empty();
            if (body.isPresent()) {
                hit(Exchanges.record(exchange), ResultCode.TCP_CF_HIT);
                try (InputStream in = body.get()) {
                    responder.sendShared(exchange, request, leaders.entry(), cache.responseHeaders(leaders.entry()), in, copier);
                } catch (BodyCopier.SourceFailed e) {
                    cutOff(exchange, e);
                } catch (BodyCopier.SinkFailed e) {
                    Exchanges.record(exchange).setError("client_aborted");
                }
                return;
            }
        }
        answer(exchange, request, store, true); // the leader is done: most likely a hit now
    }

    /**
     * The leader's body failed while this follower copied it; as for the leader's own client ({@link OriginRelay}): the
     * failure's page if nothing has gone out, else what was copied goes out and the response is cut off. Never a
     * connection closed without a word, which a client takes for a keep-alive connection it may send the request on again.
     */
    private void cutOff(HttpServerExchange exchange, BodyCopier.SourceFailed e) {
        Throwable cause = e.getCause().getCause() != null ? e.getCause().getCause() : e.getCause(); // the leader's, if known
        if (e.copied == 0 && !exchange.isResponseStarted()) {
            errors.respond(exchange, OriginRelay.bodyFailure(cause), cause.getMessage());
            return;
        }
        AuditRecord record = Exchanges.record(exchange);
        record.setError("upstream_aborted");
        record.setResultCode(ResultCode.TCP_CF_HIT.name() + "_ABORTED");
        try {
            exchange.getOutputStream().flush();
        } catch (IOException ignored) {
            // the client is gone too
        }
        org.xnio.IoUtils.safeClose(exchange.getConnection());
    }

    /** The leader's revalidation failed: this follower's stale response answers if its stale-if-error allows; true if it did. */
    private boolean answeredStale(HttpServerExchange exchange, CacheRequest request, CacheLookup stale, boolean store)
            throws IOException {
        try (CacheFill own = fill(request, stale, store, null)) {
            if (!own.answeredStale(exchange)) return false;
        }
        Exchanges.record(exchange).setHierarchy("HIER_NONE"); // the leader asked the origin, not this exchange
        return true;
    }

    private void forward(HttpServerExchange exchange, CacheFill fill) throws Exception {
        exchange.putAttachment(CacheFill.KEY, fill);
        try (fill) {
            next.handleRequest(exchange);
        }
    }

    private static void hit(AuditRecord record, ResultCode code) {
        record.setResultCode(code.name());
        record.setHierarchy("HIER_NONE");
    }
}
