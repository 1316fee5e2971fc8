package dev.gatehouse.admin;

import dev.gatehouse.audit.AuditRecord;
import dev.gatehouse.audit.SyslogSink;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.IntSupplier;
import java.util.regex.Pattern;

/**
 * Prometheus metrics, fed by every completed audit record (so they count exactly what the audit log
 * shows) plus gauges read at scrape time. Names follow Prometheus conventions, standard units:
 *
 * <ul>
 *   <li>{@code proxy_requests_total{result,method,status_class}}: accesses by Squid result code;</li>
 *   <li>{@code proxy_bytes_total{direction="to_client|from_client",outcome}}: byte hit ratio is
 *       {@code outcome="hit"} over {@code hit+miss} to clients, and the hit bytes are the bandwidth saved;</li>
 *   <li>{@code proxy_request_duration_seconds{outcome}}: histogram of the whole access (for a miss, mostly
 *       the upstream's latency; for a tunnel, its lifetime);</li>
 *   <li>{@code proxy_blocks_total{category,rule}}: policy blocks (redirects included: the rule label tells them apart);</li>
 *   <li>{@code proxy_errors_total{error}}: failures by name ({@code dns_failure}, {@code upstream_timeout}, …);</li>
 *   <li>gauges {@code proxy_connections_active}, {@code proxy_tunnels_active}, {@code proxy_audit_queue_depth},
 *       {@code proxy_cache_hit_ratio}, {@code proxy_cache_byte_hit_ratio}, {@code proxy_policy_reload_ok},
 *       {@code proxy_policy_rules}; and the JVM's own;</li>
 *   <li>with {@code audit.syslog} on, {@link #bindSyslog the syslog copy's} sent and dropped counters.</li>
 * </ul>
 *
 * <p>No URL, host or user is ever a label: each distinct label value is a time series kept forever. Every
 * label comes from a closed set or from the configuration, and configured ones (category, rule) are capped
 * by {@link BoundedLabels} all the same.
 */
public final class ProxyMetrics implements Consumer<AuditRecord>, AutoCloseable {
    /** Latency buckets: from a memory hit to a slow origin. */
    private static final Duration[] BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
            Duration.ofSeconds(30), Duration.ofSeconds(60)};

    /** The {@code method} label values: {@link #METHODS_BY_NAME}, then {@code OTHER} and {@code NONE}. */
    private static final String[] METHODS = {"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE",
            "PATCH", "OTHER", "NONE"};
    private static final int OTHER_METHOD = 9;
    private static final int NO_METHOD = 10;
    /** Methods labelled by name, to their index in {@link #METHODS}; any other token a client sends is {@code OTHER}. */
    private static final Map<String, Integer> METHODS_BY_NAME = Map.of("GET", 0, "HEAD", 1, "POST", 2, "PUT", 3,
            "DELETE", 4, "CONNECT", 5, "OPTIONS", 6, "TRACE", 7, "PATCH", 8);
    /** The {@code status_class} label values; {@code none} for a status outside 100-599 (0: nothing was sent). */
    private static final String[] STATUS_CLASSES = {"none", "1xx", "2xx", "3xx", "4xx", "5xx"};

    private final PrometheusMeterRegistry registry;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final Map<Outcome, Timer> durations = new EnumMap<>(Outcome.class);

    /*
     * The per-access counters are found by index, not by a key object per access (building and hashing a
     * labels record, and the lambda for computeIfAbsent, showed in the hit-path profile); each is still
     * registered only when first counted, so a series that never happened is not exported.
     */
    /** {@code proxy_requests_total} by result label: result codes that {@link #resultCodes} let through as they are. */
    private final Map<String, LazyCounters> requests = new ConcurrentHashMap<>();
    private final LazyCounters noResultRequests = requestCounters("none");
    private final LazyCounters otherResultRequests = requestCounters("other");
    private final LazyCounters bytesToClient = bytesCounters("to_client");
    private final LazyCounters bytesFromClient = bytesCounters("from_client");
    private final BoundedLabels resultCodes = new BoundedLabels(64, "[A-Z][A-Z_]{0,39}");
    private final BoundedLabels errors = new BoundedLabels(64, "[a-z][a-z0-9_]{0,39}");
    private final BoundedLabels categories = new BoundedLabels(256, "[A-Za-z0-9._-]{1,64}");
    private final BoundedLabels rules = new BoundedLabels(256, "[A-Za-z0-9._:-]{1,64}");

    public ProxyMetrics(TrafficStats stats) {
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        for (Outcome o : Outcome.values()) {
            durations.put(o, Timer.builder("proxy.request.duration")
                    .description("Duration of each access, from request to the end of the response (tunnels: their lifetime)")
                    .tag("outcome", o.label())
                    .serviceLevelObjectives(BUCKETS)
                    .register(registry));
        }
        Gauge.builder("proxy.cache.hit.ratio", stats, TrafficStats::hitRatio)
                .description("Cache hits over HTTP requests answered, since start").register(registry);
        Gauge.builder("proxy.cache.byte.hit.ratio", stats, TrafficStats::byteHitRatio)
                .description("Bytes served from the cache over HTTP response bytes, since start").register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        gc.bindTo(registry);
    }

    /** Registers the gauges read at scrape time; called once the proxy listener exists. */
    public void bind(LiveGauges live) {
        gauge("proxy.connections.active", "Client connections open on the proxy listener", live.openConnections());
        gauge("proxy.tunnels.active", "CONNECT tunnels open", live.openTunnels());
        gauge("proxy.audit.queue.depth", "Audit records waiting for the writer", live.auditQueueDepth());
        Gauge.builder("proxy.policy.reload.ok", live, l -> {
            StatsSnapshot.PolicyStatus p = l.policy().get();
            return p == null ? Double.NaN : p.lastReloadApplied() ? 1 : 0;
        }).description("1 if the last policy reload was applied, 0 if it failed and the previous policy is still live")
                .strongReference(true).register(registry);
        Gauge.builder("proxy.policy.rules", live, l -> {
            StatsSnapshot.PolicyStatus p = l.policy().get();
            return p == null ? Double.NaN : p.rules();
        }).description("Rules in the live policy").strongReference(true).register(registry);
    }

    /**
     * The syslog copy's figures (only when {@code audit.syslog} is on): {@code proxy_audit_syslog_sent_total},
     * {@code proxy_audit_syslog_dropped_total} (records the collector never got; the file has them),
     * {@code proxy_audit_syslog_queue_depth} and {@code proxy_audit_syslog_connected}.
     */
    public void bindSyslog(SyslogSink syslog) {
        FunctionCounter.builder("proxy.audit.syslog.sent", syslog, SyslogSink::sentCount)
                .description("Audit records sent to the syslog collector").register(registry);
        FunctionCounter.builder("proxy.audit.syslog.dropped", syslog, SyslogSink::droppedCount)
                .description("Audit records not sent to the syslog collector (its queue was full); the audit file has them")
                .register(registry);
        gauge("proxy.audit.syslog.queue.depth", "Audit records waiting for the syslog sender", syslog::queueDepth);
        gauge("proxy.audit.syslog.connected", "1 while a connection to the syslog collector is open",
                () -> syslog.connected() ? 1 : 0);
    }

    private void gauge(String name, String description, IntSupplier value) {
        Gauge.builder(name, value, v -> v.getAsInt()).description(description).strongReference(true).register(registry);
    }

    @Override
    public void accept(AuditRecord record) {
        Outcome outcome = Outcome.of(record);
        requestCounters(record).increment(method(record.getMethod()) * STATUS_CLASSES.length
                + statusClass(record.getStatus()));
        bytesToClient.increment(outcome.ordinal(), Math.max(0, record.getBytesToClient()));
        bytesFromClient.increment(outcome.ordinal(), Math.max(0, record.getBytesFromClient()));
        durations.get(outcome).record(Math.max(0, record.getDurationMillis()), TimeUnit.MILLISECONDS);
        if (record.getError() != null) {
            Counter.builder("proxy.errors").description("Failed accesses by failure name")
                    .tag("error", errors.of(record.getError())).register(registry).increment();
        }
        if (TrafficStats.isBlock(record)) {
            String rule = rules.of(record.getRule());
            List<String> cats = record.getCategories().isEmpty() ? List.of("none") : record.getCategories();
            for (String c : cats) {
                Counter.builder("proxy.blocks").description("Policy blocks by category and rule (one per category of the destination)")
                        .tags("category", categories.of(c), "rule", rule).register(registry).increment();
            }
        }
    }

    /** The record's {@code proxy_requests_total} counters, by method and status class. */
    private LazyCounters requestCounters(AuditRecord record) {
        String code = record.getResultCode();
        LazyCounters known = code == null ? null : requests.get(code);
        if (known != null) return known;
        String label = resultCodes.of(code);
        if (!label.equals(code)) return label.equals("none") ? noResultRequests : otherResultRequests;
        return requests.computeIfAbsent(label, this::requestCounters);
    }

    private LazyCounters requestCounters(String result) {
        return new LazyCounters(METHODS.length * STATUS_CLASSES.length, i -> Counter.builder("proxy.requests")
                .description("Accesses, by Squid result code, method and status class")
                .tags("result", result, "method", METHODS[i / STATUS_CLASSES.length],
                        "status_class", STATUS_CLASSES[i % STATUS_CLASSES.length])
                .register(registry));
    }

    private LazyCounters bytesCounters(String direction) {
        Outcome[] outcomes = Outcome.values();
        return new LazyCounters(outcomes.length, i -> Counter.builder("proxy.bytes").baseUnit("bytes")
                .description("Bytes exchanged with clients, headers included")
                .tags("direction", direction, "outcome", outcomes[i].label())
                .register(registry));
    }

    private static int method(String method) {
        if (method == null) return NO_METHOD;
        Integer known = METHODS_BY_NAME.get(method);
        return known == null ? OTHER_METHOD : known;
    }

    private static int statusClass(int status) {
        return status < 100 || status > 599 ? 0 : status / 100;
    }

    /** The Prometheus text exposition (format 0.0.4). */
    public String scrape() {
        return registry.scrape();
    }

    /** The registry, for binders that other parts (the cache) add. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }

    /**
     * Counters of one metric, one per index, each registered on its first increment. Threads that race
     * to register one get the same meter from the registry, so no count is lost.
     */
    private static final class LazyCounters {
        private final AtomicReferenceArray<Counter> counters;
        private final IntFunction<Counter> register;

        LazyCounters(int size, IntFunction<Counter> register) {
            this.counters = new AtomicReferenceArray<>(size);
            this.register = register;
        }

        void increment(int index) {
            increment(index, 1);
        }

        void increment(int index, double amount) {
            Counter counter = counters.get(index);
            if (counter == null) {
                counter = register.apply(index);
                counters.set(index, counter);
            }
            counter.increment(amount);
        }
    }

    /** Label values of one label, at most {@code max} distinct ones; the rest, and malformed ones, become {@code other}. */
    static final class BoundedLabels {
        private final int max;
        private final Pattern shape;
        private final Set<String> seen = ConcurrentHashMap.newKeySet();

        BoundedLabels(int max, String shape) {
            this.max = max;
            this.shape = Pattern.compile(shape);
        }

        String of(String value) {
            if (value == null || value.isEmpty()) return "none";
            if (seen.contains(value)) return value;
            if (!shape.matcher(value).matches() || seen.size() >= max) return "other";
            seen.add(value);
            return value;
        }
    }
}
