package dev.gatehouse.admin;

import dev.gatehouse.audit.AuditRecord;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

/**
 * The figures behind {@code /stats} and the dashboard, fed by every completed audit record: totals since
 * start, the last {@value #WINDOW_MINUTES} minutes in {@value #BUCKET_SECONDS}-second buckets, and bounded
 * top-N tables (clients, blocked categories, blocked hosts). No URL or user is kept, only host names and
 * client addresses, and those only in the bounded tables.
 *
 * <p>Called on the proxy's IO threads right after each record is written, so every update is a few
 * additions; thread-safe.
 */
public final class TrafficStats implements Consumer<AuditRecord> {
    static final int BUCKET_SECONDS = 10;
    static final int WINDOW_MINUTES = 15;
    /** Rows shown in each top-N table. */
    static final int TOP = 10;
    /** Keys tracked per top-N table; more than shown so that the shown ones are accurate (see {@link TopCounts}). */
    private static final int TRACKED = 200;

    private final LongSupplier clock;
    private final long startedMillis;
    private final LongAdder[] byOutcome = new LongAdder[Outcome.values().length];
    private final LongAdder[] bytesByOutcome = new LongAdder[Outcome.values().length];
    private final LongAdder bytesFromClient = new LongAdder();
    private final LongAdder blocked = new LongAdder();
    private final RateWindow window = new RateWindow(BUCKET_SECONDS, WINDOW_MINUTES * 60 / BUCKET_SECONDS);
    private final TopCounts clients = new TopCounts(TRACKED);
    private final TopCounts blockedCategories = new TopCounts(TRACKED);
    private final TopCounts blockedHosts = new TopCounts(TRACKED);

    /** @param clock epoch milliseconds ({@code System::currentTimeMillis} outside tests) */
    public TrafficStats(LongSupplier clock) {
        this.clock = clock;
        this.startedMillis = clock.getAsLong();
        for (int i = 0; i < byOutcome.length; i++) {
            byOutcome[i] = new LongAdder();
            bytesByOutcome[i] = new LongAdder();
        }
    }

    @Override
    public void accept(AuditRecord record) {
        Outcome outcome = Outcome.of(record);
        long toClient = Math.max(0, record.getBytesToClient());
        byOutcome[outcome.ordinal()].increment();
        bytesByOutcome[outcome.ordinal()].add(toClient);
        bytesFromClient.add(Math.max(0, record.getBytesFromClient()));
        boolean isBlock = isBlock(record);
        if (isBlock) {
            blocked.increment();
            List<String> categories = record.getCategories();
            if (categories.isEmpty()) blockedCategories.add("(uncategorised)", toClient);
            for (String c : categories) blockedCategories.add(c, toClient);
            String host = hostOf(record.getUrl());
            if (host != null) blockedHosts.add(host, toClient);
        }
        if (record.getClientAddress() != null && !record.getClientAddress().equals("-")) {
            clients.add(record.getClientAddress(), toClient);
        }
        window.add(clock.getAsLong(), outcome, toClient, isBlock);
    }

    /**
     * A policy block: the policy engine's decision, whatever status it answered with. A {@code redirect} is one
     * too: the request was refused, only answered with a 302 to the admin's page instead of the block page.
     */
    static boolean isBlock(AuditRecord record) {
        return "block".equalsIgnoreCase(record.getDecision()) || "redirect".equalsIgnoreCase(record.getDecision());
    }

    /** The host of an absolute URL or of a CONNECT {@code host:port}; {@code null} when there is none. */
    static String hostOf(String url) {
        if (url == null || url.startsWith("error:")) return null;
        int from = url.indexOf("://");
        from = from < 0 ? 0 : from + 3;
        int end = url.length();
        for (int i = from; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c == '/' || c == '?' || c == '#') {
                end = i;
                break;
            }
        }
        String authority = url.substring(from, end);
        int at = authority.lastIndexOf('@');
        if (at >= 0) authority = authority.substring(at + 1);
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            return close < 0 ? null : authority.substring(0, close + 1);
        }
        int colon = authority.indexOf(':');
        String host = colon < 0 ? authority : authority.substring(0, colon);
        return host.isEmpty() ? null : host.toLowerCase(Locale.ROOT);
    }

    long count(Outcome outcome) { return byOutcome[outcome.ordinal()].sum(); }

    long bytes(Outcome outcome) { return bytesByOutcome[outcome.ordinal()].sum(); }

    /** Hits over HTTP requests answered (hits and misses); tunnels, denials and errors are not cacheable and not counted. */
    public double hitRatio() {
        return ratio(count(Outcome.HIT), count(Outcome.HIT) + count(Outcome.MISS));
    }

    /** Bytes served from the cache over bytes of HTTP responses (hits and misses). */
    public double byteHitRatio() {
        return ratio(bytes(Outcome.HIT), bytes(Outcome.HIT) + bytes(Outcome.MISS));
    }

    private static double ratio(long part, long whole) {
        return whole == 0 ? 0 : (double) part / whole;
    }

    /** Everything {@code /stats} reports, now. */
    public StatsSnapshot snapshot(LiveGauges live) {
        long now = clock.getAsLong();
        long requests = 0;
        long bytesToClient = 0;
        for (Outcome o : Outcome.values()) {
            requests += count(o);
            bytesToClient += bytes(o);
        }
        StatsSnapshot.Totals totals = new StatsSnapshot.Totals(requests, count(Outcome.HIT), count(Outcome.MISS),
                count(Outcome.TUNNEL), count(Outcome.DENIED), count(Outcome.ERROR), count(Outcome.LOCAL), blocked.sum(), bytesToClient,
                bytesFromClient.sum(), bytes(Outcome.HIT), hitRatio(), byteHitRatio());
        StatsSnapshot.Now current = new StatsSnapshot.Now(live.openConnections().getAsInt(),
                live.openTunnels().getAsInt(), live.auditQueueDepth().getAsInt());
        List<RateWindow.Point> series = window.series(now);
        StatsSnapshot.Rates rates = new StatsSnapshot.Rates(BUCKET_SECONDS,
                perSecond(series, 60, now, RateWindow.Point::requests), perSecond(series, 300, now, RateWindow.Point::requests),
                perSecond(series, 60, now, RateWindow.Point::bytesToClient), perSecond(series, 60, now, RateWindow.Point::hitBytes),
                series.stream().map(p -> new StatsSnapshot.Point(p.startEpochSecond(), p.requests(), p.hits(), p.misses(),
                        p.bytesToClient(), p.hitBytes(), p.blocked())).toList());
        return new StatsSnapshot(Instant.ofEpochMilli(now).toString(), Math.max(0, (now - startedMillis) / 1000), totals,
                current, rates, top(blockedCategories), top(blockedHosts), top(clients), live.policy().get(), live.cache().get());
    }

    /**
     * The per-second rate over the last {@code seconds}: the buckets that cover them (the current one is
     * partial), divided by the time they really cover, which is shorter just after start.
     */
    private double perSecond(List<RateWindow.Point> series, int seconds, long nowMillis,
                             ToLongFunction<RateWindow.Point> figure) {
        int buckets = Math.min(series.size(), seconds / BUCKET_SECONDS + 1);
        long sum = 0;
        for (int i = series.size() - buckets; i < series.size(); i++) sum += figure.applyAsLong(series.get(i));
        long intoCurrent = nowMillis - series.get(series.size() - 1).startEpochSecond() * 1000;
        double covered = Math.min((buckets - 1) * BUCKET_SECONDS * 1000.0 + intoCurrent, nowMillis - startedMillis);
        return sum / Math.max(1.0, covered / 1000.0);
    }

    private static List<StatsSnapshot.Top> top(TopCounts counts) {
        return counts.top(TOP).stream().map(e -> new StatsSnapshot.Top(e.name(), e.count(), e.bytes())).toList();
    }
}
