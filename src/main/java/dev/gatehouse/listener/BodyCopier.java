package dev.gatehouse.listener;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Copies a body from one stream to another in bounded chunks and says which side failed, since a failing
 * origin and a departing client call for different handling.
 */
final class BodyCopier {
    private static final int CHUNK = 16 * 1024;

    /** Reading the source failed, after {@code copied} bytes had been written. */
    static final class SourceFailed extends Exception {
        final long copied;

        SourceFailed(IOException cause, long copied) {
            super(cause);
            this.copied = copied;
        }
    }

    /** Writing the sink failed. */
    static final class SinkFailed extends Exception {
        SinkFailed(IOException cause) {
            super(cause);
        }
    }

    long copy(InputStream from, OutputStream to) throws SourceFailed, SinkFailed {
        return copy(from, to, 0, Long.MAX_VALUE);
    }

    /** Copies at most {@code length} bytes of {@code from}, after skipping its first {@code skip}. */
    long copy(InputStream from, OutputStream to, long skip, long length) throws SourceFailed, SinkFailed {
        byte[] buffer = new byte[CHUNK];
        try {
            from.skipNBytes(skip);
        } catch (IOException e) {
            throw new SourceFailed(e, 0);
        }
        long total = 0;
        while (total < length) {
            int n;
            try {
                n = from.read(buffer, 0, (int) Math.min(buffer.length, length - total));
            } catch (IOException e) {
                throw new SourceFailed(e, total);
            }
            if (n < 0) return total;
            try {
                to.write(buffer, 0, n);
            } catch (IOException e) {
                throw new SinkFailed(e);
            }
            total += n;
        }
        return total;
    }
}
