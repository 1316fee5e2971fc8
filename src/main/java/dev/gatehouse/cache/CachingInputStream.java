package dev.gatehouse.cache;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Tees an origin body into the cache as the forward path reads it: whatever is read from this
 * stream is also written to a {@link CacheStore.Writer} and, for a collapsed miss, to a
 * {@link SharedBody} that followers tail. The client and the cache get the body in one pass,
 * never held whole in memory.
 *
 * <p>The body counts as complete as soon as the expected length has arrived (or, when that is
 * unknown, when it ends): then the entry is committed and the shared body finished. It is incomplete if
 * reading fails (the origin died mid-body), the body is shorter or longer than announced, or the
 * stream is closed before the end (the client went away and the forward path stopped reading):
 * then the entry is aborted and followers see a failure, never a truncated body. Storage problems
 * never surface here: the writer swallows them, and a failing shared body only fails the followers.
 */
public final class CachingInputStream extends FilterInputStream {
    private final CacheStore.Writer writer;
    private final SharedBody shared;
    private final long expectedLength;
    private long read;
    private boolean finished;
    private boolean committed;
    /** Run once the body has ended complete, after the commit; see {@link #onComplete}. */
    private Runnable onComplete = () -> {};
    private boolean sharing;

    /** Tees {@code origin} into {@code writer}; {@code expectedLength} is the Content-Length, or -1 if unknown. */
    public CachingInputStream(InputStream origin, CacheStore.Writer writer, long expectedLength) {
        this(origin, writer, null, expectedLength);
    }

    /**
     * Tees {@code origin} into {@code writer} and {@code shared}; either may be {@code null} (a response
     * that is not stored can still be shared with collapsed followers).
     */
    public CachingInputStream(InputStream origin, CacheStore.Writer writer, SharedBody shared, long expectedLength) {
        super(origin);
        this.writer = writer;
        this.shared = shared;
        this.sharing = shared != null;
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
            finish(e);
            throw e;
        }
        if (n < 0) {
            finish(expectedLength < 0 || read == expectedLength ? null : new IOException(
                    "the origin body ended after " + read + " of " + expectedLength + " bytes"));
        } else if (n > 0) {
            read += n;
            tee(buffer, offset, n);
            if (expectedLength >= 0 && read > expectedLength) {
                finish(new IOException("the origin body is longer than its Content-Length " + expectedLength));
            } else if (read == expectedLength) {
                // Complete now: the client has its last byte once the caller writes it, and its next
                // request (a hit, a purge) must find the entry committed, not wait for the caller's next read.
                finish(null);
            }
        }
        return n;
    }

    private void tee(byte[] buffer, int offset, int n) {
        if (finished) {
            return;
        }
        if (writer != null) {
            try {
                writer.body().write(buffer, offset, n);
            } catch (IOException e) {
                writer.abort(); // a store's body stream does not throw; be safe anyway
            }
        }
        if (sharing) {
            try {
                shared.writer().write(buffer, offset, n);
            } catch (IOException e) {
                sharing = false; // e.g. the temporary disk is full: followers fall back, this client carries on
                shared.fail(e);
            }
        }
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

    /**
     * Whether the rest of the body is worth reading for the store alone, its reader gone: it is still being
     * stored (the store has not given it up, as it does past the maximum object size) and {@code rule} says it
     * is nearly done. Ask again as the body arrives: a body of unknown length may outgrow the store.
     */
    public boolean worthFinishing(QuickAbort rule) {
        return writer != null && !finished && writer.storing() && rule.finish(read, expectedLength);
    }

    /**
     * Sets what runs once the whole body has been read, stored (if it is) and handed to the shared body, before the
     * caller has written the last bytes on: a collapsed fetch ends there, so a request that comes after the client has
     * its response finds the stored entry rather than following a fetch that is over.
     */
    public void onComplete(Runnable action) {
        this.onComplete = action;
    }

    /** Whether the body was stored completely (known only once the stream has ended). */
    public boolean stored() {
        return finished && committed;
    }

    @Override
    public void close() throws IOException {
        finish(new IOException("the body was closed before its end")); // a no-op after the end
        super.close();
    }

    /** Ends the tee once: complete when {@code failure} is null. */
    private void finish(IOException failure) {
        if (finished) {
            return;
        }
        finished = true;
        if (writer != null) {
            if (failure == null) {
                committed = writer.commit();
            } else {
                writer.abort();
            }
        }
        if (sharing) {
            if (failure == null) {
                shared.finish();
            } else {
                shared.fail(failure);
            }
        }
        if (failure == null) onComplete.run();
    }
}
