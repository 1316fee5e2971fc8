package dev.gatehouse.listener;

import dev.gatehouse.cache.CacheDecision;
import dev.gatehouse.cache.CacheHeaders;
import dev.gatehouse.cache.CacheKey;
import dev.gatehouse.cache.CacheRequest;
import dev.gatehouse.cache.CacheStore;
import dev.gatehouse.cache.CachingInputStream;
import dev.gatehouse.cache.HttpCache;
import dev.gatehouse.http.HopByHopHeaders;
import dev.gatehouse.http.Via;
import dev.gatehouse.upstream.UpstreamClient;
import dev.gatehouse.upstream.UpstreamException;
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
 * Revalidates a stale response that was just served under {@code stale-while-revalidate} (RFC 5861 §3),
 * off the client's exchange: one revalidation per URL at a time; a 304 refreshes the stored response
 * (RFC 9111 §4.3.4), a new storable response replaces it, and any failure leaves it as it is.
 */
final class BackgroundRevalidation {
    private static final Logger log = LoggerFactory.getLogger(BackgroundRevalidation.class);
    /** Request fields that belong to the client's exchange, not to a revalidation of the whole response. */
    private static final List<String> CLIENT_ONLY = List.of("If-None-Match", "If-Modified-Since", "If-Match",
            "If-Unmodified-Since", "If-Range", "Range", "Host", "Content-Length", "Expect", "Via");

    private final HttpCache cache;
    private final UpstreamClient upstream;
    private final Via via;
    private final Executor executor;
    private final Set<CacheKey> running = ConcurrentHashMap.newKeySet();

    BackgroundRevalidation(HttpCache cache, UpstreamClient upstream, Via via, Executor executor) {
        this.cache = cache;
        this.upstream = upstream;
        this.via = via;
        this.executor = executor;
    }

    /** Starts revalidating the response stored for {@code request}, unless that is already under way. */
    void start(CacheRequest request, boolean store) {
        CacheKey key = request.key();
        if (!running.add(key)) return;
        executor.execute(() -> {
            try {
                revalidate(new CacheRequest("GET", request.uri(), request.headers().without(CLIENT_ONLY)), store);
            } catch (UpstreamException | IOException | RuntimeException e) {
                log.debug("background revalidation of {} failed: {}", key, e.toString());
            } finally {
                running.remove(key);
            }
        });
    }

    private void revalidate(CacheRequest request, boolean store) throws UpstreamException, IOException {
        try (HttpCache.Lookup lookup = cache.lookup(request)) {
            CacheDecision.Outcome outcome = lookup.decision().outcome();
            Optional<CacheStore.StoredResponse> stored = lookup.stored();
            if (stored.isEmpty() || outcome == CacheDecision.Outcome.HIT) return; // gone, or refreshed meanwhile
            CacheHeaders conditional = cache.policy().conditionalRequest(request.headers(), stored.get().entry());
            long requestTime = cache.now();
            try (UpstreamResponse response = upstream.send(new UpstreamRequest("GET", request.uri(), upstreamFields(conditional), null, 0))) {
                long responseTime = cache.now();
                CacheHeaders headers = CacheFields.of(response.headers());
                if (response.status() == 304) {
                    cache.notModified(lookup, headers, requestTime, responseTime);
                    return;
                }
                if (!store) return;
                long length = CacheFields.contentLength(headers);
                Optional<CacheStore.Writer> writer = cache.writer(request, response.status(), headers, requestTime, responseTime, length);
                if (writer.isEmpty()) return;
                try (InputStream body = new CachingInputStream(response.body(), writer.get(), length)) {
                    body.transferTo(OutputStream.nullOutputStream());
                }
            }
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
