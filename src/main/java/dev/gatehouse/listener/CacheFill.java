package dev.gatehouse.listener;

import dev.gatehouse.audit.AuditRecord;
import dev.gatehouse.cache.ByteRange;
import dev.gatehouse.cache.CacheDecision;
import dev.gatehouse.cache.CacheEntry;
import dev.gatehouse.cache.CacheHeaders;
import dev.gatehouse.cache.CacheLookup;
import dev.gatehouse.cache.CacheRequest;
import dev.gatehouse.cache.CacheStore;
import dev.gatehouse.cache.CachingInputStream;
import dev.gatehouse.cache.Collapser;
import dev.gatehouse.cache.HttpCache;
import dev.gatehouse.cache.QuickAbort;
import dev.gatehouse.cache.ResultCode;
import dev.gatehouse.cache.SharedBody;
import dev.gatehouse.http.Failure;
import dev.gatehouse.http.FailureException;
import dev.gatehouse.upstream.UpstreamResponse;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cache's part in one forwarded GET or HEAD, attached to the exchange by {@link CacheHandler} and
 * consulted by {@link ForwardHandler} at three points: before the request goes upstream (the stored
 * validators are added, RFC 9111 §4.3.1), when the response header arrives (a 304 refreshes the stored
 * response and answers from it, §4.3.3-4; a HEAD's 200 refreshes or drops it, §4.3.5; a 5xx may answer
 * with the stale one, RFC 5861 §4), and for the body (teed into the store and, for a collapsed miss or
 * revalidation, to the waiting followers while it streams). A leader tells its followers what became of
 * the fetch ({@link CollapsedResponse}) as soon as that is known.
 */
final class CacheFill implements AutoCloseable {
    static final AttachmentKey<CacheFill> KEY = AttachmentKey.create(CacheFill.class);
    private static final List<String> VALIDATORS = List.of("If-None-Match", "If-Modified-Since");

    /** What the forward path does after {@link #onResponse}. */
    enum Next {
        /** Send the origin's response (through {@link #body}). */
        FORWARD,
        /** The cache answered the client; close the origin's response. */
        ANSWERED,
        /** The 304 did not match the stored response: send the request again, without the stored validators (§4.3.4). */
        RETRY
    }

    private final HttpCache cache;
    private final CacheRequest request;
    private final StoredResponder responder;
    /** Whether the response may be stored; cleared when the ICAP service replaced it or it went unscanned. */
    private boolean store;
    private final Collapser.Leader<CollapsedResponse> leader;
    private final Path sharedDir;
    private final QuickAbort quickAbort;
    /** Fills the whole object after the origin answered a range in part; null when the cache makes no fetches (FTP). */
    private final BackgroundFetch background;
    /** The lookup that missed or found the stale response, whose findings the store needs. */
    private final CacheLookup lookup;
    /** The lookup whose stale response is being validated; null for a miss. */
    private final CacheLookup revalidating;
    /**
     * The origin's 304 did not match the stored response, so the request is being repeated without the
     * stored validators (§4.3.4). The lookup is kept: the stale response may still answer an error (RFC
     * 5861 §4), and the outcome is logged as a revalidation's.
     */
    private boolean unconditional;
    private long requestTime;
    private CachingInputStream tee;
    private SharedBody shared;

    /**
     * @param lookup       the lookup that missed, or whose stale response is validated (STALE_NEEDS_REVALIDATION)
     * @param store        whether the response may be stored (false when the policy says no-store)
     * @param leader       this exchange's ticket when it leads a collapsed miss or revalidation, else null
     * @param sharedDir    where a shared body's temporary file goes
     * @param quickAbort   when a body its client left is still read to the end and stored
     * @param background   the cache's own origin fetches, or null when it makes none
     */
    CacheFill(HttpCache cache, CacheRequest request, StoredResponder responder, CacheLookup lookup, boolean store,
              Collapser.Leader<CollapsedResponse> leader, Path sharedDir, QuickAbort quickAbort, BackgroundFetch background) {
        this.cache = cache;
        this.request = request;
        this.responder = responder;
        this.lookup = lookup;
        this.revalidating = lookup.decision().outcome() == CacheDecision.Outcome.STALE_NEEDS_REVALIDATION ? lookup : null;
        this.store = store;
        this.leader = leader;
        this.sharedDir = sharedDir;
        this.quickAbort = quickAbort;
        this.background = background;
    }

    /**
     * Called with the upstream request's fields just before it is sent: adds the stored validators, in
     * place of the client's, unless the request is being repeated unconditionally.
     */
    void beforeSend(List<Map.Entry<String, String>> upstreamHeaders) {
        requestTime = cache.now();
        if (revalidating == null || unconditional) return;
        upstreamHeaders.removeIf(h -> VALIDATORS.stream().anyMatch(h.getKey()::equalsIgnoreCase));
        for (String name : VALIDATORS) {
            String value = revalidating.headers().first(name);
            if (value != null) upstreamHeaders.add(Map.entry(name, value));
        }
    }

    /**
     * The response about to be sent is not the origin's scanned one (the ICAP service replaced it, or it went
     * unscanned): it is sent, and never stored.
     */
    void doNotStore() {
        store = false;
    }

    /** True if the request goes upstream as the cache's revalidation of a stored response (RFC 9111 §4.3.1), not a miss. */
    boolean revalidates() {
        return revalidating != null;
    }

    /** The origin could not be reached: answers with the stale response if allowed; true if it did. */
    boolean answeredFailure(HttpServerExchange exchange, FailureException failure) throws IOException {
        if (leader != null) leader.fail(failure);
        if (revalidating == null) return false;
        if (failure.failure() == Failure.FTP_NOT_FOUND) {
            // The FTP server answered: the file is gone. That is the origin's answer, not an error (RFC 5861 §4),
            // and the stored copy must not come back later as a stale answer to some other failure.
            cache.purge(request.key());
            return false;
        }
        return isError(failure.failure().status()) && answeredStale(exchange);
    }

    /**
     * The revalidation failed, here or for the leader this exchange followed: answers with the stale response
     * where stale-if-error allows (RFC 5861 §4); true if it did.
     */
    boolean answeredStale(HttpServerExchange exchange) throws IOException {
        if (revalidating == null || !cache.mayServeStaleOnError(revalidating)) return false;
        serveStale(exchange);
        return true;
    }

    /** RFC 5861 §4: an error is what would be answered with 500, 502, 503 or 504 (not, say, a refused destination). */
    static boolean isError(int status) {
        return status == 500 || status == 502 || status == 503 || status == 504;
    }

    /**
     * The result code of an error page answering an origin failure, given the code without a cache
     * ({@code TCP_MISS}, or {@code TCP_DENIED} for a refused destination, which stays): while a stored
     * response was being revalidated, a failed fetch is {@code TCP_REFRESH_FAIL_ERR}, and an FTP server's
     * "no such file" (its answer, which replaced the stored copy) is {@code TCP_REFRESH_MODIFIED}.
     */
    String failedResultCode(Failure failure, String uncached) {
        if (revalidating == null || !uncached.equals(ResultCode.TCP_MISS.name())) return uncached;
        return (failure == Failure.FTP_NOT_FOUND ? ResultCode.TCP_REFRESH_MODIFIED : ResultCode.TCP_REFRESH_FAIL_ERR).name();
    }

    /** The origin's response header arrived. */
    Next onResponse(HttpServerExchange exchange, UpstreamResponse response) throws IOException {
        if (revalidating == null) return Next.FORWARD;
        AuditRecord record = Exchanges.record(exchange);
        int status = response.status();
        if (status == 304 && !unconditional) {
            Optional<CacheEntry> merged = cache.notModified(revalidating, CacheFields.of(response.headers()), requestTime, cache.now());
            if (merged.isEmpty()) {
                unconditional = true;
                return Next.RETRY;
            }
            // Stored: followers may look the refreshed response up now, without waiting for this client's answer.
            if (leader != null) leader.publish(CollapsedResponse.UNSHARED);
            record.setResultCode(cache.policy().afterRevalidation(status).name());
            CacheStore.StoredResponse stored = revalidating.stored().orElseThrow();
            if (cache.policy().answersClientConditional(request, merged.get())) {
                responder.notModified(exchange, cache.policy().notModifiedHeaders(merged.get(), cache.now()));
            } else {
                responder.send(exchange, request, stored, cache.responseHeaders(merged.get()));
            }
            return Next.ANSWERED;
        }
        if (isError(status) && cache.mayServeStaleOnError(revalidating)) { // as for no answer at all
            if (leader != null) leader.publish(CollapsedResponse.ORIGIN_ERROR); // each follower's stale-if-error decides for it
            serveStale(exchange);
            return Next.ANSWERED;
        }
        boolean refreshed = request.method().equals("HEAD")
                && cache.headAnswered(revalidating, status, CacheFields.of(response.headers()), requestTime, cache.now());
        ResultCode code = refreshed ? ResultCode.TCP_REFRESH_UNMODIFIED // the origin's HEAD confirmed the stored GET (§4.3.5)
                : status >= 500 ? cache.policy().afterRevalidation(status) : revalidating.decision().resultCode();
        record.setResultCode(code.name());
        return Next.FORWARD;
    }

    private void serveStale(HttpServerExchange exchange) throws IOException {
        Exchanges.record(exchange).setResultCode(ResultCode.TCP_REFRESH_FAIL_OLD.name());
        CacheStore.StoredResponse stored = revalidating.stored().orElseThrow();
        responder.send(exchange, request, stored, cache.responseHeaders(stored.entry()));
    }

    /**
     * A response rule refused the origin's response: nothing is stored, and collapsed followers are told the
     * response is not theirs to share, so each fetches for itself and is decided by the rules as they apply to it
     * (a rule limited to a group may block this client and not the next).
     */
    void refused() {
        if (leader != null) leader.publish(CollapsedResponse.UNSHARED);
    }

    /**
     * The body to send the client: the origin's, teed into the store and to collapsed followers when the
     * response may be stored (RFC 9111 §3). Also marks the response {@code X-Cache: MISS}, and starts the
     * background fill of the whole object when the origin answered the client's range in part.
     */
    InputStream body(HttpServerExchange exchange, UpstreamResponse response, boolean hasBody) {
        responder.markMiss(exchange.getResponseHeaders());
        if (!store && leader == null) return response.body();
        CacheHeaders headers = CacheFields.of(response.headers());
        if (background != null && store && answeredInPart(response.status())) {
            // The client's range went upstream as asked; the next one may hit. A 206 or 416 names the whole object's
            // length (RFC 9110 §14.4): one known to be too large is not asked for whole only to be dropped after its head.
            background.fillAfterPartial(request, ByteRange.completeLength(headers.first("Content-Range")));
        }
        long length = hasBody ? CacheFields.contentLength(headers) : 0;
        long responseTime = cache.now();
        // A 204 to a GET has no content (RFC 9110 §15.3.5), so it is stored as it stands; HEAD and 304 answers are not.
        boolean noContent = response.status() == 204 && request.method().equals("GET");
        CacheStore.Writer writer = store && (hasBody || noContent)
                ? cache.writer(lookup, request, response.status(), headers, requestTime, responseTime, length).orElse(null)
                : null;
        if (writer != null && !hasBody) {
            try (CacheStore.Writer complete = writer) {
                complete.commit(); // nothing to tee
            }
            writer = null;
        }
        if (leader != null) {
            Optional<CacheEntry> entry = hasBody
                    ? cache.policy().entryFor(request, response.status(), headers, requestTime, responseTime)
                    : Optional.empty();
            shared = entry.isPresent() ? SharedBody.create(sharedDir) : null;
            leader.publish(shared == null ? CollapsedResponse.UNSHARED : new CollapsedResponse(entry.get(), shared));
        }
        if (writer == null && shared == null) return response.body();
        tee = new CachingInputStream(response.body(), writer, shared, length);
        // The fetch is over once the body is in: later requests find the entry (or fetch), not a finished flight.
        if (leader != null) tee.onComplete(leader::close);
        return tee;
    }

    /**
     * Whether the origin answered this GET's {@code Range} without sending the whole object it has: a part (206),
     * a 304 to the client's own conditional, or 416 (RFC 9110 §14). A 200 is the whole object, stored from this
     * very answer, so fetching it again would only download it twice.
     */
    private boolean answeredInPart(int status) {
        return request.method().equals("GET") && request.headers().has("Range") && (status == 206 || status == 304 || status == 416);
    }

    /**
     * The client went away mid-body. The rest is still read from the origin, into the store and to collapsed
     * followers, when others follow this fetch (so they are not cut off with it) or when the download is
     * nearly done ({@link QuickAbort}: the next client gets a hit instead of a second download). It is given up
     * only once the fetch takes no more followers: one that joined between the count and the end would be cut off.
     */
    void clientGone() {
        if (tee == null) return;
        byte[] buffer = new byte[8192];
        try {
            // For the store alone, only while it still takes the body: one of unknown length may never end.
            while (followed() || tee.worthFinishing(quickAbort) || shared != null && leader.stopTakingFollowers()) {
                if (tee.read(buffer) < 0) return;
            }
        } catch (IOException e) {
            // the origin failed too: the followers see that failure
        }
    }

    private boolean followed() {
        return shared != null && leader.followers() > 0;
    }

    /**
     * The origin's body failed. The fetch stops taking followers now, not when this exchange ends: its client
     * may already have the error and ask again, and that request must start a fetch of its own rather than
     * join this failed one and be cut off with it.
     */
    void bodyFailed() {
        if (leader != null) leader.close();
    }

    /** Ends the exchange's part: an unfinished tee is aborted, followers still reading see the end or a failure. */
    @Override
    public void close() {
        if (tee != null) {
            try {
                tee.close();
            } catch (IOException ignored) {
                // the origin's connection is dropped anyway
            }
        }
        if (shared != null) shared.close();
        if (leader != null) leader.close();
    }
}
