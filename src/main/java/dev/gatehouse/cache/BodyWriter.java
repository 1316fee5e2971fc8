package dev.gatehouse.cache;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The common life cycle of a {@link CacheStore.Writer}: count bytes against the maximum object
 * size, turn every storage failure into "stop storing", and commit or abort exactly once.
 * Tiers implement only where the bytes go.
 */
public abstract class BodyWriter implements CacheStore.Writer {
    private enum State { OPEN, FAILED, COMMITTED, ABORTED }

    private final long maxObjectBytes;
    private final OutputStream body = new Body();
    private long written;
    private State state = State.OPEN;

    /** A writer that stops storing once more than {@code maxObjectBytes} arrive. */
    protected BodyWriter(long maxObjectBytes) {
        this.maxObjectBytes = maxObjectBytes;
    }

    /** Stores {@code len} bytes of body. */
    protected abstract void store(byte[] bytes, int offset, int length) throws IOException;

    /** Makes the stored body and metadata visible; {@code length} bytes were stored. */
    protected abstract void publish(long length) throws IOException;

    /** Discards whatever was stored; must not throw. */
    protected abstract void discard();

    @Override
    public final OutputStream body() {
        return body;
    }

    /** The body bytes received so far. */
    protected final long written() {
        return written;
    }

    @Override
    public final synchronized boolean commit() {
        if (state != State.OPEN) {
            return false;
        }
        try {
            publish(written);
            state = State.COMMITTED;
            return true;
        } catch (IOException | RuntimeException e) {
            fail();
            return false;
        }
    }

    @Override
    public final synchronized void abort() {
        if (state == State.OPEN) {
            state = State.ABORTED;
            discard();
        }
    }

    @Override
    public synchronized boolean storing() {
        return state == State.OPEN;
    }

    @Override
    public final void close() {
        abort();
    }

    private void fail() {
        state = State.FAILED;
        discard();
    }

    private synchronized void append(byte[] bytes, int offset, int length) {
        if (state != State.OPEN) {
            return;
        }
        if (written + length > maxObjectBytes) {
            fail(); // over the maximum object size: stop storing, the client stream carries on
            return;
        }
        try {
            store(bytes, offset, length);
            written += length;
        } catch (IOException | RuntimeException e) {
            fail(); // e.g. disk full: stop storing, never fail the request
        }
    }

    /** The tee target: never throws, whatever happens to storage. */
    private final class Body extends OutputStream {
        @Override
        public void write(int b) {
            append(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            append(bytes, offset, length);
        }
    }
}
