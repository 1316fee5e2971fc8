package dev.gatehouse.icap;

import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.http.Failure;
import dev.gatehouse.upstream.BodyStreams;
import dev.gatehouse.upstream.ResponseHead;
import dev.gatehouse.upstream.UpstreamResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scans forwarded responses with one ICAP RESPMOD service ({@code icap.respmod}), or uploads with one REQMOD service
 * ({@code icap.reqmod}, {@link #scanUpload}): learns its OPTIONS (RFC 3507
 * §4.10) at start and again after their {@code Options-TTL}, leaves out what {@code icap.skip} and
 * {@code icap.maxBodyBytes} exclude, runs a {@link RespmodExchange} for the rest, and applies {@code icap.bypass} when
 * the service fails while the origin's body is still whole. Thread-safe; its calls block, so they run on virtual
 * threads.
 */
public final class IcapClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(IcapClient.class);
    /** After the OPTIONS failed, requests in this window fail at once instead of each waiting for the service again. */
    private static final long RETRY_OPTIONS_NANOS = Duration.ofSeconds(1).toNanos();

    private final GatehouseConfig.Icap config;
    /** {@code RESPMOD}, or {@code REQMOD} for the uploads' service. */
    private final String method;
    private final URI service;
    private final String host;
    private final IcapConnectionPool pool;
    private final List<String> skipTypes;
    private final ReentrantLock optionsLock = new ReentrantLock();
    private volatile IcapOptions options;
    private IcapException optionsFailure;
    private long optionsFailedAt;

    private IcapClient(GatehouseConfig.Icap config, String url, String method) {
        this.config = config;
        this.method = method;
        this.service = GatehouseConfig.Icap.serviceUri(url);
        int port = GatehouseConfig.Icap.port(url);
        this.host = service.getHost() + ":" + port;
        String address = service.getHost().startsWith("[") ? service.getHost().substring(1, service.getHost().length() - 1) : service.getHost();
        this.pool = new IcapConnectionPool(address, port, config.timeout(), config.maxConnections());
        this.skipTypes = config.skip().contentTypes().stream().map(t -> t.strip().toLowerCase(Locale.ROOT)).toList();
    }

    /** The client for {@code config}, or null when {@code icap.respmod} is empty (scanning off). */
    public static IcapClient from(GatehouseConfig.Icap config) {
        return config.enabled() ? new IcapClient(config, config.respmod(), "RESPMOD") : null;
    }

    /**
     * The client of the uploads' REQMOD service ({@code icap.reqmod}, Squid's {@code reqmod_precache}), or null when
     * it is empty. It has its own connections; {@code bypass}, {@code timeout} and {@code maxConnections} are shared
     * settings, {@code skip} and {@code maxBodyBytes} are the downloads' only.
     */
    public static IcapClient forUploads(GatehouseConfig.Icap config) {
        return config.reqmodEnabled() ? new IcapClient(config, config.reqmod(), "REQMOD") : null;
    }

    /**
     * Asks the service for its OPTIONS on a virtual thread, so that startup does not wait for it; a service that
     * does not answer is logged, not fatal (it may start after the proxy), and asked again by the first scan.
     */
    public void start() {
        Thread.ofVirtual().name("icap-options").start(() -> {
            try {
                IcapOptions o = options();
                log.info("ICAP service {}: preview {}, Allow 204 {}, ISTag {}, Max-Connections {}", service,
                        o.preview() < 0 ? "none" : o.preview() + " bytes", o.allow204(), o.istag(),
                        o.maxConnections() == 0 ? "not given" : o.maxConnections());
            } catch (IcapException e) {
                log.warn("ICAP service {} not usable yet ({}): {}", service, e.failure().auditName(), e.getMessage());
            }
        });
    }

    /**
     * Sends {@code response}, which answers {@code request}, through the service.
     *
     * @throws IcapException if the service failed and the response cannot go unscanned (bypass off, or the body had
     *                       already gone to the service in part)
     * @throws IOException   if the origin's body failed while it was being sent to the service
     */
    public ScanResult scan(ScanRequest request, UpstreamResponse response) throws IOException {
        if (skipped(response)) return new ScanResult(response, ScanOutcome.SKIPPED, null, null);
        OriginBody origin = new OriginBody(response.body());
        return bypassable(origin, () -> RespmodExchange.run(pool, service, host, config.timeout(), options(), request, response, origin),
                e -> new ScanResult(response.withBody(origin.whole()), ScanOutcome.BYPASSED, null, e));
    }

    /**
     * Sends {@code request}, which carries {@code body} ({@code contentLength} bytes, or -1 when chunked), through the
     * REQMOD service (RFC 3507 §4.8) before it goes to its origin. Only the preview's bytes are held; the rest streams
     * from the client to the service, and what the service sends back streams on to the origin.
     *
     * @throws IcapException if the service failed and the upload cannot go unscanned (bypass off, or the body had
     *                       already gone to the service in part)
     * @throws IOException   if reading the client's body failed (it went away)
     */
    public UploadScanResult scanUpload(ScanRequest request, InputStream body, long contentLength) throws IOException {
        OriginBody upload = new OriginBody(body);
        ReqmodAdaptation reqmod = new ReqmodAdaptation(service, host, request, contentLength);
        return bypassable(upload, () -> RespmodExchange.run(pool, config.timeout(), options(), upload, reqmod),
                e -> new UploadScanResult(ScanOutcome.BYPASSED, request, upload.whole(), contentLength, null, null, e));
    }

    /** One exchange with the service, and {@code icap.bypass} when it failed while {@code body} is still whole. */
    private <T> T bypassable(OriginBody body, Exchange<T> exchange, java.util.function.Function<IcapException, T> bypassed)
            throws IOException {
        try {
            return exchange.run();
        } catch (IcapException e) {
            if (e.failure() == Failure.ICAP_UNREACHABLE) options = null; // a restarted service may say other things
            if (!config.bypass() || !body.intact()) throw e;
            return bypassed.apply(e);
        }
    }

    private interface Exchange<T> {
        T run() throws IOException;
    }

    /** Whether {@code icap.skip.contentTypes} or {@code icap.maxBodyBytes} keep the response from the service. */
    private boolean skipped(UpstreamResponse response) {
        if (skipTypes.isEmpty() && config.maxBodyBytes() == 0) return false;
        String type = field(response.headers(), "Content-Type");
        if (type != null) {
            String lower = type.strip().toLowerCase(Locale.ROOT);
            for (String skip : skipTypes) if (lower.startsWith(skip)) return true;
        }
        String length = field(response.headers(), "Content-Length");
        if (config.maxBodyBytes() > 0 && length != null) {
            try {
                return Long.parseLong(length.strip()) > config.maxBodyBytes();
            } catch (NumberFormatException e) {
                return false; // the origin's framing was checked already; a list of equal values is scanned
            }
        }
        return false;
    }

    private static String field(Map<String, List<String>> headers, String name) {
        for (Map.Entry<String, List<String>> h : headers.entrySet()) {
            if (h.getKey().equalsIgnoreCase(name) && !h.getValue().isEmpty()) return h.getValue().getFirst();
        }
        return null;
    }

    /** The service's OPTIONS, asked for when there are none yet or they expired; one caller asks, the others wait. */
    IcapOptions options() throws IcapException {
        IcapOptions o = options;
        if (o != null && !o.expired(System.nanoTime())) return o;
        optionsLock.lock();
        try {
            long now = System.nanoTime();
            o = options;
            if (o != null && !o.expired(now)) return o;
            if (optionsFailure != null && now - optionsFailedAt < RETRY_OPTIONS_NANOS) {
                throw new IcapException(optionsFailure.failure(), optionsFailure.getMessage(), optionsFailure);
            }
            try {
                o = fetchOptions();
            } catch (IcapException e) {
                optionsFailure = e;
                optionsFailedAt = now;
                throw e;
            }
            optionsFailure = null;
            pool.limit(o.maxConnections() > 0 ? Math.min(o.maxConnections(), config.maxConnections()) : config.maxConnections());
            options = o;
            return o;
        } finally {
            optionsLock.unlock();
        }
    }

    private IcapOptions fetchOptions() throws IcapException {
        IcapConnection connection = pool.acquire(true); // a failed OPTIONS fails scans for a while: no retry here
        boolean reusable = false;
        try {
            RespmodMessage.writeOptions(connection.out, service, host);
            ResponseHead head = IcapReplies.head(connection.in);
            if (head.status() != 200) {
                throw new IcapException(Failure.ICAP_ERROR, "the ICAP service answered OPTIONS with " + head.status() + " " + head.reason(), null);
            }
            IcapOptions o = IcapOptions.from(head, System.nanoTime(), method);
            if (!head.values("Encapsulated").isEmpty() && IcapReplies.encapsulated(head).containsKey("opt-body")) {
                try (InputStream body = BodyStreams.chunked(connection.in, clean -> {}, true)) {
                    body.transferTo(java.io.OutputStream.nullOutputStream()); // not used: read past it to keep the connection
                }
            }
            reusable = head.values("Connection").stream().noneMatch(v -> v.strip().equalsIgnoreCase("close"));
            return o;
        } catch (IOException e) {
            throw IcapReplies.failure(e, "answering OPTIONS");
        } finally {
            pool.release(connection, reusable);
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
