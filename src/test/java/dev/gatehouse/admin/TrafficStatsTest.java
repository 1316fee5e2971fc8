package dev.gatehouse.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.audit.AuditRecord;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TrafficStatsTest {
    private static final long T0 = 1_795_424_580_000L; // a bucket boundary
    private final AtomicLong now = new AtomicLong(T0);
    private final TrafficStats stats = new TrafficStats(now::get);
    private final LiveGauges live = new LiveGauges(() -> 4, () -> 2, () -> 1);

    @Test
    void hitRatiosCountHttpAnswersOnlyNotTunnelsOrDenials() {
        stats.accept(record("TCP_MEM_HIT", "10.0.0.1", 300, null));
        stats.accept(record("TCP_MISS", "10.0.0.1", 100, null));
        stats.accept(record("TCP_REFRESH_UNMODIFIED", "10.0.0.2", 100, null));
        stats.accept(record("TCP_TUNNEL", "10.0.0.2", 10_000, null));
        stats.accept(record("TCP_DENIED", "10.0.0.3", 50, "block"));
        AuditRecord pac = record("TCP_MEM_HIT", "10.0.0.3", 900, null);
        pac.setUrl("/proxy.pac");
        stats.accept(pac);
        StatsSnapshot.Totals t = stats.snapshot(live).totals();
        assertEquals(6, t.requests());
        assertEquals(1, t.local());
        assertEquals(2, t.hits());
        assertEquals(1, t.misses());
        assertEquals(1, t.tunnels());
        assertEquals(1, t.denied());
        assertEquals(1, t.blocked());
        assertEquals(2.0 / 3, t.hitRatio(), 1e-9);
        assertEquals(400.0 / 500, t.byteHitRatio(), 1e-9);
        assertEquals(400, t.hitBytesToClient());
    }

    @Test
    void aPolicyRedirectCountsAsDeniedAndBlockedNotAsAMiss() {
        AuditRecord redirected = record("TCP_REDIRECT", "10.0.0.4", 120, "redirect");
        redirected.setUrl("http://games.example/play");
        redirected.setCategories(List.of("games"));
        stats.accept(redirected);
        StatsSnapshot s = stats.snapshot(live);
        assertEquals(0, s.totals().misses());
        assertEquals(1, s.totals().denied());
        assertEquals(1, s.totals().blocked());
        assertEquals(List.of(new StatsSnapshot.Top("games", 1, 120)), s.topBlockedCategories());
    }

    @Test
    void blocksAreCountedByCategoryAndHostAndLiveFiguresAreRead() {
        for (int i = 0; i < 3; i++) stats.accept(blocked("http://games.example/x", List.of("games")));
        stats.accept(blocked("ads.example:443", List.of("ads", "tracking")));
        stats.accept(blocked("http://[2001:db8::1]:8080/", List.of()));
        StatsSnapshot s = stats.snapshot(live);
        assertEquals(List.of(new StatsSnapshot.Top("games", 3, 0), new StatsSnapshot.Top("(uncategorised)", 1, 0),
                new StatsSnapshot.Top("ads", 1, 0), new StatsSnapshot.Top("tracking", 1, 0)), s.topBlockedCategories());
        assertEquals("games.example", s.topBlockedHosts().get(0).name());
        assertEquals(3, s.topBlockedHosts().size());
        assertEquals(new StatsSnapshot.Now(4, 2, 1), s.now());
        assertNull(s.cache());
    }

    @Test
    void seriesAndRatesFollowTheClock() {
        stats.accept(record("TCP_MISS", "10.0.0.1", 1000, null));
        now.addAndGet(25_000);
        for (int i = 0; i < 5; i++) stats.accept(record("TCP_HIT", "10.0.0.1", 100, null));
        now.addAndGet(5_000); // 30 s after start, at the start of the fourth bucket
        StatsSnapshot.Rates r = stats.snapshot(live).rates();
        List<StatsSnapshot.Point> series = r.series();
        assertEquals(90, series.size());
        assertEquals(T0 / 1000 + 30, series.get(89).t());
        assertEquals(new StatsSnapshot.Point(T0 / 1000 + 20, 5, 5, 0, 500, 500, 0), series.get(88));
        assertEquals(new StatsSnapshot.Point(T0 / 1000, 1, 0, 1, 1000, 0, 0), series.get(86));
        assertEquals(6 / 30.0, r.requestsPerSecond1m(), 1e-9); // only 30 s have passed
        assertEquals(1500 / 30.0, r.bytesToClientPerSecond1m(), 1e-9);

        now.addAndGet(15 * 60_000); // the whole window later: everything has rolled out
        StatsSnapshot s = stats.snapshot(live);
        assertTrue(s.rates().series().stream().allMatch(p -> p.requests() == 0));
        assertEquals(6, s.totals().requests());
        assertEquals(15 * 60 + 30, s.uptimeSeconds());
    }

    @Test
    void topCountsKeepBoundedMemoryAndFindTheHeavyHitter() {
        TopCounts top = new TopCounts(10);
        for (int i = 0; i < 10_000; i++) {
            top.add("scanner-" + i, 1);
            if (i % 4 == 0) top.add("heavy", 1);
        }
        assertEquals(10, top.tracked());
        assertEquals("heavy", top.top(1).get(0).name());
        assertTrue(top.top(1).get(0).count() >= 2500);
    }

    @ParameterizedTest
    @CsvSource({
            "http://Example.COM:8080/a?b, example.com",
            "example.com:443, example.com",
            "ftp://user@files.example/x, files.example",
            "http://[2001:db8::1]:80/, [2001:db8::1]",
            "error:invalid-request, ",
    })
    void hostOfUrlAndConnectTarget(String url, String host) {
        assertEquals(host, TrafficStats.hostOf(url));
    }

    private static AuditRecord record(String result, String client, long bytes, String decision) {
        AuditRecord r = new AuditRecord();
        r.setResultCode(result);
        r.setClientAddress(client);
        r.setBytesToClient(bytes);
        r.setDecision(decision);
        r.setMethod("GET");
        r.setUrl("http://origin.example/");
        return r;
    }

    private static AuditRecord blocked(String url, List<String> categories) {
        AuditRecord r = record("TCP_DENIED", "10.0.0.9", 0, "block");
        r.setUrl(url);
        r.setCategories(categories);
        return r;
    }
}
