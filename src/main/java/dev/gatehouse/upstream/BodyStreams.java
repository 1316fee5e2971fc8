package dev.gatehouse.upstream;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;

/**
 * Response body readers for the three framings of RFC 9112 §6.3 (fixed length, chunked, until close).
 * Each hands its connection back to the pool when the body ended cleanly and the connection may be
 * reused, and closes it otherwise; a stalled read surfaces as {@link BodyReadTimeoutException}.
 */
public final class BodyStreams {
    private BodyStreams() {}

    /** Called once with whether the connection may be reused. */
    public interface Completion {
        void done(boolean reusable);
    }

    static InputStream empty(Completion completion) {
        completion.done(true);
        return InputStream.nullInputStream();
    }

    /** Base: tracks completion, maps timeouts, and closes the connection on an early close. */
    private abstract static class Framed extends InputStream {
        final InputStream in;
        private final Completion completion;
        private final boolean reusable;
        private boolean finished;

        Framed(InputStream in, Completion completion, boolean reusable) {
            this.in = in;
            this.completion = completion;
            this.reusable = reusable;
        }

        final void finish(boolean clean) {
            if (finished) return;
            finished = true;
            completion.done(clean && reusable);
        }

        final boolean finished() { return finished; }

        @Override
        public final int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public final int read(byte[] b, int off, int len) throws IOException {
            if (finished) return -1;
            try {
                return readFramed(b, off, len);
            } catch (SocketTimeoutException e) {
                finish(false);
                throw new BodyReadTimeoutException();
            } catch (IOException e) {
                finish(false);
                throw e;
            }
        }

        abstract int readFramed(byte[] b, int off, int len) throws IOException;

        @Override
        public void close() {
            finish(false); // not read to its end: the connection's position is unknown, drop it
        }
    }

    static InputStream fixed(InputStream in, long length, Completion completion, boolean reusable) {
        if (length == 0) {
            completion.done(reusable);
            return InputStream.nullInputStream();
        }
        return new Framed(in, completion, reusable) {
            private long remaining = length;

            @Override
            int readFramed(byte[] b, int off, int len) throws IOException {
                int n = in.read(b, off, (int) Math.min(len, remaining));
                if (n < 0) throw new EOFException("origin closed the connection with " + remaining + " body bytes missing");
                remaining -= n;
                if (remaining == 0) finish(true);
                return n;
            }
        };
    }

    static InputStream untilClose(InputStream in, Completion completion) {
        return new Framed(in, completion, false) {
            @Override
            int readFramed(byte[] b, int off, int len) throws IOException {
                int n = in.read(b, off, len);
                if (n < 0) finish(true);
                return n;
            }
        };
    }

    /**
     * RFC 9112 §7.1: chunk-size [ext] CRLF data CRLF ... 0 CRLF trailers CRLF. Trailers are dropped. Also an ICAP
     * server's encapsulated body (RFC 3507 §4.4.1), which is always chunked.
     */
    public static InputStream chunked(InputStream in, Completion completion, boolean reusable) {
        return new Framed(in, completion, reusable) {
            private long chunkRemaining = -1; // -1: a size line comes next

            @Override
            int readFramed(byte[] b, int off, int len) throws IOException {
                if (chunkRemaining == 0) {
                    crlf();
                    chunkRemaining = -1;
                }
                if (chunkRemaining < 0) {
                    chunkRemaining = sizeLine();
                    if (chunkRemaining == 0) {
                        trailers();
                        finish(true);
                        return -1;
                    }
                }
                int n = in.read(b, off, (int) Math.min(len, chunkRemaining));
                if (n < 0) throw new EOFException("origin closed the connection inside a chunk");
                chunkRemaining -= n;
                return n;
            }

            private long sizeLine() throws IOException {
                long size = 0;
                int digits = 0;
                int c;
                while ((c = in.read()) >= 0) {
                    int d = Character.digit(c, 16);
                    if (d < 0) break;
                    if (++digits > 15) throw new MalformedResponseException("chunk size too large");
                    size = size * 16 + d;
                }
                if (digits == 0) throw c < 0 ? new EOFException("origin closed the connection before a chunk") : new MalformedResponseException("invalid chunk size");
                // RFC 9112 §7.1.1: only BWS, then a chunk extension (";...") or the line end, may follow the size:
                // "0x5" is not a last chunk with an extension "x5" but a broken size.
                while (c == ' ' || c == '\t') c = in.read();
                if (c >= 0 && c != ';' && c != '\r' && c != '\n') throw new MalformedResponseException("invalid chunk size");
                // Skip chunk extensions up to the line end, bounded.
                for (int skipped = 0; c != '\n'; skipped++) {
                    if (c < 0) throw new EOFException("origin closed the connection in a chunk header");
                    if (skipped > 4096) throw new MalformedResponseException("chunk extension too long");
                    c = in.read();
                }
                return size;
            }

            private void crlf() throws IOException {
                int c = in.read();
                if (c == '\r') c = in.read();
                if (c != '\n') throw new MalformedResponseException("missing CRLF after chunk data");
            }

            private void trailers() throws IOException {
                int lineLength = 0;
                int total = 0;
                while (true) {
                    int c = in.read();
                    if (c < 0) throw new EOFException("origin closed the connection in the trailer section");
                    if (++total > 64 * 1024) throw new MalformedResponseException("trailer section too large");
                    if (c == '\n') {
                        if (lineLength == 0) return;
                        lineLength = 0;
                    } else if (c != '\r') {
                        lineLength++;
                    }
                }
            }
        };
    }

    /** Copies exactly {@code length} bytes, failing if the source ends early. */
    static void copyFixed(InputStream from, OutputStream to, long length, byte[] buffer) throws IOException {
        long remaining = length;
        while (remaining > 0) {
            int n = from.read(buffer, 0, (int) Math.min(buffer.length, remaining));
            if (n < 0) throw new RequestBodyException("request body ended " + remaining + " bytes early", null);
            to.write(buffer, 0, n);
            remaining -= n;
        }
    }

    /** Copies {@code from} to {@code to} as chunked coding (RFC 9112 §7.1), ending with the last chunk. */
    static void copyChunked(InputStream from, OutputStream to, byte[] buffer) throws IOException {
        int n;
        while ((n = from.read(buffer)) >= 0) {
            if (n == 0) continue;
            to.write(Integer.toHexString(n).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            to.write('\r');
            to.write('\n');
            to.write(buffer, 0, n);
            to.write('\r');
            to.write('\n');
        }
        to.write(new byte[] {'0', '\r', '\n', '\r', '\n'});
    }
}
