package dev.gatehouse.listener;

import dev.gatehouse.audit.AuditRecord;
import dev.gatehouse.bandwidth.BandwidthLimits;
import dev.gatehouse.http.AddressRange;
import dev.gatehouse.http.Failure;
import dev.gatehouse.http.ParentProxies;
import dev.gatehouse.tunnel.ParentTunnels;
import dev.gatehouse.tunnel.PendingUpstream;
import dev.gatehouse.tunnel.Splice;
import dev.gatehouse.tunnel.TunnelConnector;
import dev.gatehouse.http.FailureException;
import dev.gatehouse.tunnel.TunnelRegistry;
import dev.gatehouse.tunnel.TunnelTarget;
import io.undertow.connector.ByteBufferPool;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.SameThreadExecutor;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.XnioIoThread;
import org.xnio.conduits.StreamSinkConduit;

/**
 * CONNECT (RFC 9110 §9.3.6): checks the port and the destination (DNS off the IO thread), opens the
 * upstream connection from the IO thread without blocking one, answers 200 and hands both connections to
 * a {@link Splice}. A client that leaves while the upstream side is being opened calls it off ({@link ClientWatch}).
 * The audit record is written when the tunnel closes, with its whole lifetime and the bytes relayed each way.
 */
final class ConnectHandler implements HttpHandler {
    private final Set<Integer> allowedPorts;
    private final TunnelConnector connector;
    private final ParentTunnels parents;
    private final TunnelRegistry registry;
    private final Duration idleTimeout;
    private final ErrorResponder errors;
    private final Executor executor;
    /** Limits on what tunnels download and upload. */
    private final BandwidthLimits bandwidth;
    /**
     * The tunnels' relay buffers: 64 KiB, four times the listener's, so a bulk transfer takes a quarter of the
     * reads and writes; a tunnel holds them only while bytes move (see {@link Splice}).
     */
    private final ByteBufferPool relayBuffers = new SlotBufferPool(true, 64 * 1024, 128);

    ConnectHandler(Set<Integer> allowedPorts, TunnelConnector connector, TunnelRegistry registry, Duration idleTimeout,
                   Duration parentReplyTimeout, ErrorResponder errors, BandwidthLimits bandwidth, Executor executor) {
        this.allowedPorts = Set.copyOf(allowedPorts);
        this.connector = connector;
        this.parents = new ParentTunnels(connector.parents(), connector, parentReplyTimeout);
        this.registry = registry;
        this.idleTimeout = idleTimeout;
        this.errors = errors;
        this.executor = executor;
        this.bandwidth = bandwidth;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        AuditRecord record = Exchanges.record(exchange);
        if (Exchanges.carriesContent(exchange)) {
            // RFC 9110 §9.3.6: a CONNECT request has no content. With framing fields its next bytes could be
            // read as a body to drop or as the tunnel's first bytes; refused rather than guessed at.
            errors.respondAndClose(exchange, Failure.BAD_REQUEST, "a CONNECT request has no content (RFC 9110 §9.3.6)");
            return;
        }
        TunnelTarget target = TunnelTarget.parse(exchange.getRequestURI());
        if (target == null) {
            errors.respondAndClose(exchange, Failure.BAD_REQUEST, "CONNECT needs host:port");
            return;
        }
        if (!allowedPorts.contains(target.port())) {
            errors.respond(exchange, Failure.PORT_DENIED, "port " + target.port() + " is not in destinations.connectPorts");
            return;
        }
        ParentProxies.Route route = parents.route(target, exchange.getSourceAddress().getAddress());
        if (!route.isEmpty()) {
            viaParents(exchange, record, target, route);
            return;
        }
        direct(exchange, record, target);
    }

    /** The tunnel straight to {@code target}. */
    private void direct(HttpServerExchange exchange, AuditRecord record, TunnelTarget target) {
        record.setHierarchy("HIER_DIRECT");
        XnioIoThread ioThread = exchange.getIoThread();
        if (TunnelConnector.needsLookup(target)) {
            // DNS blocks: resolve on a virtual thread, then connect from the IO thread.
            exchange.dispatch(executor, (HttpHandler) ex -> {
                List<InetAddress> addresses = resolve(ex, record, target);
                if (addresses != null) ex.dispatch(ioThread, () -> connect(ex, record, target, addresses));
            });
            return;
        }
        // An IP literal needs no lookup: vet it here, connect once this handler returns, no thread hand-off.
        List<InetAddress> addresses = resolve(exchange, record, target);
        if (addresses == null) return;
        Executor here = Thread.currentThread() == ioThread ? SameThreadExecutor.INSTANCE : ioThread;
        exchange.dispatch(here, () -> connect(exchange, record, target, addresses));
    }

    /**
     * The tunnel through the first parent of {@code route} that can be reached, which resolves the target's name
     * itself. A target named by an address, in any notation ({@link AddressRange#namesAnAddress}), is vetted as for a
     * direct tunnel, so a parent is no way around the guard.
     */
    private void viaParents(HttpServerExchange exchange, AuditRecord record, TunnelTarget target, ParentProxies.Route route) {
        XnioIoThread ioThread = exchange.getIoThread();
        exchange.dispatch(executor, (HttpHandler) ex -> {
            // Off the IO thread: a hex form the JDK cannot read as an address is looked up (and refused).
            if (AddressRange.namesAnAddress(target.host()) && resolve(ex, record, target) == null) return;
            List<ParentTunnels.Resolved> resolved = parents.resolve(route); // the parents' names: DNS blocks
            ex.dispatch(ioThread, () -> connectViaParents(ex, record, target, resolved));
        });
    }

    /** Asks the parents in turn, on the IO thread, and finishes the exchange there once one answers or none can. */
    private void connectViaParents(HttpServerExchange exchange, AuditRecord record, TunnelTarget target,
                                   List<ParentTunnels.Resolved> resolved) {
        PendingUpstream pending = new PendingUpstream();
        ClientWatch watch = ClientWatch.start(exchange, () -> clientLeft(exchange, record, pending));
        parents.connect(exchange.getIoThread(), resolved, target, pending, new ParentTunnels.Outcome() {
            @Override
            public void connected(StreamConnection upstream, ParentTunnels.Resolved parent) {
                opened(exchange, record, watch, upstream, parent);
            }

            @Override
            public void failed(FailureException failure) {
                watch.stop();
                if (failure.failure() == Failure.PARENT_UNREACHABLE && parents.fallbackDirect()) {
                    direct(exchange, record, target);
                    return;
                }
                // The parent that answered (refused, timed out, spoke no HTTP); none for PARENT_UNREACHABLE.
                if (failure.parent() != null) Exchanges.reachedParent(record, failure.parent(), failure.hierarchy());
                else record.setHierarchy("HIER_NONE");
                errors.respond(exchange, failure.failure(), failure.getMessage());
            }
        });
    }

    /** The allowed addresses of {@code target}, or null after answering with the failure. */
    private List<InetAddress> resolve(HttpServerExchange exchange, AuditRecord record, TunnelTarget target) {
        try {
            return connector.resolve(target);
        } catch (FailureException e) {
            record.setHierarchy("HIER_NONE");
            errors.respond(exchange, e.failure(), e.getMessage());
            return null;
        }
    }

    /**
     * Connects on the IO thread and finishes the exchange there when the connect does. The exchange was
     * dispatched with a plain task, so Undertow leaves it open until it is ended here.
     */
    private void connect(HttpServerExchange exchange, AuditRecord record, TunnelTarget target, List<InetAddress> addresses) {
        PendingUpstream pending = new PendingUpstream();
        ClientWatch watch = ClientWatch.start(exchange, () -> clientLeft(exchange, record, pending));
        connector.connect(exchange.getIoThread(), addresses, target.port(), pending, new TunnelConnector.Outcome() {
            @Override
            public void connected(StreamConnection upstream) {
                opened(exchange, record, watch, upstream, null);
            }

            @Override
            public void failed(FailureException failure) {
                watch.stop();
                errors.respond(exchange, failure.failure(), failure.getMessage());
            }
        });
    }

    /** The upstream side is open: the watch ends, and the 200 goes out. */
    private void opened(HttpServerExchange exchange, AuditRecord record, ClientWatch watch, StreamConnection upstream,
                        ParentTunnels.Resolved parent) {
        watch.stop();
        established(exchange, record, upstream, parent);
        exchange.endExchange(); // writes the 200; the upgrade then starts the splice
    }

    /**
     * The client left while the tunnel's upstream side was being opened: that is called off (the connect, or the
     * parent's CONNECT), and the access is recorded as {@link #established} records a client that leaves before its
     * 200: a tunnel cut off before it began (TCP_TUNNEL_ABORTED/000, client_aborted), with the parent if one was reached.
     */
    private static void clientLeft(HttpServerExchange exchange, AuditRecord record, PendingUpstream pending) {
        pending.cancel();
        if (pending.parent() != null) reachedParent(record, pending.parent());
        record.setResultCode("TCP_TUNNEL");
        record.markAborted("client_aborted");
        IoUtils.safeClose(exchange.getConnection()); // ends the exchange, which writes the record
    }

    private static void reachedParent(AuditRecord record, ParentTunnels.Resolved parent) {
        Exchanges.reachedParent(record, parent.parent().host(), parent.hierarchy());
    }

    /** The tunnel is open, to its target or ({@code parent} not null) through that parent. */
    private void established(HttpServerExchange exchange, AuditRecord record, StreamConnection upstream, ParentTunnels.Resolved parent) {
        if (parent != null) reachedParent(record, parent);
        else record.setUpstreamAddress(AddressRange.text(((java.net.InetSocketAddress) upstream.getPeerAddress()).getAddress()));
        record.setResultCode("TCP_TUNNEL");
        // The record stays open for the tunnel's lifetime: released when the splice closes.
        AuditHold hold = Exchanges.hold(exchange);
        ConnectionTap tap = exchange.getAttachment(Exchanges.TAP);
        if (tap != null) tap.tunnelled();
        InetAddress clientAddress = exchange.getSourceAddress().getAddress(); // whose share a limited tunnel downloads
        AtomicBoolean upgraded = new AtomicBoolean();
        exchange.getConnection().addCloseListener(connection -> {
            // The client left before the 200 was written: the tunnel never started.
            if (upgraded.compareAndSet(false, true)) {
                IoUtils.safeClose(upstream);
                record.setError("client_aborted");
                hold.release();
            }
        });
        exchange.acceptConnectRequest((client, ex) -> {
            if (!upgraded.compareAndSet(false, true)) {
                IoUtils.safeClose(client, upstream);
                return;
            }
            Splice.start(client, upstream, relayBuffers, idleTimeout, bandwidth, clientAddress, registry::opened, s -> {
                registry.closed(s);
                // The tap's count, not the splice's: the splice also relays the bytes the parser had read ahead
                // behind the CONNECT head, which the tap already gave the exchange.
                long[] bytes = tap == null ? new long[] {s.bytesFromClient(), s.bytesToClient()} : tap.sinceLastBoundary();
                record.setBytesFromClient(record.getBytesFromClient() + bytes[0]);
                record.setBytesToClient(record.getBytesToClient() + bytes[1]);
                switch (s.closeReason()) {
                    case "eof" -> { }
                    case "closed" -> record.setError("client_aborted");
                    case "idle_timeout", "shutdown" -> record.setError(s.closeReason());
                    default -> record.setError("tunnel_error");
                }
                hold.release();
            });

        });
        exchange.setStatusCode(200);
        exchange.setReasonPhrase("Connection established");
        // The connection becomes the tunnel whatever the version: Undertow would close an HTTP/1.0 one.
        exchange.setPersistent(true);
        // RFC 9110 §9.3.6: no Content-Length or Transfer-Encoding in a 2xx to CONNECT. An explicit length of 0
        // keeps Undertow from choosing a framing of its own; it is taken out again once the response conduit
        // exists, before the head is written.
        exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, 0);
        exchange.addResponseWrapper((factory, ex) -> {
            StreamSinkConduit conduit = factory.create();
            ex.getResponseHeaders().remove(Headers.CONTENT_LENGTH);
            return conduit;
        });
    }
}
