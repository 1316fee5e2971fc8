package dev.gatehouse.app;

import dev.gatehouse.admin.AdminServer;
import dev.gatehouse.admin.LiveGauges;
import dev.gatehouse.admin.PolicyStatusView;
import dev.gatehouse.admin.ProxyMetrics;
import dev.gatehouse.admin.TrafficStats;
import dev.gatehouse.audit.AuditLog;
import dev.gatehouse.audit.SyslogMessage;
import dev.gatehouse.audit.SyslogSink;
import dev.gatehouse.cache.CacheKey;
import dev.gatehouse.cache.CachePolicy;
import dev.gatehouse.cache.HeuristicRule;
import dev.gatehouse.cache.HttpCache;
import dev.gatehouse.cache.PendingStore;
import dev.gatehouse.cache.TieredStore;
import dev.gatehouse.cache.disk.DiskStore;
import dev.gatehouse.cache.memory.MemoryStore;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.HostPort;
import dev.gatehouse.http.AddressRanges;
import dev.gatehouse.http.DestinationGuard;
import dev.gatehouse.http.ErrorPages;
import dev.gatehouse.http.PageTemplate;
import dev.gatehouse.http.ParentProxies;
import dev.gatehouse.listener.ProxyHandlers;
import dev.gatehouse.listener.ProxyServer;
import dev.gatehouse.pac.PacFile;
import dev.gatehouse.auth.AuthLoadException;
import dev.gatehouse.policy.PolicyLoadException;
import dev.gatehouse.tunnel.TunnelConnector;
import dev.gatehouse.tunnel.TunnelRegistry;
import dev.gatehouse.icap.IcapClient;
import dev.gatehouse.upstream.UpstreamClient;
import dev.gatehouse.upstream.ftp.FtpGateway;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One running proxy: the parts built from a config, started in order and stopped in reverse. */
public final class Gatehouse implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Gatehouse.class);

    private final GatehouseConfig config;
    private final AuditLog audit;
    /** The best-effort copy of the audit log to a syslog collector; null when {@code audit.syslog} is off. */
    private final SyslogSink syslog;
    private final PolicyRuntime policy;
    private final AuthRuntime auth;
    private final ExecutorService executor;
    private final TunnelRegistry tunnels;
    private final ProxyServer proxy;
    private final AdminServer admin;
    private final ProxyMetrics metrics;
    private final Cache cache;
    private final UpstreamClient upstream;
    /** The ICAP client, or null when scanning is off. */
    private final IcapClient icap;
    /** The uploads' ICAP REQMOD client, or null when {@code icap.reqmod} is off. */
    private final IcapClient reqmod;
    private final ErrorPages pages;
    private volatile boolean stopping;

    private Gatehouse(GatehouseConfig config, AuditLog audit, SyslogSink syslog, PolicyRuntime policy, AuthRuntime auth, ExecutorService executor,
                      TunnelRegistry tunnels, ProxyServer proxy, AdminServer admin, ProxyMetrics metrics, Cache cache,
                      UpstreamClient upstream, IcapClient icap, IcapClient reqmod, ErrorPages pages) {
        this.pages = pages;
        this.cache = cache;
        this.upstream = upstream;
        this.icap = icap;
        this.reqmod = reqmod;
        this.config = config;
        this.audit = audit;
        this.syslog = syslog;
        this.policy = policy;
        this.auth = auth;
        this.executor = executor;
        this.tunnels = tunnels;
        this.proxy = proxy;
        this.admin = admin;
        this.metrics = metrics;
    }

    public static Gatehouse start(GatehouseConfig config)
            throws IOException, PolicyLoadException, AuthLoadException, PageTemplate.LoadException {
        return start(config, Clock.systemUTC());
    }

    /**
     * As {@link #start(GatehouseConfig)}, with {@code cacheClock} as the time the cache computes ages and
     * freshness by (RFC 9111 §4.2): tests step it forward instead of sleeping while a response goes stale.
     */
    public static Gatehouse start(GatehouseConfig config, Clock cacheClock)
            throws IOException, PolicyLoadException, AuthLoadException, PageTemplate.LoadException {
        ErrorPages pages = pages(config); // first: nothing to close
        PolicyRuntime policy = PolicyRuntime.start(config.policy());
        AuthRuntime auth;
        try {
            auth = AuthRuntime.start(config.auth());
        } catch (IOException | AuthLoadException | RuntimeException e) {
            if (policy != null) policy.close();
            throw e;
        }
        ParentProxies parents;
        try {
            parents = ParentSetup.from(config.forwarding().parent());
        } catch (IOException e) {
            if (policy != null) policy.close();
            if (auth != null) auth.close();
            throw e;
        }
        Path dataDir = Path.of(config.dataDir());
        Files.createDirectories(dataDir);
        AuditLog audit = openAudit(config, dataDir);
        SyslogSink syslog = startSyslog(config.audit());
        ExecutorService executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("gatehouse-v", 0).factory());
        DestinationGuard guard = new DestinationGuard(AddressRanges.parse(config.destinations().allowPrivate()), List.of());
        UpstreamClient upstream = new UpstreamClient(guard, parents, config.forwarding().connectTimeout(),
                config.forwarding().responseTimeout(), config.forwarding().readTimeout(), config.forwarding().maxTries());
        TunnelRegistry tunnels = new TunnelRegistry();
        TunnelConnector connector = new TunnelConnector(guard, parents, config.tunnel().connectTimeout());
        Cache cache = config.cache().enabled() ? openCache(config.cache(), dataDir.resolve("cache"), executor, cacheClock) : null;
        IcapClient icap = IcapClient.from(config.icap());
        if (icap != null) icap.start();
        IcapClient reqmod = IcapClient.forUploads(config.icap());
        if (reqmod != null) reqmod.start();
        TrafficStats stats = new TrafficStats(System::currentTimeMillis);
        ProxyMetrics metrics = new ProxyMetrics(stats);
        // The syslog copy is fed like the statistics: on the writer thread, after the file has the line. It goes
        // first: its accept never throws, so a failing statistics observer cannot cost the copy a record.
        audit.observe(syslog == null ? stats.andThen(metrics) : syslog.andThen(stats).andThen(metrics));
        if (syslog != null) metrics.bindSyslog(syslog);
        ProxyServer proxy = null;
        try {
            proxy = ProxyServer.start(new ProxyHandlers.Parts(config, audit, policy == null ? null : policy.holder(),
                    upstream, connector, tunnels, executor, cache == null ? null : cache.http(),
                    new FtpGateway(guard, config.forwarding().connectTimeout(), config.forwarding().readTimeout()), auth == null ? null : auth.authenticator(),
                    auth == null ? null : auth.kerberos(), pages, icap, reqmod));
            guard.addOwnListener(proxy.address());
            if (proxy.tlsAddress() != null) guard.addOwnListener(proxy.tlsAddress());
            LiveGauges live = new LiveGauges(proxy::openConnections, tunnels::size, audit::queueDepth,
                    policy == null ? () -> null : new PolicyStatusView(policy.holder()),
                    cache == null ? () -> null : () -> cache.fill(config.cache()));
            metrics.bind(live);
            Gatehouse[] self = new Gatehouse[1];
            AdminServer admin = AdminServer.start(new AdminServer.Parts(config.adminAddress().toSocketAddress(),
                    config.adminAuth(), () -> self[0] != null && !self[0].stopping, metrics, stats, live, PacFile.from(config),
                    policy == null ? null : policy.holder(), policy == null ? null : () -> policy.reload("admin"),
                    auth == null ? null : () -> auth.reload("admin"),
                    url -> self[0] != null && self[0].purge(url)));
            guard.addOwnListener(admin.address());
            self[0] = new Gatehouse(config, audit, syslog, policy, auth, executor, tunnels, proxy, admin, metrics, cache, upstream, icap, reqmod, pages);
            return self[0];
        } catch (IOException | RuntimeException e) {
            if (proxy != null) proxy.close();
            upstream.close();
            if (icap != null) icap.close();
            if (reqmod != null) reqmod.close();
            metrics.close();
            audit.close();
            if (syslog != null) syslog.close();
            executor.shutdownNow();
            if (policy != null) policy.close();
            if (auth != null) auth.close();
            throw e;
        }
    }

    /**
     * Largest response written to the memory tier while it streams from the origin; larger ones (up to
     * {@code cache.memoryObjectBytes}) reach memory on their first hit, read from disk once.
     */
    private static final long WRITE_THROUGH_MAX_BYTES = 256 * 1024;

    /**
     * The shared cache: a Caffeine memory tier for small hot objects in front of the persistent disk tier
     * under {@code dir}. The disk index is rebuilt from the files found there in the background (it takes
     * seconds for 100k entries): until then the disk tier is empty and the proxy serves anyway, and a removal
     * deletes the key's files at once, so it holds even if the proxy stops before the index is ready.
     */

    private static Cache openCache(GatehouseConfig.Cache c, Path dir, ExecutorService executor, Clock clock) {
        long started = System.nanoTime();
        CompletableFuture<DiskStore> opening = CompletableFuture.supplyAsync(() -> {
            try {
                return DiskStore.open(dir, c.diskBytes(), c.maxObjectBytes(), c.minFreeDiskBytes(), executor);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, executor);
        opening.whenComplete((disk, failure) -> {
            if (failure != null) {
                log.warn("cache: the disk tier under {} could not be opened, caching in memory only: {}", dir, failure.toString());
            } else {
                log.info("cache: {} entries ({} bytes) on disk under {}, index {} in {} ms", disk.count(), disk.sizeBytes(), dir,
                        disk.indexFromSnapshot() ? "loaded from its snapshot" : "rebuilt by a scan", (System.nanoTime() - started) / 1_000_000);
            }
        });
        PendingStore disk = new PendingStore(opening, key -> DiskStore.removeFiles(dir, key));
        MemoryStore memory = new MemoryStore(c.memoryBytes(), c.memoryObjectBytes());
        List<HeuristicRule> rules = c.refreshRules().stream()
                .map(r -> new HeuristicRule(r.compiledPattern(), r.min().toMillis(), r.percent() / 100, r.max().toMillis()))
                .toList();
        CachePolicy policy = CachePolicy.withHeuristic(rules, c.heuristicFraction(), c.heuristicCap().toMillis());
        return new Cache(new HttpCache(policy, new TieredStore(memory, disk, c.memoryObjectBytes(),
                Math.min(c.memoryObjectBytes(), WRITE_THROUGH_MAX_BYTES)), clock, c.maxVariants()), memory, disk);
    }

    /** The cache, its memory tier and its disk tier (which may still be opening). */
    private record Cache(HttpCache http, MemoryStore memory, PendingStore disk) {
        /** The tiers' fill for the admin listener's {@code /stats}. */
        Map<String, Object> fill(GatehouseConfig.Cache c) {
            return Map.of("tiers", List.of(
                    Map.of("name", "memory", "bytes", memory.sizeBytes(), "maxBytes", c.memoryBytes(), "entries", memory.count()),
                    Map.of("name", "disk", "bytes", disk.sizeBytes(), "maxBytes", c.diskBytes(), "entries", disk.count())),
                    "urisInFlight", http.urisInFlight());
        }
    }

    /** Whether the cache's disk tier has finished rebuilding its index (true when the cache is off). */
    public boolean cacheReady() {
        return cache == null || cache.disk().isReady();
    }

    /**
     * Drops the stored response for {@code url} (an absolute http URL), as {@code PURGE} does; the admin
     * listener's purge endpoint calls this. False when nothing was stored or the cache is off.
     *
     * @throws IllegalArgumentException if {@code url} is not an absolute URL with a host
     */
    public boolean purge(String url) {
        return cache != null && cache.http().purge(CacheKey.of(url));
    }

    private static AuditLog openAudit(GatehouseConfig config, Path dataDir) throws IOException {
        GatehouseConfig.Audit a = config.audit();
        AuditLog.Format format = AuditLog.Format.valueOf(a.format().toUpperCase(Locale.ROOT));
        if (a.stdout()) return AuditLog.openStdout(format, a.queueCapacity());
        return AuditLog.open(new AuditLog.Options(dataDir.resolve(a.file()), format, a.rotateBytes(), a.rotateDaily(),
                a.retain(), a.queueCapacity(), Clock.systemDefaultZone()));
    }

    /** The syslog copy {@code audit.syslog} asks for, or null when it is off; its sender connects in the background. */
    private static SyslogSink startSyslog(GatehouseConfig.Audit a) {
        GatehouseConfig.Syslog s = a.syslog();
        if (!s.enabled()) return null;
        ZoneId zone = ZoneId.systemDefault(); // the audit file's local time (NCSA timestamps, rotation)
        String hostname = s.hostname().isEmpty() ? localHostName() : s.hostname();
        SyslogMessage message = new SyslogMessage(s.facilityCode(), s.severityCode(), hostname, s.appName(),
                Long.toString(ProcessHandle.current().pid()), zone);
        AuditLog.Format format = AuditLog.Format.named(s.format().isEmpty() ? a.format() : s.format());
        HostPort collector = s.address();
        SyslogSink sink = SyslogSink.start(SyslogSink.Transport.valueOf(s.transport().toUpperCase(Locale.ROOT)),
                collector.host(), collector.port(), message, format.formatter(zone), s.queueCapacity());
        log.info("audit: a copy of each record goes to syslog {} ({}.{}, {} format)", sink.target(), s.facility(),
                s.severity(), format.name().toLowerCase(Locale.ROOT));
        return sink;
    }

    /** RFC 5424 §6.2.4 prefers the FQDN; the plain host name when it cannot be found; empty if neither. */
    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getCanonicalHostName();
        } catch (UnknownHostException e) {
            String name = System.getenv("HOSTNAME");
            return name == null ? "" : name;
        }
    }

    public InetSocketAddress proxyAddress() { return proxy.address(); }

    /** The TLS proxy listener's address, or null when none is configured. */
    public InetSocketAddress tlsProxyAddress() { return proxy.tlsAddress(); }

    public InetSocketAddress adminAddress() { return admin.address(); }

    public Path auditFile() { return Path.of(config.dataDir()).resolve(config.audit().file()); }

    public int openTunnels() { return tunnels.size(); }

    /**
     * SIGHUP: reopens the audit file (after an external logrotate moved it), reloads the policy and the
     * authentication files, and re-reads the page template.
     */
    public void hangup() {
        audit.reopen();
        if (policy != null) policy.reload("SIGHUP");
        if (auth != null) auth.reload("SIGHUP");
        reloadPages("SIGHUP");
    }

    /** The pages {@code config.pages} describes, every template read (the proxy at start, and check-config). */
    static ErrorPages pages(GatehouseConfig config) throws PageTemplate.LoadException {
        GatehouseConfig.Pages pages = config.pages();
        return ErrorPages.load(config.forwarding().contact(), pages.template(), pages.templates(), pages.defaultLanguage());
    }

    /** Re-reads the page templates, all or none: one that fails to load is logged and all the running ones stay. */
    void reloadPages(String trigger) {
        if (pages.templateFiles().isEmpty()) return;
        try {
            pages.reload();
            log.info("pages: {} {} reloaded ({})", pages.templateFiles().size() == 1 ? "template" : "templates",
                    pages.templateFiles(), trigger);
        } catch (PageTemplate.LoadException e) {
            log.error("pages: {} not reloaded ({}), the running pages stay: {}",
                    pages.templateFiles().size() == 1 ? "template" : "templates", trigger, e.getMessage());
        }
    }

    /** Reloads the policy now; false if the new files were rejected (the running policy stays). */
    public boolean reloadPolicy() {
        return policy == null || policy.reload("admin").applied();
    }

    /** The running policy's version, or null when none is configured. */
    public String policyVersion() {
        return policy == null ? null : policy.holder().current().version();
    }

    /**
     * Stops in order: no new connections, in-flight exchanges drain up to {@code shutdownTimeout}, open
     * tunnels are closed, and the audit log is flushed last so every record of the drain is in it.
     */
    @Override
    public synchronized void close() {
        if (stopping) return;
        stopping = true;
        log.info("shutting down: draining in-flight exchanges for up to {}", config.shutdownTimeout());
        proxy.stopAccepting();
        if (!proxy.awaitDrain(config.shutdownTimeout().toMillis())) {
            log.warn("shutdown: exchanges still in flight after {}; closing them", config.shutdownTimeout());
        }
        tunnels.closeAll(); // tunnels are long-lived: the drain does not wait for them
        if (!proxy.awaitAuditRecords(2_000)) log.warn("shutdown: audit records still held after closing the tunnels");
        proxy.stopWorker();
        admin.close();
        upstream.close(); // idle origin connections
        if (icap != null) icap.close(); // idle ICAP connections
        if (reqmod != null) reqmod.close();
        if (cache != null) cache.disk().close(); // pending deletions of evicted files, then the index snapshot
        executor.shutdownNow();
        audit.close();
        if (syslog != null) syslog.close(); // after the file: every written record has been offered to it
        try {
            if (policy != null) policy.close();
        } catch (IOException e) {
            log.warn("closing the policy watcher: {}", e.toString());
        }
        if (auth != null) auth.close();
        metrics.close();
        log.info("stopped; {} audit records written", audit.writtenCount());
    }
}
