package dev.gatehouse.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

import org.junit.jupiter.api.Test;

/** The writer life cycle every tier shares: storage failures stop storing but never reach the client's stream. */
class BodyWriterTest {

    /** Stores into memory, failing with "disk full" once {@code capacity} bytes are stored. */
    private static final class FillingWriter extends BodyWriter {
        final ByteArrayOutputStream stored = new ByteArrayOutputStream();
        final int capacity;
        int published;
        int discarded;

        FillingWriter(long maxObjectBytes, int capacity) {
            super(maxObjectBytes);
            this.capacity = capacity;
        }

        @Override
        protected void store(byte[] bytes, int offset, int length) throws IOException {
            if (stored.size() + length > capacity) {
                throw new IOException("No space left on device");
            }
            stored.write(bytes, offset, length);
        }

        @Override
        protected void publish(long length) {
            published++;
        }

        @Override
        protected void discard() {
            discarded++;
        }
    }

    @Test
    void aFullDiskStopsStoringWithoutAnException() throws IOException {
        FillingWriter writer = new FillingWriter(1 << 20, 100);
        writer.body().write(new byte[60]);
        writer.body().write(new byte[60]); // "disk full": swallowed
        writer.body().write(new byte[10]); // ignored after the failure
        assertFalse(writer.commit());
        assertEquals(60, writer.stored.size());
        assertEquals(0, writer.published);
        assertEquals(1, writer.discarded, "the partial file is discarded exactly once");
        writer.close();
        assertEquals(1, writer.discarded);
    }

    @Test
    void anObjectOverTheMaximumSizeIsDiscarded() throws IOException {
        FillingWriter writer = new FillingWriter(100, 1 << 20);
        writer.body().write(new byte[100]);
        writer.body().write(1);
        assertFalse(writer.commit());
        assertEquals(1, writer.discarded);
    }

    @Test
    void aCompleteBodyIsPublishedOnceAndCloseAfterCommitKeepsIt() throws IOException {
        FillingWriter writer = new FillingWriter(100, 1 << 20);
        writer.body().write(new byte[100]);
        assertTrue(writer.commit());
        assertFalse(writer.commit(), "a second commit does nothing");
        writer.close();
        assertEquals(1, writer.published);
        assertEquals(0, writer.discarded);
    }

    @Test
    void closingWithoutCommitAborts() throws IOException {
        FillingWriter writer = new FillingWriter(100, 1 << 20);
        writer.body().write(new byte[10]);
        writer.close();
        assertFalse(writer.commit());
        assertEquals(0, writer.published);
        assertEquals(1, writer.discarded);
    }
}
