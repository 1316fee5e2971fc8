package dev.gatehouse.cache;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A response body being fetched that several clients read while it arrives: the leader of a
 * collapsed miss appends, followers each read from the start and wait at the end for more.
 *
 * <p>The bytes go to an unlinked temporary file (so nothing is left behind, even after a crash),
 * never whole into memory. The file is released when the writer and every reader have closed;
 * after that, {@link #newReader()} is empty and a late follower reads the stored entry instead.
 */
public final class SharedBody implements AutoCloseable {
    private final FileChannel file;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition grown = lock.newCondition();
    private final OutputStream writer = new Appender();
    private long written;
    private boolean finished;
    private IOException failure;
    private int holders = 1; // the writer

    private SharedBody(FileChannel file) {
        this.file = file;
    }

    /** A new, empty shared body in a temporary file under {@code directory}. */
    public static SharedBody create(Path directory) throws IOException {
        Path path = Files.createTempFile(directory, "shared", ".body");
        // DELETE_ON_CLOSE unlinks at once on Unix: the open channel keeps the bytes for as long as we need them.
        return new SharedBody(FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.DELETE_ON_CLOSE));
    }

    /** Where the leader appends the body as it arrives. */
    public OutputStream writer() {
        return writer;
    }

    /** Marks the body complete: readers see the end once they have read everything. */
    public void finish() {
        signal(() -> finished = true);
    }

    /** Marks the body failed (the origin died mid-body): readers throw {@code cause} once they reach the end of what arrived. */
    public void fail(IOException cause) {
        signal(() -> failure = cause);
    }

    /** The leader is done writing; the file is released when the last reader closes too. */
    @Override
    public void close() {
        signal(() -> {
            if (!finished && failure == null) {
                failure = new IOException("the shared body was closed before it was complete");
            }
        });
        release();
    }

    /** A reader from the first byte, or empty if the body was already released. */
    public Optional<InputStream> newReader() {
        lock.lock();
        try {
            if (holders == 0) {
                return Optional.empty();
            }
            holders++;
            return Optional.of(new Reader());
        } finally {
            lock.unlock();
        }
    }

    private void signal(Runnable change) {
        lock.lock();
        try {
            change.run();
            grown.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void release() {
        lock.lock();
        try {
            if (holders > 0 && --holders == 0) {
                file.close();
            }
        } catch (IOException e) {
            // nothing more to release
        } finally {
            lock.unlock();
        }
    }

    /** Appends at the end of the file and wakes the readers. */
    private final class Appender extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
            long position;
            lock.lock();
            try {
                position = written;
            } finally {
                lock.unlock();
            }
            while (buffer.hasRemaining()) {
                position += file.write(buffer, position);
            }
            long end = position;
            signal(() -> written = end);
        }
    }

    /** Reads from the first byte, waiting at the end for more until the body is finished or failed. */
    private final class Reader extends InputStream {
        private long position;
        private boolean closed;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            long available = awaitBytes();
            if (available < 0) {
                return -1;
            }
            int n = file.read(ByteBuffer.wrap(bytes, offset, (int) Math.min(length, available)), position);
            position += Math.max(0, n);
            return n;
        }

        /** Bytes readable at the position now, waiting for some; -1 at the end of a finished body. */
        private long awaitBytes() throws IOException {
            lock.lock();
            try {
                while (written == position && !finished && failure == null) {
                    grown.await();
                }
                if (written > position) {
                    return written - position;
                }
                if (failure != null) {
                    throw new IOException("the shared body failed", failure);
                }
                return -1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for the shared body");
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                release();
            }
        }
    }
}
