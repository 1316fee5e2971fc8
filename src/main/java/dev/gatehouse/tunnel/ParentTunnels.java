package dev.gatehouse.tunnel;

import dev.gatehouse.http.FailureException;
import dev.gatehouse.http.ParentProxies;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.xnio.StreamConnection;
import org.xnio.XnioIoThread;

/**
 * Opens the upstream side of a tunnel through the parent proxies: the first parent that accepts a connection
 * is asked to open the tunnel ({@link ParentConnect}); one that does not, or that accepts and closes without a byte of
 * answer to CONNECT, is passed over for a while ({@link ParentProxies#failed}) and the next one asked, as requests are
 * ({@code UpstreamClient}): nothing of the client's has been sent before the 200. The origin's name is never resolved
 * here; the parent resolves it.
 */
public final class ParentTunnels {
    private final ParentProxies parents;
    private final TunnelConnector connector;
    private final Duration replyTimeout;

    /** How the attempt ends; called once, on the IO thread it was started on, unless it was called off ({@link PendingUpstream}). */
    public interface Outcome {
        void connected(StreamConnection upstream, Resolved parent);

        /**
         * PARENT_UNREACHABLE when no parent accepted a connection (the caller may then go direct, see
         * {@link ParentProxies#fallbackDirect}); otherwise what the parent that was reached answered, with its
         * hierarchy code ({@link FailureException#hierarchy}).
         */
        void failed(FailureException failure);
    }

    /**
     * A parent and its addresses, looked up before the IO thread takes over, and the Squid hierarchy code its tunnel
     * is audited with ({@link ParentProxies.Route#hierarchy}).
     */
    public record Resolved(ParentProxies.Parent parent, List<InetAddress> addresses, String hierarchy) {}

    /** @param replyTimeout how long a parent may take to answer CONNECT (it connects to the origin meanwhile) */
    public ParentTunnels(ParentProxies parents, TunnelConnector connector, Duration replyTimeout) {
        this.parents = parents;
        this.connector = connector;
        this.replyTimeout = replyTimeout;
    }

    /** The parents to try for {@code target} from {@code client}, in order ({@link ParentProxies#route}); empty: go direct. */
    public ParentProxies.Route route(TunnelTarget target, InetAddress client) {
        return parents.route(target.host(), client);
    }

    /** Whether a tunnel may go direct when no parent can be reached. */
    public boolean fallbackDirect() {
        return parents.fallbackDirect();
    }

    /**
     * Looks up each parent's addresses (blocking: call it off the IO thread). A parent whose name does not
     * resolve has none, and is then passed over like one that refuses connections.
     */
    public List<Resolved> resolve(ParentProxies.Route route) {
        List<Resolved> out = new ArrayList<>(route.parents().size());
        for (ParentProxies.Parent p : route.parents()) {
            out.add(new Resolved(p, ParentProxies.addressesOf(p), route.hierarchy(p)));
        }
        return out;
    }

    /** Tries each of {@code resolved} (not empty) in turn; call it on {@code ioThread}. {@code pending} calls it off. */
    public void connect(XnioIoThread ioThread, List<Resolved> resolved, TunnelTarget target, PendingUpstream pending, Outcome outcome) {
        ParentProxies.Attempt attempt = parents.attempt();
        attempt(ioThread, resolved, 0, target, attempt, pending, outcome, null);
    }

    /** @param unanswered the failure of the parent tried last, when it closed without answering; null otherwise */
    private void attempt(XnioIoThread ioThread, List<Resolved> resolved, int index, TunnelTarget target,
                         ParentProxies.Attempt attempt, PendingUpstream pending, Outcome outcome, FailureException unanswered) {
        if (index == resolved.size()) {
            // As for requests: the last parent tried closed without answering (502), unless the tunnel may go direct;
            // or none could be connected to (PARENT_UNREACHABLE, which fallbackDirect turns into a direct tunnel).
            outcome.failed(unanswered != null && !parents.fallbackDirect() ? unanswered : attempt.failure(null));
            return;
        }
        Resolved hop = resolved.get(index);
        ParentProxies.Parent parent = hop.parent();
        if (hop.addresses().isEmpty()) {
            attempt.cannotResolve(parent);
            attempt(ioThread, resolved, index + 1, target, attempt, pending, outcome, null);
            return;
        }
        connector.connect(ioThread, hop.addresses(), parent.port(), pending, new TunnelConnector.Outcome() {
            @Override
            public void connected(StreamConnection upstream) {
                parents.reached(parent);
                pending.asking(hop);
                ParentConnect.start(upstream, parent, target, parents.proxyAuthorization(), replyTimeout, pending, new ParentConnect.Outcome() {
                    @Override
                    public void established(StreamConnection tunnel) {
                        outcome.connected(tunnel, hop);
                    }

                    @Override
                    public void failed(FailureException failure, boolean unanswered) {
                        if (!unanswered) {
                            outcome.failed(failure.atParent(hop.hierarchy()));
                            return;
                        }
                        // Passed over like one that refuses: a parent that takes connections and drops them fails them all.
                        attempt.unreachable(parent, failure.getMessage());
                        pending.asking(null);
                        attempt(ioThread, resolved, index + 1, target, attempt, pending, outcome, failure.atParent(hop.hierarchy()));
                    }
                });
            }

            @Override
            public void failed(FailureException failure) {
                attempt.unreachable(parent, failure.getMessage());
                attempt(ioThread, resolved, index + 1, target, attempt, pending, outcome, null);
            }
        });
    }
}
