package dev.gatehouse.tunnel;

import dev.gatehouse.http.FailureException;
import dev.gatehouse.http.DestinationGuard;
import dev.gatehouse.http.Failure;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.xnio.IoFuture;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.XnioIoThread;

/**
 * Opens the upstream side of a tunnel: resolves the host (blocking, so call it off the IO thread),
 * vets each address with the {@link DestinationGuard}, and connects with a timeout on the client's IO
 * thread, so both halves of the splice live on one thread.
 */
public final class TunnelConnector {
    private final DestinationGuard guard;
    private final Duration connectTimeout;

    public TunnelConnector(DestinationGuard guard, Duration connectTimeout) {
        this.guard = guard;
        this.connectTimeout = connectTimeout;
    }

    /** Connects to the first reachable allowed address of {@code target}. */
    public StreamConnection connect(XnioIoThread ioThread, TunnelTarget target) throws FailureException {
        FailureException last = null;
        for (InetAddress address : guard.resolve(target.host(), target.port())) {
            try {
                return connect(ioThread, new InetSocketAddress(address, target.port()));
            } catch (FailureException e) {
                last = e;
            }
        }
        throw last;
    }

    private StreamConnection connect(XnioIoThread ioThread, InetSocketAddress address) throws FailureException {
        IoFuture<StreamConnection> future = ioThread.openStreamConnection(address, null,
                OptionMap.create(Options.TCP_NODELAY, true));
        IoFuture.Status status = future.await(connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
        String where = address.getAddress().getHostAddress() + ":" + address.getPort();
        switch (status) {
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
                future.cancel();
                throw new FailureException(Failure.CONNECT_TIMEOUT, "connect to " + where + " timed out", null);
        }
    }
}
