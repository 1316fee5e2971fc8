package dev.gatehouse.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CachingInputStreamTest {
    private static final byte[] BODY = "0123456789".getBytes();

    /** Logs commit and abort into {@code events}, beside the stream's completion. */
    private static CacheStore.Writer writer(List<String> events) {
        return new CacheStore.Writer() {
            private final ByteArrayOutputStream body = new ByteArrayOutputStream();

            @Override public OutputStream body() { return body; }
            @Override public boolean commit() { events.add("commit"); return true; }
            @Override public void abort() { events.add("abort"); }
            @Override public boolean storing() { return true; }
            @Override public void close() { }
        };
    }

    @Test
    void completionRunsOnceAfterTheCommitWhenTheLastByteOfAKnownLengthIsRead() throws IOException {
        List<String> events = new ArrayList<>();
        CachingInputStream in = new CachingInputStream(new ByteArrayInputStream(BODY), writer(events), BODY.length);
        in.onComplete(() -> events.add("complete"));

        assertEquals(BODY.length, in.read(new byte[64])); // the last byte, not yet the end of the stream
        assertEquals(List.of("commit", "complete"), events, "before the caller can write the last bytes on");
        assertEquals(-1, in.read(new byte[64]));
        in.close();
        assertEquals(List.of("commit", "complete"), events);
    }

    @Test
    void aBodyCutShortAbortsAndDoesNotComplete() throws IOException {
        List<String> events = new ArrayList<>();
        CachingInputStream in = new CachingInputStream(new ByteArrayInputStream(BODY), writer(events), BODY.length + 5);
        in.onComplete(() -> events.add("complete"));

        in.read(new byte[64]);
        assertEquals(-1, in.read(new byte[64]));

        assertEquals(List.of("abort"), events);
    }

    @Test
    void aBodyClosedEarlyAbortsAndDoesNotComplete() throws IOException {
        List<String> events = new ArrayList<>();
        CachingInputStream in = new CachingInputStream(new ByteArrayInputStream(BODY), writer(events), BODY.length);
        in.onComplete(() -> events.add("complete"));

        in.read(new byte[4]);
        in.close();

        assertEquals(List.of("abort"), events);
    }
}
