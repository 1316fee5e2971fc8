package dev.gatehouse.upstream;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Idle keep-alive connections to origins, by resolved address. Most recently used first, so a burst
 * reuses warm connections and the tail ages out; connections idle longer than {@code maxIdle} are closed
 * by a sweeper (origins commonly drop idle connections after a few seconds anyway, which the client
 * handles with one retry).
 */
final class ConnectionPool {
    private static final ScheduledExecutorService SWEEPER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "gatehouse-pool-sweeper");
        t.setDaemon(true);
        return t;
    });

    private final Map<InetSocketAddress, Deque<OriginConnection>> idle = new ConcurrentHashMap<>();
    private final int maxIdlePerAddress;
    private final long maxIdleNanos;
    private final ScheduledFuture<?> sweeping;

    ConnectionPool(int maxIdlePerAddress, long maxIdleMillis) {
        this.maxIdlePerAddress = maxIdlePerAddress;
        this.maxIdleNanos = TimeUnit.MILLISECONDS.toNanos(maxIdleMillis);
        long period = Math.max(250, maxIdleMillis / 2);
        this.sweeping = SWEEPER.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
    }

    /** An idle connection to {@code address}, or null. */
    OriginConnection take(InetSocketAddress address) {
        Deque<OriginConnection> q = idle.get(address);
        if (q == null) return null;
        OriginConnection c;
        while ((c = q.pollFirst()) != null) {
            if (c.isOpen() && System.nanoTime() - c.idleSinceNanos < maxIdleNanos && !c.hasUnreadBytes()) return c;
            c.close();
        }
        return null;
    }

    /** Opens a new connection (blocking, with a timeout). */
    OriginConnection open(InetSocketAddress address, int connectTimeoutMillis) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(address, connectTimeoutMillis);
            return new OriginConnection(address, socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** Returns a connection whose exchange ended cleanly. */
    void release(OriginConnection c) {
        c.idleSinceNanos = System.nanoTime();
        Deque<OriginConnection> q = idle.computeIfAbsent(c.address(), a -> new ConcurrentLinkedDeque<>());
        q.offerFirst(c);
        // Bound what is kept: close the least recently used beyond the limit.
        while (q.size() > maxIdlePerAddress) {
            OriginConnection old = q.pollLast();
            if (old == null) break;
            old.close();
        }
    }

    private void sweep() {
        long now = System.nanoTime();
        for (Deque<OriginConnection> q : idle.values()) {
            for (OriginConnection c : q) {
                if (now - c.idleSinceNanos >= maxIdleNanos && q.remove(c)) c.close();
            }
        }
    }

    /** Stops the sweeper and closes every idle connection (shutdown). */
    void closeAll() {
        sweeping.cancel(false);
        for (Deque<OriginConnection> q : idle.values()) {
            OriginConnection c;
            while ((c = q.pollFirst()) != null) c.close();
        }
    }
}
