package dev.gatehouse.http;

import dev.gatehouse.CpuTime;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.HttpString;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The forward path's request header copy: a browser's request through a proxy (15 fields, two of them
 * named in {@code Connection}) filtered with {@link HopByHopHeaders} and given this proxy's {@link Via},
 * the way {@code listener.ForwardHandler} builds the upstream header list (that class is
 * package-private, so the loop is restated here). {@code viaLoopCheck} is the {@link Via#seenIn} test
 * every request passes first.
 *
 * <pre>{@code
 * scripts/jmh HopByHopBenchmark
 * java -jar target/gatehouse-jmh.jar HopByHopBenchmark -f1 -wi 3 -i 5 -t1
 * }</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
public class HopByHopBenchmark {
    private static final HttpString VIA = HttpString.tryFromString("Via");

    private final Via via = new Via("gatehouse-bench");
    private final HeaderMap request = new HeaderMap();

    public HopByHopBenchmark() {
        String[] fields = {
            "Host", "www.example.com",
            "User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0",
            "Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            "Accept-Language", "en-GB,en;q=0.5",
            "Accept-Encoding", "gzip, deflate, br, zstd",
            "Referer", "http://www.example.com/news/",
            "Cookie", "session=3f2a9c; theme=dark",
            "Upgrade-Insecure-Requests", "1",
            "If-None-Match", "\"5e1c-62a1\"",
            "Cache-Control", "max-age=0",
            "Proxy-Connection", "keep-alive",
            "Proxy-Authorization", "Basic YWxpY2U6c2VjcmV0",
            "Connection", "keep-alive, X-Trace",
            "X-Trace", "abc123",
            "Via", "1.1 branch-proxy",
        };
        for (int i = 0; i < fields.length; i += 2) {
            request.add(HttpString.tryFromString(fields[i]), fields[i + 1]);
        }
    }

    @Benchmark
    public List<Map.Entry<String, String>> filterAndAddVia(CpuTime cpu) {
        List<String> connection = new ArrayList<>();
        for (String name : new String[] {"Connection", "Proxy-Connection"}) {
            HeaderValues values = request.get(name);
            if (values != null) connection.addAll(values);
        }
        HopByHopHeaders hop = HopByHopHeaders.forConnectionValues(connection);
        List<Map.Entry<String, String>> out = new ArrayList<>(request.size() + 1);
        String viaValue = null;
        for (HeaderValues values : request) {
            String name = values.getHeaderName().toString();
            if (hop.isHopByHop(name)) continue;
            if (values.getHeaderName().equals(VIA)) {
                viaValue = String.join(", ", values);
                continue;
            }
            for (String value : values) out.add(Map.entry(name, value));
        }
        out.add(Map.entry("Via", via.append(viaValue)));
        return out;
    }

    @Benchmark
    public boolean viaLoopCheck(CpuTime cpu) {
        return via.seenIn(request.get(VIA));
    }
}
