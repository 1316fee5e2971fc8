package dev.gatehouse.admin;

import io.undertow.Undertow;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.PathHandler;
import io.undertow.util.Headers;
import java.net.InetSocketAddress;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The admin listener: {@code /healthz} (the process is up) and {@code /readyz} (the proxy accepts traffic). */
public final class AdminServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);

    private final Undertow server;

    private AdminServer(Undertow server) {
        this.server = server;
    }

    public static AdminServer start(InetSocketAddress address, BooleanSupplier ready) {
        PathHandler paths = new PathHandler()
                .addExactPath("/healthz", ex -> text(ex, 200, "ok\n"))
                .addExactPath("/readyz", ex -> {
                    if (ready.getAsBoolean()) text(ex, 200, "ready\n");
                    else text(ex, 503, "not ready\n");
                });
        Undertow server = Undertow.builder()
                .addHttpListener(address.getPort(), address.getHostString())
                .setIoThreads(1)
                .setWorkerThreads(2)
                .setHandler(paths)
                .build();
        server.start();
        AdminServer admin = new AdminServer(server);
        log.info("admin listening on {}", admin.address());
        return admin;
    }

    private static void text(HttpServerExchange ex, int status, String body) {
        ex.setStatusCode(status);
        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
        ex.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        ex.getResponseSender().send(body);
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) server.getListenerInfo().get(0).getAddress();
    }

    @Override
    public void close() {
        server.stop();
    }
}
