package dev.gatehouse.upstream;

import java.io.IOException;
import java.io.InputStream;

/**
 * A buffered socket input owned by one exchange at a time, so it needs no lock: the response head is
 * parsed byte by byte, and {@link java.io.BufferedInputStream} takes a lock on every {@code read()}.
 */
final class OriginInput extends InputStream {
    private final InputStream in;
    private final ReadWatchdog.Deadline deadline;
    private final byte[] buf;
    private int pos;
    private int limit;
    /** Bytes read from the socket so far, over every exchange: whether a response sent any byte at all. */
    private long received;

    OriginInput(InputStream in, int size) {
        this(in, size, ReadWatchdog.Deadline.NONE);
    }

    /** Reads from {@code in}, each read that may block timed by {@code deadline}. */
    OriginInput(InputStream in, int size, ReadWatchdog.Deadline deadline) {
        this.in = in;
        this.deadline = deadline;
        this.buf = new byte[size];
    }

    @Override
    public int read() throws IOException {
        if (pos == limit && !fill()) return -1;
        return buf[pos++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        if (pos == limit) {
            // Large reads bypass the buffer: body bytes are copied once, not twice.
            if (len >= buf.length) return timedRead(b, off, len);
            if (!fill()) return -1;
        }
        int n = Math.min(len, limit - pos);
        System.arraycopy(buf, pos, b, off, n);
        pos += n;
        return n;
    }

    /** The bytes read from the socket so far; unchanged across a try means the server sent nothing. */
    long received() {
        return received;
    }

    @Override
    public int available() throws IOException {
        return limit - pos + in.available();
    }

    private boolean fill() throws IOException {
        int n = timedRead(buf, 0, buf.length);
        if (n <= 0) return false;
        pos = 0;
        limit = n;
        return true;
    }

    private int timedRead(byte[] b, int off, int len) throws IOException {
        deadline.arm();
        try {
            int n = in.read(b, off, len);
            if (n > 0) received += n;
            return n;
        } catch (IOException e) {
            throw deadline.failure(e);
        } finally {
            deadline.disarm();
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
