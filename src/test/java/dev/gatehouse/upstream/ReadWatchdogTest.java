package dev.gatehouse.upstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ReadWatchdogTest {
    private final ReadWatchdog watchdog = new ReadWatchdog(Duration.ofMillis(200));

    @Test
    void aReadThatStallsLongerThanTheTimeoutFails() throws Exception {
        PipedOutputStream origin = new PipedOutputStream();
        InputStream body = watchdog.watch(new PipedInputStream(origin));
        origin.write(new byte[] {1, 2});

        byte[] two = new byte[2];
        assertEquals(2, body.read(two, 0, 2));
        assertArrayEquals(new byte[] {1, 2}, two);
        assertThrows(BodyReadTimeoutException.class, () -> body.read(new byte[8], 0, 8)); // nothing more comes
        assertFalse(Thread.currentThread().isInterrupted(), "the sweeper's interrupt is cleared for the caller");
    }

    @Test
    void timeBetweenReadsIsNotAStall() throws Exception {
        // A slow client makes the proxy read the body slowly; only a read in progress counts.
        InputStream body = watchdog.watch(new java.io.ByteArrayInputStream(new byte[] {7, 8}));
        assertEquals(7, body.read());
        Thread.sleep(600);
        assertEquals(8, body.read());
        assertEquals(-1, body.read());
    }
}
