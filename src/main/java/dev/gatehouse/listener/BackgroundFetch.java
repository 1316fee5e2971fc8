package dev.gatehouse.listener;

import dev.gatehouse.cache.CacheDecision;
import dev.gatehouse.cache.CacheHeaders;
import dev.gatehouse.cache.CacheKey;
import dev.gatehouse.cache.CacheLookup;
import dev.gatehouse.cache.CacheRequest;
import dev.gatehouse.cache.CacheStore;
import dev.gatehouse.cache.CachingInputStream;
import dev.gatehouse.cache.HttpCache;
import dev.gatehouse.http.HopByHopHeaders;
import dev.gatehouse.icap.IcapClient;
import dev.gatehouse.icap.ScanRequest;
import dev.gatehouse.icap.ScanResult;
import dev.gatehouse.http.Via;
import dev.gatehouse.upstream.UpstreamClient;
import dev.gatehouse.http.FailureException;
import dev.gatehouse.upstream.UpstreamRequest;
import dev.gatehouse.upstream.UpstreamResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Origin fetches the cache makes off any client's exchange, one per URL at a time, on a virtual thread:
 * <ul>
 *   <li>revalidating a stale response just served under {@code stale-while-revalidate} (RFC 5861 §3): a
 *       304 refreshes it (RFC 9111 §4.3.4), a new storable response replaces it, a failure leaves it;</li>
 *   <li>filling the whole object after the origin answered a {@code Range} in part (a miss, or a stale
 *       response's revalidation), up to {@code cache.rangeFillMaxBytes} (the Windows Update pattern: many
 *       ranges of one large file), so the next range is a hit.</li>
 * </ul>
 */
final class BackgroundFetch {
    private static final Logger log = LoggerFactory.getLogger(BackgroundFetch.class);
    /** Request fields that belong to the client's exchange, not to a revalidation of the whole response. */
    private static final List<String> CLIENT_ONLY = List.of("If-None-Match", "If-Modified-Since", "If-Match",
            "If-Unmodified-Since", "If-Range", "Range", "Host", "Content-Length", "Expect", "Via");

    private final HttpCache cache;
    private final UpstreamClient upstream;
    private final Via via;
    private final Executor executor;
    private final long rangeFillMaxBytes;
    /** Scans what is stored, as the client path does (a background fetch must not slip an unscanned copy in); or null. */
    private final IcapClient icap;
    private final Set<CacheKey> running = ConcurrentHashMap.newKeySet();

    /**
     * {@code rangeFillMaxBytes}: the largest object fetched whole after a range miss, 0 for never; {@code icap}: the
     * virus scan, or null when off.
     */
    BackgroundFetch(HttpCache cache, UpstreamClient upstream, Via via, Executor executor, long rangeFillMaxBytes, IcapClient icap) {
        this.rangeFillMaxBytes = rangeFillMaxBytes;
        this.icap = icap;
        this.cache = cache;
        this.upstream = upstream;
        this.via = via;
        this.executor = executor;
    }

    /**
     * Starts revalidating the response stored under {@code storedKey} for {@code request}, unless that is already
     * under way. Keyed by the stored response, so one variant's revalidation does not hold up another's.
     */
    void revalidate(CacheRequest request, CacheKey storedKey, boolean store) {
        run(storedKey, request, whole -> revalidateNow(whole, store));
    }

    /**
     * After the origin answered a {@code Range} of {@code request}'s URL in part (after a miss, or a stale response it
     * did not refresh): fetches the whole object to store it, if enabled and if its {@code completeLength} (from the
     * answer's {@code Content-Range}; -1 when not known) is within the limit.
     */
    void fillAfterPartial(CacheRequest request, long completeLength) {
        if (rangeFillMaxBytes > 0 && completeLength <= rangeFillMaxBytes) run(request.key(), request, this::fetchWhole);
    }

    private interface Fetch {
        void run(CacheRequest whole) throws FailureException, IOException;
    }

    /** Runs {@code fetch} for the whole-object GET of {@code request}'s URL, unless one is under way for {@code key}. */
    private void run(CacheKey key, CacheRequest request, Fetch fetch) {
        if (!running.add(key)) return;
        executor.execute(() -> {
            try {
                fetch.run(new CacheRequest("GET", request.target(), request.headers().without(CLIENT_ONLY)));
            } catch (FailureException | IOException | RuntimeException e) {
                log.debug("background fetch of {} failed: {}", key, e.toString());
            } finally {
                running.remove(key);
            }
        });
    }

    private void fetchWhole(CacheRequest request) throws FailureException, IOException {
        // Its own lookup, not the client's, which ends with the client's exchange: a lookup's claim to store what
        // is fetched after it holds only while it is open (see CacheLookup#invalidatedSince).
        try (CacheLookup looked = cache.lookup(request, true)) {
            if (looked.decision().outcome() == CacheDecision.Outcome.HIT) return; // stored meanwhile
            long requestTime = cache.now();
            try (UpstreamResponse response = upstream.send(new UpstreamRequest("GET", request.target(), upstreamFields(request.headers()), null, 0))) {
                CacheHeaders headers = CacheFields.of(response.headers());
                long length = CacheFields.contentLength(headers);
                if (length < 0 || length > rangeFillMaxBytes) return; // unknown or too large: not worth a second download
                scanAndStore(looked, request, response, requestTime);
            }
        }
    }

    private void revalidateNow(CacheRequest request, boolean store) throws FailureException, IOException {
        // The lookup only finds the entry and whether it was refreshed meanwhile. With true, an entry still in
        // its window keeps the client's outcome (under only-if-cached too, which a plain decision turns into a
        // 504); that outcome's headers are the response's, so the conditional request is made from the entry.
        try (CacheLookup lookup = cache.lookup(request, true)) {
            CacheDecision.Outcome outcome = lookup.decision().outcome();
            Optional<CacheStore.StoredResponse> stored = lookup.stored();
            if (stored.isEmpty() || outcome == CacheDecision.Outcome.HIT) return; // gone, or refreshed meanwhile
            CacheHeaders conditional = cache.policy().conditionalRequest(request.headers(), stored.get().entry());
            long requestTime = cache.now();
            try (UpstreamResponse response = upstream.send(new UpstreamRequest("GET", request.target(), upstreamFields(conditional), null, 0))) {
                CacheHeaders headers = CacheFields.of(response.headers());
                if (response.status() == 304) {
                    cache.notModified(lookup, headers, requestTime, cache.now());
                    return;
                }
                if (store) scanAndStore(lookup, request, response, requestTime);
            }
        }
    }

    /**
     * Stores {@code response} as {@link #store} does, after the ICAP service passed it when scanning is on: a
     * response it replaced, or one that went unscanned ({@code bypass}), is not stored; a failure of the service
     * leaves the cache as it was.
     */
    private void scanAndStore(CacheLookup looked, CacheRequest request, UpstreamResponse response, long requestTime)
            throws IOException {
        if (icap == null || response.status() == 204) { // a 204 has no content to scan (RFC 9110 §15.3.5)
            CacheHeaders headers = CacheFields.of(response.headers());
            store(looked, request, response, headers, requestTime, CacheFields.contentLength(headers));
            return;
        }
        ScanResult scanned = icap.scan(new ScanRequest("GET", request.target().toUri().toString(), upstreamFields(request.headers())), response);
        try (UpstreamResponse result = scanned.response()) {
            if (!scanned.storable()) return;
            CacheHeaders headers = CacheFields.of(result.headers());
            store(looked, request, result, headers, requestTime, CacheFields.contentLength(headers));
        }
    }

    /** Stores {@code response} (fetched after {@code looked}) if the cache takes it, reading its whole body into the store. */
    private void store(CacheLookup looked, CacheRequest request, UpstreamResponse response, CacheHeaders headers,
                       long requestTime, long length) throws IOException {
        Optional<CacheStore.Writer> writer = cache.writer(looked, request, response.status(), headers, requestTime, cache.now(), length);
        if (writer.isEmpty()) return;
        try (InputStream body = new CachingInputStream(response.body(), writer.get(), length)) {
            body.transferTo(OutputStream.nullOutputStream());
        }
    }

    private List<Map.Entry<String, String>> upstreamFields(CacheHeaders request) {
        HopByHopHeaders hop = HopByHopHeaders.forConnectionValues(request.all("Connection"));
        List<Map.Entry<String, String>> out = new ArrayList<>(request.size() + 1);
        request.forEach((name, value) -> {
            if (!hop.isHopByHop(name)) out.add(Map.entry(name, value));
        });
        out.add(Map.entry("Via", via.append(null)));
        return out;
    }
}
