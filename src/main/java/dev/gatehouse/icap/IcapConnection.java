package dev.gatehouse.icap;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** One TCP connection to the ICAP service, with buffered streams; blocking, so used on virtual threads only. */
final class IcapConnection implements Closeable {
    private final Socket socket;
    private final int readTimeoutMillis;
    private final PatientInput patient;
    final InputStream in;
    final OutputStream out;
    /** Whether it served an exchange before: the service may have closed it just as it was taken (see {@link #closedByPeer}). */
    boolean reused;

    private IcapConnection(Socket socket, int readTimeoutMillis) throws IOException {
        this.socket = socket;
        this.readTimeoutMillis = readTimeoutMillis;
        this.patient = new PatientInput(socket.getInputStream());
        this.in = new BufferedInputStream(patient, 16 * 1024);
        this.out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
    }

    /**
     * While {@code expected} says so, the service's silence is not a timeout: a scanner answers once it has the
     * whole body, and this side is still sending it (a large download over a slow link takes longer than the timeout).
     * {@code null}: every silence of the timeout's length is one.
     */
    void silenceExpectedWhile(BooleanSupplier expected) {
        patient.expected = expected;
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

    /** The socket's input, reading on through timeouts while the silence is expected. */
    private static final class PatientInput extends FilterInputStream {
        volatile BooleanSupplier expected;

        PatientInput(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            while (true) {
                try {
                    return super.read();
                } catch (SocketTimeoutException e) {
                    if (!silenceExpected()) throw e;
                }
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            while (true) {
                try {
                    return super.read(b, off, len);
                } catch (SocketTimeoutException e) {
                    if (!silenceExpected()) throw e;
                }
            }
        }

        private boolean silenceExpected() {
            BooleanSupplier e = expected;
            return e != null && e.getAsBoolean();
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
