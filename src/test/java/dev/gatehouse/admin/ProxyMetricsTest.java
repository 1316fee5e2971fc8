package dev.gatehouse.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gatehouse.audit.AuditRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The per-access series of {@link ProxyMetrics}: which labels a record counts under, and only series that happened. */
class ProxyMetricsTest {
    private final ProxyMetrics metrics = new ProxyMetrics(new TrafficStats(System::currentTimeMillis));

    @AfterEach
    void close() {
        metrics.close();
    }

    @Test
    void countsEachAccessByResultMethodAndStatusClass() {
        metrics.accept(record("TCP_MISS", "GET", 200));
        metrics.accept(record("TCP_MISS", "GET", 200));
        metrics.accept(record("TCP_MISS", "GET", 404));
        metrics.accept(record("TCP_MEM_HIT", "HEAD", 304));
        metrics.accept(record("TCP_MISS", "FOO", 500));
        metrics.accept(record("TCP_MISS", "PATCH", 100));
        metrics.accept(record("TCP_MISS", "CONNECT", 599));
        metrics.accept(record("NONE_NONE", null, 0));
        metrics.accept(record("TCP_MISS", "GET", 99));
        metrics.accept(record("TCP_MISS", "GET", 600));
        metrics.accept(record(null, "GET", 200));
        metrics.accept(record("", "GET", 200));
        metrics.accept(record("bad code", "GET", 200));
        metrics.accept(record("none", "GET", 200));

        assertEquals(new TreeSet<>(List.of(
                "proxy_requests_total{method=\"GET\",result=\"TCP_MISS\",status_class=\"2xx\"} 2.0",
                "proxy_requests_total{method=\"GET\",result=\"TCP_MISS\",status_class=\"4xx\"} 1.0",
                "proxy_requests_total{method=\"HEAD\",result=\"TCP_MEM_HIT\",status_class=\"3xx\"} 1.0",
                "proxy_requests_total{method=\"OTHER\",result=\"TCP_MISS\",status_class=\"5xx\"} 1.0",
                "proxy_requests_total{method=\"PATCH\",result=\"TCP_MISS\",status_class=\"1xx\"} 1.0",
                "proxy_requests_total{method=\"CONNECT\",result=\"TCP_MISS\",status_class=\"5xx\"} 1.0",
                "proxy_requests_total{method=\"NONE\",result=\"NONE_NONE\",status_class=\"none\"} 1.0",
                "proxy_requests_total{method=\"GET\",result=\"TCP_MISS\",status_class=\"none\"} 2.0",
                "proxy_requests_total{method=\"GET\",result=\"none\",status_class=\"2xx\"} 2.0",
                "proxy_requests_total{method=\"GET\",result=\"other\",status_class=\"2xx\"} 2.0")),
                series("proxy_requests_total{"));
    }

    @Test
    void resultCodesPastTheFirst64CountAsOther() {
        for (int i = 0; i < 70; i++) {
            metrics.accept(record("TCP_" + (char) ('A' + i / 26) + (char) ('A' + i % 26), "GET", 200));
        }
        metrics.accept(record("TCP_AA", "GET", 200));
        metrics.accept(record("TCP_ZZ", "GET", 200));

        Set<String> series = series("proxy_requests_total{");
        assertEquals(65, series.size(), series::toString);
        assertEquals(Set.of("proxy_requests_total{method=\"GET\",result=\"TCP_AA\",status_class=\"2xx\"} 2.0",
                "proxy_requests_total{method=\"GET\",result=\"other\",status_class=\"2xx\"} 7.0"),
                series.stream().filter(s -> s.contains("TCP_AA") || s.contains("other")).collect(Collectors.toSet()));
    }

    @Test
    void countsBytesByDirectionAndOutcomeOnlyForOutcomesThatHappened() {
        AuditRecord miss = record("TCP_MISS", "GET", 200);
        miss.setBytesToClient(1000);
        miss.setBytesFromClient(80);
        AuditRecord hit = record("TCP_MEM_HIT", "GET", 200);
        hit.setBytesToClient(300);
        hit.setBytesFromClient(-5);
        metrics.accept(miss);
        metrics.accept(miss);
        metrics.accept(hit);

        assertEquals(new TreeSet<>(List.of(
                "proxy_bytes_total{direction=\"from_client\",outcome=\"hit\"} 0.0",
                "proxy_bytes_total{direction=\"from_client\",outcome=\"miss\"} 160.0",
                "proxy_bytes_total{direction=\"to_client\",outcome=\"hit\"} 300.0",
                "proxy_bytes_total{direction=\"to_client\",outcome=\"miss\"} 2000.0")),
                series("proxy_bytes_total{"));
    }

    @Test
    void threadsThatMeetANewSeriesLoseNoCount() throws Exception {
        int threads = 4;
        int each = 5000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> running = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            running.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                for (int i = 0; i < each; i++) metrics.accept(record("TCP_MISS", "GET", 200));
            }));
        }
        start.countDown();
        for (Thread t : running) t.join();

        assertEquals(Set.of("proxy_requests_total{method=\"GET\",result=\"TCP_MISS\",status_class=\"2xx\"} 20000.0"),
                series("proxy_requests_total{"));
    }

    private Set<String> series(String prefix) {
        return metrics.scrape().lines().filter(l -> l.startsWith(prefix)).collect(Collectors.toCollection(TreeSet::new));
    }

    private static AuditRecord record(String result, String method, int status) {
        AuditRecord r = new AuditRecord();
        r.setResultCode(result);
        r.setMethod(method);
        r.setStatus(status);
        r.setUrl("http://origin.test/x");
        return r;
    }
}
