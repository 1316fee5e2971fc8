package dev.gatehouse.upstream;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * One HTTP/1.1 connection to an origin: a blocking socket (cheap on a virtual thread) with buffered
 * streams. Used by one exchange at a time, then returned to the {@link ConnectionPool} if the response
 * left it reusable.
 */
final class OriginConnection implements AutoCloseable {
    private final InetSocketAddress address;
    private final Socket socket;
    private final ReadWatchdog.Deadline deadline;
    final OriginInput in;
    final BufferedOutputStream out;
    long idleSinceNanos;

    OriginConnection(InetSocketAddress address, Socket socket) throws IOException {
        this.address = address;
        this.socket = socket;
        this.deadline = ReadWatchdog.SHARED.watch(socket);
        this.in = new OriginInput(socket.getInputStream(), 16 * 1024, deadline);
        this.out = new BufferedOutputStream(socket.getOutputStream(), 8 * 1024);
    }

    InetSocketAddress address() { return address; }

    /** How long a read may wait for bytes: kept by the {@link ReadWatchdog}, not {@code SO_TIMEOUT} (it says why). */
    void readTimeout(int millis) {
        deadline.timeout(millis);
    }

    boolean isOpen() {
        return !socket.isClosed();
    }

    /**
     * True if bytes are waiting that no response asked for: what an origin sent beyond a response's framing
     * (past its Content-Length, a body on a response to HEAD or on a 204 or 304) or while the connection sat
     * idle. Read as the next response, they would answer another request (RFC 9112 §11.1, response splitting).
     */
    boolean hasUnreadBytes() {
        try {
            return in.available() > 0;
        } catch (IOException e) {
            return true; // broken anyway
        }
    }

    @Override
    public void close() {
        ReadWatchdog.SHARED.unwatch(deadline);
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }
}
