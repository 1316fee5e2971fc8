package dev.gatehouse.audit;

import java.io.IOException;

/** Where the audit writer thread puts finished lines: a rotating file or a stream. */
interface LineOutput extends AutoCloseable {

    /**
     * Writes one whole line, bytes {@code 0} to {@code length} of {@code line} (terminator included); may
     * rotate first, never in the middle. The array is the caller's to reuse once this returns.
     */
    void writeLine(byte[] line, int length) throws IOException;

    void flush() throws IOException;

    /** Closes and reopens the target, for an external logrotate that renamed the file. */
    void reopen() throws IOException;

    @Override
    void close() throws IOException;
}
