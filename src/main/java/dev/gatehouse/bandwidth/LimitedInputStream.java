package dev.gatehouse.bandwidth;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.InetAddress;

/**
 * A body read at a client's share of one direction's bandwidth (an origin's response body for downloads, the
 * client's request body for uploads): each read is paid for before it returns, so the caller (a virtual thread)
 * parks while the buckets refill and TCP backpressure slows the sender down.
 */
public final class LimitedInputStream extends FilterInputStream {
    private final BandwidthLimiter limiter;
    private final InetAddress client;

    public LimitedInputStream(InputStream in, BandwidthLimiter limiter, InetAddress client) {
        super(in);
        this.limiter = limiter;
        this.client = client;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) paid(1);
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) paid(n);
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        if (skipped > 0) paid(skipped);
        return skipped;
    }

    private void paid(long bytes) throws InterruptedIOException {
        try {
            limiter.pay(client, bytes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(e.getMessage());
        }
    }
}
