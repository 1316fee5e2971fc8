package dev.gatehouse.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A body stream whose read failures pass through {@link #failed} before they propagate: to remember that this side
 * failed (a client that left mid-upload), or to say which side it was (the ICAP service, not the origin).
 */
public abstract class ReadFailureFilter extends FilterInputStream {
    protected ReadFailureFilter(InputStream in) {
        super(in);
    }

    /** Called with each read failure; returns the exception to throw in its place (or the same one). */
    protected abstract IOException failed(IOException e);

    @Override
    public int read() throws IOException {
        try {
            return super.read();
        } catch (IOException e) {
            throw failed(e);
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        try {
            return super.read(b, off, len);
        } catch (IOException e) {
            throw failed(e);
        }
    }
}
