package dev.gatehouse.cache;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Tees an origin body into a {@link CacheStore.Writer} as the forward path reads it: whatever is
 * read from this stream is also written to the store, so the client and the cache get the body in
 * one pass without holding it whole in memory.
 *
 * <p>The entry is committed when the body ends with exactly the expected length (or any length when
 * it is unknown); it is aborted if reading fails (the origin died mid-body), the body is shorter or
 * longer than announced, or the stream is closed before the end (the client went away and the
 * forward path stopped reading). Storage problems never surface here: the writer swallows them.
 */
public final class CachingInputStream extends FilterInputStream {
    private final CacheStore.Writer writer;
    private final long expectedLength;
    private long read;
    private boolean finished;
    private boolean committed;

    /** Tees {@code origin} into {@code writer}; {@code expectedLength} is the Content-Length, or -1 if unknown. */
    public CachingInputStream(InputStream origin, CacheStore.Writer writer, long expectedLength) {
        super(origin);
        this.writer = writer;
        this.expectedLength = expectedLength;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n;
        try {
            n = super.read(buffer, offset, length);
        } catch (IOException e) {
            finish(false);
            throw e;
        }
        if (n < 0) {
            finish(expectedLength < 0 || read == expectedLength);
        } else if (n > 0) {
            read += n;
            writer.body().write(buffer, offset, n);
            if (expectedLength >= 0 && read > expectedLength) {
                finish(false);
            }
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // Skipped bytes would be missing from the stored body, so a skip reads through the tee.
        byte[] buffer = new byte[(int) Math.min(8192, Math.max(0, n))];
        long skipped = 0;
        while (skipped < n) {
            int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** Whether the body was stored completely (known only once the stream has ended). */
    public boolean stored() {
        return finished && committed;
    }

    @Override
    public void close() throws IOException {
        finish(false); // closed before the end: the body is incomplete
        super.close();
    }

    private void finish(boolean complete) {
        if (finished) {
            return;
        }
        finished = true;
        if (complete) {
            committed = writer.commit();
        } else {
            writer.abort();
        }
    }
}
