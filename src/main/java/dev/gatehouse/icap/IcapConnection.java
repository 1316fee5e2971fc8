package dev.gatehouse.icap;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/** One TCP connection to the ICAP service, with buffered streams; blocking, so used on virtual threads only. */
final class IcapConnection implements Closeable {
    private final Socket socket;
    private final int readTimeoutMillis;
    final InputStream in;
    final OutputStream out;

    private IcapConnection(Socket socket, int readTimeoutMillis) throws IOException {
        this.socket = socket;
        this.readTimeoutMillis = readTimeoutMillis;
        this.in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        this.out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
    }

    /** Connects within {@code timeout}; reads then wait at most {@code timeout} for each byte. */
    static IcapConnection open(String host, int port, Duration timeout) throws IOException {
        Socket socket = new Socket();
        try {
            int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
            socket.connect(new InetSocketAddress(host, port), millis);
            socket.setSoTimeout(millis);
            socket.setTcpNoDelay(true); // a preview and its head are flushed together; do not wait for an ACK
            return new IcapConnection(socket, millis);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * Whether the service closed this idle connection (c-icap does after {@code MaxKeepAliveRequests} or its
     * {@code KeepAliveTimeout}): a read that returns at once with the end, or with bytes nobody asked for. A request
     * written to such a connection would fail after the preview's bytes were taken from the origin.
     */
    boolean closedByPeer() {
        try {
            if (in.available() > 0) return true;
            socket.setSoTimeout(1);
            try {
                in.read(); // any byte or the end: either way not a clean idle connection
                return true;
            } catch (SocketTimeoutException e) {
                return false; // silence: still open
            } finally {
                socket.setSoTimeout(readTimeoutMillis);
            }
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing more to do with it
        }
    }
}
