package dev.gatehouse.listener;

import dev.gatehouse.audit.AuditRecord;
import dev.gatehouse.cache.CacheDecision;
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
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;

/**
 * The shared cache in the forward chain (OkHttp's {@code CacheInterceptor}): looks GET and HEAD up and
 * answers hits, the client's satisfied conditionals and {@code only-if-cached} misses itself; hands
 * misses and revalidations to {@link ForwardHandler} with a {@link CacheFill} that stores the response
 * while it streams; collapses concurrent misses of one URL into one origin request whose followers are
 * answered as the body arrives; and invalidates after unsafe methods (RFC 9111 §4.4).
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
        boolean store = decision == null || !decision.noStore();
        answer(exchange, request, store, store);
    }

    /** A fresh memory hit (or a 304 from one) is answered on the IO thread, without blocking; false otherwise. */
    private boolean answeredFromMemory(HttpServerExchange exchange, CacheRequest request) {
        Optional<HttpCache.Lookup> found = cache.lookupInMemory(request);
        if (found.isEmpty()) return false;
        try (HttpCache.Lookup lookup = found.get()) {
            hit(Exchanges.record(exchange), lookup.decision().resultCode());
            if (lookup.decision().outcome() == CacheDecision.Outcome.NOT_MODIFIED) {
                responder.notModified(exchange, lookup.headers());
            } else {
                responder.sendFromMemory(exchange, request, lookup.stored().orElseThrow(), lookup.decision().ageSeconds());
            }
        }
        return true;
    }

    /** Answers from the cache, or forwards; {@code collapse}: a miss may join others for the same URL. */
    private void answer(HttpServerExchange exchange, CacheRequest request, boolean store, boolean collapse) throws Exception {
        AuditRecord record = Exchanges.record(exchange);
        // Without background fetches (FTP) a stale-while-revalidate response is revalidated now, conditionally.
        HttpCache.Lookup lookup = cache.lookup(request, background != null);
        boolean handedOver = false; // the responder closes the lookup when the exchange completes
        try {
            CacheDecision decision = lookup.decision();
            switch (decision.outcome()) {
                case HIT -> {
                    hit(record, decision.resultCode());
                    handedOver = responder.sendReleasing(exchange, request, lookup.stored().orElseThrow(), lookup.headers(), lookup);
                }
                case NOT_MODIFIED -> {
                    hit(record, decision.resultCode());
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
                case STALE_NEEDS_REVALIDATION -> forward(exchange, fill(request, lookup, store, null));
                case MISS -> miss(exchange, request, lookup, store, collapse && request.method().equals("GET"));
            }
        } finally {
            if (!handedOver) lookup.close();
        }
    }

    private void miss(HttpServerExchange exchange, CacheRequest request, HttpCache.Lookup lookup, boolean store,
                      boolean collapse) throws Exception {
        if (background != null && store && request.method().equals("GET") && request.headers().has("Range")) {
            background.fillAfterRangeMiss(request, lookup); // the client's range goes upstream as asked; the next one may hit
        }
        if (!collapse) {
            forward(exchange, fill(request, lookup, store, null));
            return;
        }
        switch (collapser.join(request.key())) {
            case Collapser.Leader<CollapsedResponse> leader -> forward(exchange, fill(request, lookup, store, leader));
            case Collapser.Follower<CollapsedResponse> follower -> follow(exchange, request, store, follower);
        }
    }

    /** The cache's part in forwarding after {@code lookup}; {@code leader}: this exchange's ticket for a collapsed miss, or null. */
    private CacheFill fill(CacheRequest request, HttpCache.Lookup lookup, boolean store, Collapser.Leader<CollapsedResponse> leader) {
        BooleanSupplier followersWaiting = leader == null ? () -> false : () -> collapser.followers(request.key()) > 0;
        return new CacheFill(cache, request, responder, lookup, store, leader, followersWaiting, sharedDir, quickAbort);
    }

    /**
     * A collapsed follower: streams the leader's response if it may be shared and suits this request
     * (Vary, §4.1; freshness requirements of the request, §5.2.1), otherwise looks up or fetches again
     * without collapsing. A leader that could not reach the origin fails its followers the same way.
     */
    private void follow(HttpServerExchange exchange, CacheRequest request, boolean store,
                        Collapser.Follower<CollapsedResponse> follower) throws Exception {
        CollapsedResponse leaders;
        try {
            leaders = follower.await();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof FailureException failure) {
                errors.respond(exchange, failure.failure(), failure.getMessage());
                return;
            }
            leaders = CollapsedResponse.UNSHARED;
        }
        if (leaders.shared()) {
            CacheDecision decision = cache.policy().decide(request, leaders.entry(), cache.now(), background != null);
            Optional<InputStream> body = decision.outcome() == CacheDecision.Outcome.HIT ? leaders.body().newReader() : Optional.empty();
            if (body.isPresent()) {
                hit(Exchanges.record(exchange), ResultCode.TCP_CF_HIT);
                try (InputStream in = body.get()) {
                    responder.sendShared(exchange, leaders.entry().status(), cache.responseHeaders(leaders.entry()), in, copier);
                } catch (BodyCopier.SourceFailed e) {
                    Exchanges.record(exchange).setError("upstream_aborted");
                    Exchanges.record(exchange).setResultCode(ResultCode.TCP_CF_HIT.name() + "_ABORTED");
                    org.xnio.IoUtils.safeClose(exchange.getConnection());
                } catch (BodyCopier.SinkFailed e) {
                    Exchanges.record(exchange).setError("client_aborted");
                }
                return;
            }
        }
        answer(exchange, request, store, false); // the leader is done: most likely a hit now
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
