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
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A response body being fetched that several clients read while it arrives: the leader of a
 * collapsed miss appends, followers each read from the start and wait at the end for more.
 *
 * <p>The first {@value #IN_MEMORY_BYTES} bytes are kept in memory, while all bodies together hold at most
 * {@value #ALL_IN_MEMORY_BYTES}; a larger body (or any, past that) moves to an unlinked temporary file
 * (so nothing is left behind, even after a crash), never whole into memory. Most collapsed fetches are
 * small and have no follower at all: they cost no file. The body is released
 * when the writer and every reader have closed; after that, {@link #newReader()} is empty and a late
 * follower reads the stored entry instead.
 */
public final class SharedBody implements AutoCloseable {
    /** The largest body kept in memory (per fetch in flight, so bounded by the fetches at once). */
    static final int IN_MEMORY_BYTES = 64 * 1024;
    /** The most all bodies in flight keep in memory at once: a burst of misses must not fill the heap. */
    static final long ALL_IN_MEMORY_BYTES = 32L * 1024 * 1024;
    private static final AtomicLong IN_MEMORY = new AtomicLong();

    private final Path directory;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition grown = lock.newCondition();
    private final OutputStream writer = new Appender();
    /** The body's bytes while it fits; never changed below {@code written}, so readers may use an older array. */
    private byte[] memory = new byte[0];
    /** The whole body once it outgrew {@code memory}; null until then. */
    private FileChannel file;
    private long written;
    private boolean finished;
    private IOException failure;
    private int holders = 1; // the writer

    private SharedBody(Path directory) {
        this.directory = directory;
    }

    /** A new, empty shared body; a temporary file under {@code directory} holds it if it grows large. */
    public static SharedBody create(Path directory) {
        return new SharedBody(directory);
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

    /** What all shared bodies hold in memory now. */
    static long inMemoryBytes() {
        return IN_MEMORY.get();
    }

    /** Gives the in-memory bytes back to the budget. Holds the lock. */
    private void dropMemory() {
        IN_MEMORY.addAndGet(-memory.length);
        memory = new byte[0];
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
                dropMemory();
                if (file != null) file.close();
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
            lock.lock();
            try {
                if (file == null && written + length <= IN_MEMORY_BYTES && roomFor(written + length)) {
                    System.arraycopy(bytes, offset, memory, (int) written, length);
                    written += length;
                    grown.signalAll();
                    return;
                }
                if (file == null) {
                    file = spill(); // before readers see it: it holds every byte written so far
                    dropMemory(); // readers read the file from now on
                }
            } finally {
                lock.unlock();
            }
            // Only this writer appends, and readers never read past `written`: the file write needs no lock.
            ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
            long position = written;
            while (buffer.hasRemaining()) {
                position += file.write(buffer, position);
            }
            long end = position;
            signal(() -> written = end);
        }

        /** Whether {@code memory} holds {@code size} bytes, grown within the budget (a new array: readers may hold the old). */
        private boolean roomFor(long size) {
            if (size <= memory.length) {
                return true;
            }
            int grownLength = (int) Math.min(IN_MEMORY_BYTES, Math.max(size, 2L * memory.length));
            int more = grownLength - memory.length;
            if (IN_MEMORY.addAndGet(more) > ALL_IN_MEMORY_BYTES) {
                IN_MEMORY.addAndGet(-more);
                return false;
            }
            memory = Arrays.copyOf(memory, grownLength);
            return true;
        }

        /** The body so far, moved to a new unlinked temporary file. */
        private FileChannel spill() throws IOException {
            Path path = Files.createTempFile(directory, "shared", ".body");
            // DELETE_ON_CLOSE unlinks at once on Unix: the open channel keeps the bytes for as long as we need them.
            FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.DELETE_ON_CLOSE);
            ByteBuffer head = ByteBuffer.wrap(memory, 0, (int) written);
            while (head.hasRemaining()) {
                channel.write(head, head.position());
            }
            return channel;
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
            byte[] inMemory;
            FileChannel inFile;
            long available;
            lock.lock();
            try {
                available = awaitBytes();
                inMemory = memory;
                inFile = file;
            } finally {
                lock.unlock();
            }
            if (available < 0) {
                return -1;
            }
            int n = (int) Math.min(length, available);
            if (inFile == null) {
                System.arraycopy(inMemory, (int) position, bytes, offset, n);
            } else {
                n = inFile.read(ByteBuffer.wrap(bytes, offset, n), position);
            }
            position += Math.max(0, n);
            return n;
        }

        /** Bytes readable at the position now, waiting for some; -1 at the end of a finished body. Holds the lock. */
        private long awaitBytes() throws IOException {
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
