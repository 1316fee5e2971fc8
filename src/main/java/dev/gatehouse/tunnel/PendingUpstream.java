package dev.gatehouse.tunnel;

/**
 * The upstream side of one tunnel while it is being opened (the connect, then perhaps a parent's answer to
 * CONNECT), so that it can be called off when the client leaves: the step under way is closed at once, the half-open
 * socket or the parent connection, rather than when it ends by itself (the connect timeout, the parent's
 * responseTimeout), and the attempt's outcome never comes. Used on the IO thread the attempt runs on only.
 */
public final class PendingUpstream {
    private Runnable cancelStep = () -> { };
    private boolean cancelled;
    private ParentTunnels.Resolved parent;

    /** Calls the attempt off: closes what the step under way has open; no outcome follows. */
    public void cancel() {
        if (cancelled) return;
        cancelled = true;
        cancelStep.run();
    }

    /**
     * The parent (and its hierarchy code) that accepted the connection and is being asked to open the tunnel, or
     * null: none reached yet.
     */
    public ParentTunnels.Resolved parent() {
        return parent;
    }

    boolean cancelled() {
        return cancelled;
    }

    /** What {@link #cancel} closes from now on. */
    void onCancel(Runnable step) {
        cancelStep = step;
    }

    /** {@code parent} accepted the connection; its answer to CONNECT is awaited (null: no longer, the next is tried). */
    void asking(ParentTunnels.Resolved parent) {
        this.parent = parent;
    }
}
