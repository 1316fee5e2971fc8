package dev.gatehouse.cache;

import dev.gatehouse.CpuTime;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * {@link CachePolicy#decide} for a fresh hit: a browser GET against a stored 200 with
 * {@code max-age=3600}, a validator and {@code Vary: Accept-Encoding}, one minute after it was stored
 * (requests and entries built with the cache tests' {@code PolicyFixtures}). {@code key} is the cache
 * key computed before the lookup.
 *
 * <pre>{@code
 * scripts/jmh CachePolicyBenchmark
 * java -jar target/gatehouse-jmh.jar CachePolicyBenchmark -f1 -wi 3 -i 5 -t1
 * }</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
public class CachePolicyBenchmark {
    private final CachePolicy policy = CachePolicy.defaults();
    private final CacheHeaders requestHeaders = PolicyFixtures.h(
            "Host", "example.com",
            "User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0",
            "Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            "Accept-Encoding", "gzip, deflate, br",
            "Accept-Language", "en-GB,en;q=0.5");
    private final CacheRequest request = PolicyFixtures.get(requestHeaders);
    private final CacheEntry stored = PolicyFixtures.stored(200, PolicyFixtures.h(
            "Cache-Control", "public, max-age=3600",
            "Content-Type", "text/html; charset=utf-8",
            "Content-Length", "5120",
            "ETag", "\"5e1c-62a1\"",
            "Last-Modified", PolicyFixtures.date(-86_400),
            "Vary", "Accept-Encoding"), requestHeaders);
    private final long now = PolicyFixtures.at(60);

    @Benchmark
    public CacheDecision decideFreshHit(CpuTime cpu) {
        return policy.decide(request, stored, now, true);
    }

    @Benchmark
    public CacheKey key(CpuTime cpu) {
        return request.key();
    }
}
