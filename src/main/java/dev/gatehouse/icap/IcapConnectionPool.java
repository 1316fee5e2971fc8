package dev.gatehouse.icap;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import dev.gatehouse.http.Failure;

/**
 * Keep-alive connections to the ICAP service, at most {@link #limit} open at once (the configured bound, lowered to
 * the service's {@code Max-Connections}, RFC 3507 §4.10.2). A caller that finds them all busy waits up to the timeout.
 * A lock and condition rather than {@code synchronized}, so a waiting virtual thread does not pin its carrier.
 */
final class IcapConnectionPool {
    private final String host;
    private final int port;
    private final Duration timeout;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition freed = lock.newCondition();
    private final Deque<IcapConnection> idle = new ArrayDeque<>();
    private int open;
    private int limit;
    private boolean closed;

    IcapConnectionPool(String host, int port, Duration timeout, int limit) {
        this.host = host;
        this.port = port;
        this.timeout = timeout;
        this.limit = limit;
    }

    /** Lowers (or restores) the bound on open connections; connections above it close as they are released. */
    void limit(int limit) {
        lock.lock();
        try {
            this.limit = limit;
            freed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * An idle connection, or a new one when fewer than the limit are open.
     *
     * @param probe check that an idle connection is still open ({@link IcapConnection#closedByPeer}, a read that waits
     *              up to 1 ms): needed when a failure could not be retried; a caller that can retry on another
     *              connection (nothing but the held preview sent yet) skips the wait
     */
    IcapConnection acquire(boolean probe) throws IcapException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            IcapConnection reused = null;
            lock.lock();
            try {
                while (idle.isEmpty() && open >= limit) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0 || closed) {
                        throw new IcapException(Failure.ICAP_TIMEOUT, "all " + open + " connections to the ICAP service stayed busy for "
                                + timeout.toSeconds() + "s", null);
                    }
                    freed.awaitNanos(left);
                }
                if (!idle.isEmpty()) reused = idle.pollLast();
                else open++;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IcapException(Failure.ICAP_TIMEOUT, "interrupted while waiting for an ICAP connection", e);
            } finally {
                lock.unlock();
            }
            if (reused == null) return connect();
            if (!probe || !reused.closedByPeer()) {
                reused.reused = true;
                return reused;
            }
            discard(reused);
        }
    }

    private IcapConnection connect() throws IcapException {
        try {
            return IcapConnection.open(host, port, timeout);
        } catch (IOException e) {
            discard(null);
            if (e instanceof SocketTimeoutException) {
                throw new IcapException(Failure.ICAP_TIMEOUT, "connecting to the ICAP service at " + host + ":" + port + " timed out", e);
            }
            String why = e instanceof ConnectException ? "refused the connection" : "could not be reached (" + e.getMessage() + ")";
            throw new IcapException(Failure.ICAP_UNREACHABLE, "the ICAP service at " + host + ":" + port + " " + why, e);
        }
    }

    /** Gives a connection back: kept for the next exchange when {@code reusable}, closed otherwise. */
    void release(IcapConnection connection, boolean reusable) {
        connection.silenceExpectedWhile(null);
        lock.lock();
        try {
            if (reusable && !closed && open <= limit) {
                idle.addLast(connection);
                freed.signal();
                return;
            }
        } finally {
            lock.unlock();
        }
        discard(connection);
    }

    private void discard(IcapConnection connection) {
        if (connection != null) connection.close();
        lock.lock();
        try {
            open--;
            freed.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Closes the idle connections; those in use close when released. */
    void close() {
        lock.lock();
        try {
            closed = true;
            idle.forEach(IcapConnection::close);
            open -= idle.size();
            idle.clear();
            freed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
