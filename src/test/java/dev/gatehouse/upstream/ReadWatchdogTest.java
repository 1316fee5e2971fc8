package dev.gatehouse.upstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Origin reads timed by the {@link ReadWatchdog}, over real loopback sockets, on virtual threads as in the proxy. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ReadWatchdogTest {
    private ServerSocket server;
    private Socket origin;
    private OriginConnection connection;

    @BeforeEach
    void connect() throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Socket client = new Socket();
        client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()));
        origin = server.accept();
        connection = new OriginConnection((InetSocketAddress) client.getRemoteSocketAddress(), client);
    }

    @AfterEach
    void close() throws IOException {
        connection.close();
        origin.close();
        server.close();
    }

    @Test
    void aReadThatWaitsPastItsTimeoutFailsAsSoTimeoutWould() throws Exception {
        connection.readTimeout(100);
        IOException failure = onVirtualThread(() -> connection.in.read());
        assertTrue(failure instanceof SocketTimeoutException, () -> "a timeout, as callers expect: " + failure);
        assertFalse(connection.isOpen(), "the watchdog closed the socket to end the read");
    }

    @Test
    void aLargeReadPastTheBufferIsTimedToo() throws Exception {
        connection.readTimeout(100);
        IOException failure = onVirtualThread(() -> connection.in.read(new byte[64 * 1024], 0, 64 * 1024));
        assertTrue(failure instanceof SocketTimeoutException, () -> String.valueOf(failure));
    }

    @Test
    void bytesThatComeInTimeAreRead() throws Exception {
        connection.readTimeout(10_000);
        Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(3 * ReadWatchdog.TICK_MILLIS); // several ticks while the read waits, armed
                OutputStream out = origin.getOutputStream();
                out.write(new byte[] {1, 2, 3});
                out.flush();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        byte[] got = new byte[3];
        assertEquals(3, connection.in.readNBytes(got, 0, 3));
        assertArrayEquals(new byte[] {1, 2, 3}, got);
        assertTrue(connection.isOpen());
    }

    @Test
    void anIdleConnectionIsNeverClosedByTheWatchdog() throws Exception {
        connection.readTimeout(1); // a read would time out at once; no read is waiting
        Thread.sleep(5 * ReadWatchdog.TICK_MILLIS);
        assertTrue(connection.isOpen(), "only a read that waits is timed, not a pooled connection");
        origin.getOutputStream().write(7);
        connection.readTimeout(10_000);
        assertEquals(7, connection.in.read());
    }

    @Test
    void aFailureThatIsNotTheWatchdogsIsPassedOnAsItIs() throws Exception {
        connection.readTimeout(10_000);
        Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(2 * ReadWatchdog.TICK_MILLIS);
                origin.setSoLinger(true, 0);
                origin.close(); // a reset: not a timeout
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        IOException failure = onVirtualThread(() -> connection.in.read());
        assertNotNull(failure, "a reset fails the read");
        assertFalse(failure instanceof SocketTimeoutException, () -> String.valueOf(failure));
    }

    @Test
    void aStreamThatIsNotASocketNeverTimesOut() {
        ReadWatchdog.Deadline none = ReadWatchdog.Deadline.NONE;
        none.timeout(1);
        none.arm();
        none.disarm();
        IOException e = new IOException("x");
        assertSame(e, none.failure(e));
    }

    private interface Read {
        int read() throws IOException;
    }

    /** The exception {@code read} ended with, on a virtual thread (an untimed park, as the proxy's exchanges do). */
    private static IOException onVirtualThread(Read read) throws InterruptedException {
        IOException[] failure = new IOException[1];
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                read.read();
            } catch (IOException e) {
                failure[0] = e;
            }
        });
        t.join();
        return failure[0];
    }
}
