package dev.gatehouse.tunnel;

import dev.gatehouse.http.AddressRange;
import dev.gatehouse.http.DestinationGuard;
import dev.gatehouse.http.Failure;
import dev.gatehouse.http.FailureException;
import dev.gatehouse.http.ParentProxies;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.xnio.IoFuture;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.XnioExecutor;
import org.xnio.XnioIoThread;

/**
 * Opens the upstream side of a tunnel: resolves the host and vets each address with the
 * {@link DestinationGuard}, then connects without blocking on the client's IO thread, so both halves of the
 * splice live on one thread and no thread waits for the handshake: the outcome arrives as an IO-thread
 * callback, the connect timeout is a timer on that thread.
 */
public final class TunnelConnector {
    private static final OptionMap OPTIONS = OptionMap.create(Options.TCP_NODELAY, true);

    private final DestinationGuard guard;
    private final ParentProxies parents;
    private final Duration connectTimeout;

    /** How a connect ends; called once, on the IO thread the connect was started on, unless it was called off ({@link PendingUpstream}). */
    public interface Outcome {
        void connected(StreamConnection upstream);

        /** CONNECT_REFUSED or CONNECT_TIMEOUT, for the last address tried. */
        void failed(FailureException failure);
    }

    public TunnelConnector(DestinationGuard guard, Duration connectTimeout) {
        this(guard, ParentProxies.NONE, connectTimeout);
    }

    /** @param parents the parent proxies tunnels go through (see {@link ParentTunnels}) */
    public TunnelConnector(DestinationGuard guard, ParentProxies parents, Duration connectTimeout) {
        this.guard = guard;
        this.parents = parents;
        this.connectTimeout = connectTimeout;
    }

    public ParentProxies parents() {
        return parents;
    }

    /** Whether {@link #resolve} needs DNS (and so blocks): false for an IP literal. */
    public static boolean needsLookup(TunnelTarget target) {
        return AddressRange.literalBytes(target.host()) == null;
    }

    /**
     * The addresses of {@code target} the guard allows, in resolver order. Blocks on DNS unless
     * {@link #needsLookup} says otherwise.
     *
     * @throws FailureException DNS_FAILURE or DESTINATION_DENIED
     */
    public List<InetAddress> resolve(TunnelTarget target) throws FailureException {
        return guard.resolve(target.host(), target.port());
    }

    /**
     * Connects to the first of {@code addresses} that answers within the timeout, trying each in turn.
     * Call it on {@code ioThread}; {@code pending} calls it off (no outcome then).
     */
    public void connect(XnioIoThread ioThread, List<InetAddress> addresses, int port, PendingUpstream pending, Outcome outcome) {
        attempt(ioThread, addresses, 0, port, pending, outcome);
    }

    private void attempt(XnioIoThread ioThread, List<InetAddress> addresses, int index, int port, PendingUpstream pending,
                         Outcome outcome) {
        InetSocketAddress address = new InetSocketAddress(addresses.get(index), port);
        IoFuture<StreamConnection> future = ioThread.openStreamConnection(address, null, OPTIONS);
        // Cancelling closes the half-open socket, and the notifier sees CANCELLED.
        XnioExecutor.Key timer = ioThread.executeAfter(future::cancel, connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
        pending.onCancel(future::cancel);
        future.addNotifier((f, ignored) -> {
            timer.remove();
            if (pending.cancelled()) {
                IoUtils.safeClose(f); // called off: a connection that got through regardless is not left open
                return;
            }
            StreamConnection upstream;
            try {
                upstream = result(f, address);
            } catch (FailureException e) {
                if (index + 1 < addresses.size()) attempt(ioThread, addresses, index + 1, port, pending, outcome);
                else outcome.failed(e);
                return;
            }
            outcome.connected(upstream);
        }, null);
    }

    private static StreamConnection result(IoFuture<? extends StreamConnection> future, InetSocketAddress address)
            throws FailureException {
        String where = address.getAddress().getHostAddress() + ":" + address.getPort();
        switch (future.getStatus()) {
            case DONE:
                try {
                    return future.get();
                } catch (IOException e) {
                    throw new FailureException(Failure.CONNECT_REFUSED, "connect to " + where + " failed", e);
                }
            case FAILED:
                IOException e = future.getException();
                throw new FailureException(Failure.CONNECT_REFUSED,
                        "connect to " + where + " failed: " + e.getMessage(), e);
            default:
                throw new FailureException(Failure.CONNECT_TIMEOUT, "connect to " + where + " timed out", null);
        }
    }
}
