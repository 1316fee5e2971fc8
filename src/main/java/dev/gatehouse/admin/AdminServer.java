package dev.gatehouse.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.pac.PacFile;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.BlockingHandler;
import io.undertow.server.handlers.PathHandler;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import dev.gatehouse.policy.PolicyHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin listener, on its own address (loopback by default), never the proxy's:
 *
 * <ul>
 *   <li>{@code /healthz} (the process is up), {@code /readyz} (the proxy accepts traffic);</li>
 *   <li>{@code /proxy.pac}, {@code /wpad.dat}: the same PAC file as on the proxy listener;</li>
 *   <li>{@code /metrics}: Prometheus text; {@code /stats}: JSON ({@link StatsSnapshot});</li>
 *   <li>{@code /} and {@code /dashboard}: the live dashboard, one self-contained page polling {@code /stats}.</li>
 * </ul>
 *
 * Health and PAC are always open (probes and browsers cannot log in); the rest is behind {@link AdminAuth}
 * when credentials are configured.
 */
public final class AdminServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    /**
     * What the admin listener shows.
     *
     * @param address where to listen
     * @param auth    credentials for everything but health and PAC (empty: none)
     * @param ready   whether the proxy accepts traffic
     * @param reloadAuth re-reads the proxy-authentication files, false if they were refused; null without auth
     */
    public record Parts(InetSocketAddress address, GatehouseConfig.AdminAuth auth, BooleanSupplier ready,
                        ProxyMetrics metrics, TrafficStats stats, LiveGauges live, PacFile pac,
                        PolicyHolder policy, Supplier<PolicyHolder.ReloadResult> reloadPolicy, BooleanSupplier reloadAuth,
                        Predicate<String> purge) {}

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final Undertow server;

    private AdminServer(Undertow server) {
        this.server = server;
    }

    public static AdminServer start(Parts parts) {
        byte[] pac = parts.pac().bytes();
        byte[] dashboard = resource("dashboard.html");
        PolicyEndpoints policy = new PolicyEndpoints(parts.policy(), parts.reloadPolicy(), parts.reloadAuth());
        PathHandler open = new PathHandler()
                .addExactPath("/healthz", ex -> text(ex, 200, "ok\n"))
                .addExactPath("/readyz", ex -> {
                    if (parts.ready().getAsBoolean()) text(ex, 200, "ready\n");
                    else text(ex, 503, "not ready\n");
                })
                .addExactPath("/proxy.pac", ex -> bytes(ex, PacFile.CONTENT_TYPE, "max-age=300", pac))
                .addExactPath("/wpad.dat", ex -> bytes(ex, PacFile.CONTENT_TYPE, "max-age=300", pac));
        PathHandler guarded = new PathHandler(ex -> text(ex, 404, "not found; see /dashboard, /stats, /metrics, /explain, /reload, /purge, /healthz\n"))
                .addExactPath("/metrics", new BlockingHandler(ex -> send(ex, PROMETHEUS_TEXT, parts.metrics().scrape())))
                .addExactPath("/stats", new BlockingHandler(ex -> send(ex, "application/json",
                        JSON.writeValueAsString(parts.stats().snapshot(parts.live())))))
                .addExactPath("/reload", new BlockingHandler(policy::reload))
                .addExactPath("/purge", new BlockingHandler(new PurgeEndpoint(parts.purge())::handle))
                .addExactPath("/explain", new BlockingHandler(policy::explain))
                .addExactPath("/", ex -> bytes(ex, "text/html; charset=utf-8", "no-store", dashboard))
                .addExactPath("/dashboard", ex -> bytes(ex, "text/html; charset=utf-8", "no-store", dashboard));
        AdminAuth auth = new AdminAuth(guarded, parts.auth());
        HttpHandler root = ex -> {
            if (isOpen(ex.getRequestPath())) open.handleRequest(ex);
            else auth.handleRequest(ex);
        };
        Undertow server = Undertow.builder()
                .addHttpListener(parts.address().getPort(), parts.address().getHostString())
                .setIoThreads(1)
                .setWorkerThreads(2)
                .setHandler(root)
                .build();
        server.start();
        AdminServer admin = new AdminServer(server);
        log.info("admin listening on {} (dashboard at /, metrics at /metrics{})", admin.address(),
                auth.enabled() ? ", authentication required" : "");
        return admin;
    }

    private static boolean isOpen(String path) {
        return path.equals("/healthz") || path.equals("/readyz") || path.equals("/proxy.pac") || path.equals("/wpad.dat");
    }

    private static void text(HttpServerExchange ex, int status, String body) {
        ex.setStatusCode(status);
        send(ex, "text/plain; charset=utf-8", body);
    }

    private static void send(HttpServerExchange ex, String contentType, String body) {
        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, contentType);
        ex.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        ex.getResponseSender().send(body);
    }

    private static void bytes(HttpServerExchange ex, String contentType, String cacheControl, byte[] body) {
        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, contentType);
        ex.getResponseHeaders().put(Headers.CACHE_CONTROL, cacheControl);
        ex.getResponseHeaders().put(Headers.CONTENT_LENGTH, body.length);
        if (ex.getRequestMethod().equals(Methods.HEAD)) ex.endExchange();
        else ex.getResponseSender().send(ByteBuffer.wrap(body));
    }

    private static byte[] resource(String name) {
        try (InputStream in = AdminServer.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("missing resource " + name);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) server.getListenerInfo().get(0).getAddress();
    }

    @Override
    public void close() {
        server.stop();
    }
}
