package dev.gatehouse.audit;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/** Writes lines to a stream it does not own, such as standard output in a container. */
final class StreamOutput implements LineOutput {
    private final OutputStream out;

    StreamOutput(OutputStream stream) {
        this.out = new BufferedOutputStream(stream, 64 * 1024);
    }

    @Override
    public void writeLine(byte[] line, int length) throws IOException {
        out.write(line, 0, length);
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void reopen() throws IOException {
        out.flush();
    }

    /** Flushes but leaves the stream open: it belongs to the process (System.out). */
    @Override
    public void close() throws IOException {
        out.flush();
    }
}
