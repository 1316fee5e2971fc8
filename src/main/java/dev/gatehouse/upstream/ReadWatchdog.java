package dev.gatehouse.upstream;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Read timeouts for origin sockets, kept by one watchdog thread instead of {@code SO_TIMEOUT}.
 *
 * <p>Why: a virtual thread that blocks in a socket read with {@code SO_TIMEOUT} set parks with a timeout, and the
 * JDK (21 to 25) schedules a timer task for every such park and cancels it when the bytes come, waking another
 * thread each time. Side by side on 1 KiB pass-through requests that cost about a fifth of the proxy's CPU per
 * request (106 against 83 µs). Here a read parks untimed: before it blocks, its connection's {@link Deadline} is
 * armed (two field writes), and every {@link #TICK_MILLIS} this thread closes the socket of any read that has
 * waited past its deadline. The read then fails, and {@link Deadline#failure} reports it as the
 * {@link SocketTimeoutException} that {@code SO_TIMEOUT} would have thrown, so callers are unchanged. A timeout
 * thereby fires up to one tick late. The thread sleeps while no connection is open.
 */
final class ReadWatchdog {
    static final long TICK_MILLIS = 50;

    /** One for the process, as the JDK's own timer thread is: origin connections of every client share it. */
    static final ReadWatchdog SHARED = new ReadWatchdog();

    private final Set<Deadline> watched = ConcurrentHashMap.newKeySet();
    private volatile Thread thread;

    /** A deadline for reads on {@code socket}, watched until {@link #unwatch}. */
    Deadline watch(Socket socket) {
        Deadline deadline = new Deadline(socket);
        watched.add(deadline);
        Thread t = thread;
        if (t == null) t = start();
        LockSupport.unpark(t); // it may be asleep with nothing to watch
        return deadline;
    }

    void unwatch(Deadline deadline) {
        watched.remove(deadline);
    }

    private synchronized Thread start() {
        if (thread == null) thread = Thread.ofPlatform().daemon().name("gatehouse-read-watchdog").start(this::run);
        return thread;
    }

    private void run() {
        for (;;) {
            if (watched.isEmpty()) LockSupport.park(this);
            else LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS));
            long now = System.nanoTime();
            for (Deadline deadline : watched) deadline.expireIfPast(now);
        }
    }

    /** The read timeout of one connection, used by one exchange (one thread) at a time. */
    static final class Deadline {
        /** For streams that are not sockets (parsing tests): never times out. */
        static final Deadline NONE = new Deadline(null);

        private final Socket socket;
        private long timeoutNanos;      // the owner's own
        private long until;             // published by the volatile write of armed
        private volatile boolean armed;
        private volatile boolean expired;

        private Deadline(Socket socket) {
            this.socket = socket;
        }

        /** How long one read may wait for bytes; 0 waits for ever (as {@code SO_TIMEOUT} 0). */
        void timeout(int millis) {
            timeoutNanos = TimeUnit.MILLISECONDS.toNanos(millis);
        }

        /** Before a read that may block. */
        void arm() {
            if (timeoutNanos == 0 || socket == null) return;
            until = System.nanoTime() + timeoutNanos;
            armed = true;
        }

        /** After it, however it ended. */
        void disarm() {
            if (armed) armed = false;
        }

        /** What a failed read throws: a timeout if this watchdog closed the socket, else {@code e} itself. */
        IOException failure(IOException e) {
            if (!expired) return e;
            SocketTimeoutException timeout = new SocketTimeoutException("Read timed out");
            timeout.initCause(e);
            return timeout;
        }

        private void expireIfPast(long now) {
            if (!armed || now - until < 0) return;
            // A read that got its bytes just now may lose them with the socket: it waited its whole timeout anyway.
            expired = true;
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing is all that is wanted
            }
        }
    }
}
