package dev.gatehouse.listener;

import dev.gatehouse.audit.AuditRecord;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.http.AddressRange;
import dev.gatehouse.http.Failure;
import io.undertow.UndertowOptions;
import io.undertow.server.protocol.http.HttpOpenListener;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.ChannelListener;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.Xnio;
import org.xnio.XnioWorker;
import org.xnio.channels.AcceptingChannel;

/**
 * The proxy listener: an XNIO acceptor feeding Undertow's HTTP/1.1 parser, with a {@link ConnectionTap}
 * under every connection. Built by hand rather than with {@code Undertow.builder()} because the tap must
 * sit beneath the parser to see (and audit) requests the parser rejects.
 */
public final class ProxyServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ProxyServer.class);

    private final XnioWorker worker;
    private final AcceptingChannel<StreamConnection> acceptor;
    private final ProxyHandlers.Chain chain;
    private final Map<Object, ConnectionTap> taps;
    private final TlsListener tls;

    private ProxyServer(XnioWorker worker, AcceptingChannel<StreamConnection> acceptor, ProxyHandlers.Chain chain,
                        Map<Object, ConnectionTap> taps, TlsListener tls) {
        this.worker = worker;
        this.acceptor = acceptor;
        this.chain = chain;
        this.taps = taps;
        this.tls = tls;
    }

    /** Binds the listener (and the TLS listener when {@code tls.listen} is set) and starts accepting. */
    public static ProxyServer start(ProxyHandlers.Parts parts) throws IOException {
        GatehouseConfig config = parts.config();
        GatehouseConfig.Limits limits = config.limits();
        Map<Object, ConnectionTap> taps = new ConcurrentHashMap<>();
        ProxyHandlers.Chain chain = ProxyHandlers.chain(parts, taps);

        int ioThreads = Math.max(2, Runtime.getRuntime().availableProcessors());
        XnioWorker worker = Xnio.getInstance(ProxyServer.class.getClassLoader()).createWorker(OptionMap.builder()
                .set(Options.WORKER_IO_THREADS, ioThreads)
                .set(Options.WORKER_TASK_CORE_THREADS, 2) // blocking work runs on virtual threads, not here
                .set(Options.WORKER_TASK_MAX_THREADS, 4)
                .set(Options.WORKER_NAME, "gatehouse")
                .set(Options.TCP_NODELAY, true)
                .getMap());

        OptionMap undertowOptions = OptionMap.builder()
                // Undertow's own caps sit above ours so that our handler answers 431/414 with a page;
                // beyond them Undertow answers 400 itself (audited through the tap).
                .set(UndertowOptions.MAX_HEADER_SIZE, limits.maxHeaderBytes() * 2 + limits.maxUrlLength())
                .set(UndertowOptions.MAX_HEADERS, limits.maxHeaderCount() * 2)
                .set(UndertowOptions.MAX_ENTITY_SIZE, limits.maxRequestBodyBytes()) // 2.4's default is 2 MiB
                .set(UndertowOptions.REQUEST_PARSE_TIMEOUT, (int) limits.headerReadTimeout().toMillis())
                .set(UndertowOptions.NO_REQUEST_TIMEOUT, (int) limits.keepAliveTimeout().toMillis())
                .set(UndertowOptions.DECODE_URL, false)
                .set(UndertowOptions.ALLOW_ENCODED_SLASH, true)
                .set(UndertowOptions.ENABLE_HTTP2, false)
                .set(UndertowOptions.ALWAYS_SET_KEEP_ALIVE, false)
                .set(UndertowOptions.MAX_PARAMETERS, 10_000) // query strings are forwarded, never parsed by us
                .getMap();
        // Bounded, and without thread-local caches: forwarding runs on virtual threads, thousands of them,
        // and a per-thread cache would strand buffers on each one.
        SlotBufferPool pool = new SlotBufferPool(true, 16 * 1024, 256);
        HttpOpenListener http = new HttpOpenListener(pool, undertowOptions);
        http.setRootHandler(chain.root());

        AuditTrail trail = chain.trail();
        // Sent by the tap in place of Undertow's bare 400: the page of every other failure.
        byte[] rejection = chain.errors().withoutExchange(Failure.BAD_REQUEST,
                "a malformed request line or header field, ambiguous message framing (RFC 9112 §6.3), or a header"
                        + " section larger than this proxy accepts");
        ChannelListener<StreamConnection> tapped = connection -> {
            ConnectionTap tap = ConnectionTap.install(connection, unparsed -> trail.complete(unparsedRecord(unparsed)), rejection);
            taps.put(connection, tap);
            connection.getCloseSetter().set(c -> {
                taps.remove(c);
                tap.connectionClosed();
            });
            http.handleEvent(connection);
        };
        InetSocketAddress address = config.listenAddress().toSocketAddress();
        OptionMap socketOptions = OptionMap.builder()
                .set(Options.REUSE_ADDRESSES, true)
                .set(Options.BACKLOG, 1024)
                .set(Options.TCP_NODELAY, true)
                .set(Options.CONNECTION_HIGH_WATER, limits.maxClientConnections())
                .set(Options.CONNECTION_LOW_WATER, Math.max(1, limits.maxClientConnections() * 9 / 10))
                .getMap();
        AcceptingChannel<StreamConnection> acceptor = worker.createStreamConnectionServer(address,
                ChannelListeners.openListenerAdapter(tapped), socketOptions);
        TlsListener tls = null;
        try {
            // The same tapped listener: one chain, one audit trail, one graceful shutdown for both.
            if (config.tls().enabled()) tls = TlsListener.open(config.tls(), worker, tapped, socketOptions);
        } catch (IOException | RuntimeException e) {
            IoUtils.safeClose(acceptor);
            worker.shutdownNow();
            throw e;
        }
        acceptor.resumeAccepts();
        ProxyServer server = new ProxyServer(worker, acceptor, chain, taps, tls);
        log.info("proxy listening on {}", server.address());
        if (tls != null) log.info("proxy listening on {} (TLS)", tls.address());
        return server;
    }

    /** A request the parser rejected, one that ended mid-header or a failed TLS handshake, logged as Squid does. */
    private static AuditRecord unparsedRecord(ConnectionTap.Unparsed u) {
        AuditRecord r = new AuditRecord();
        r.setRequestId("-");
        r.setStartEpochMillis(System.currentTimeMillis());
        r.setClientAddress(u.client() == null ? "-" : AddressRange.text(u.client().getAddress()));
        r.setStatus(u.status());
        r.setBytesFromClient(u.bytesIn());
        r.setBytesToClient(u.bytesOut());
        r.setResultCode("NONE_NONE");
        r.setHierarchy("HIER_NONE");
        r.setUrl("error:" + u.error().replace('_', '-'));
        r.setError(u.error());
        return r;
    }

    public InetSocketAddress address() {
        return acceptor.getLocalAddress(InetSocketAddress.class);
    }

    /** The TLS listener's address, or null when {@code tls.listen} is not set. */
    public InetSocketAddress tlsAddress() {
        return tls == null ? null : tls.address();
    }

    /** Client connections open now (each has a tap until it closes). */
    public int openConnections() {
        return taps.size();
    }

    /** Stops accepting connections; requests arriving on kept-alive connections get 503 from now on. */
    public void stopAccepting() {
        IoUtils.safeClose(acceptor);
        if (tls != null) tls.stopAccepting();
        chain.shutdown().shutdown();
    }

    /** Waits up to {@code timeoutMillis} for in-flight exchanges; true if they all finished. */
    public boolean awaitDrain(long timeoutMillis) {
        try {
            return chain.shutdown().awaitShutdown(timeoutMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Waits up to {@code timeoutMillis} until every audit record still held (a forwarding thread finishing
     * its record after its exchange ended, a tunnel closing) has been handed to the audit log.
     */
    public boolean awaitAuditRecords(long timeoutMillis) {
        try {
            return chain.trail().awaitReleased(timeoutMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Closes every connection and stops the IO threads. */
    public void stopWorker() {
        worker.shutdown();
        try {
            if (!worker.awaitTermination(2, TimeUnit.SECONDS)) worker.shutdownNow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            worker.shutdownNow();
        }
    }

    @Override
    public void close() {
        stopAccepting();
        stopWorker();
    }
}
