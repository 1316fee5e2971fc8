package dev.gatehouse.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A miss whose client goes away mid-body ({@code cache.quickAbort}, Squid's {@code quick_abort_*}): nearly
 * done, the download goes on and is stored, so the next client gets a hit; far from done, it stops with the
 * client and the next client fetches again.
 *
 * <p>The origin sends the first part of the body, waits until the client has read what it wants and
 * reset its connection, then sends the rest in small pieces with pauses: the proxy notices the client is gone
 * at its first write after the reset, with most of the rest still to come.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class QuickAbortIT {
    private static final int LENGTH = 4_000_000;
    private static final byte[] BODY = body();

    private final CountDownLatch clientGone = new CountDownLatch(1);
    private RawOrigin origin;
    private GatehouseFixture proxy;

    @AfterEach
    void stop() throws IOException {
        if (proxy != null) proxy.close();
        if (origin != null) origin.close();
    }

    @Test
    void aDownloadNearlyDoneWhenItsClientLeavesIsFinishedAndStored() throws Exception {
        startOrigin(3_850_000); // 96 %
        proxy = GatehouseFixture.start();

        leaveAfter(3_820_000);
        assertEquals("sent all", origin.nextEvent());
        JsonNode left = proxy.awaitOnlyRecord();
        assertEquals("TCP_MISS_ABORTED", left.get("result").asText(), left::toString);

        RawConnection.Response next = RawConnection.roundTrip(proxy.proxyAddress(), get());
        assertTrue(next.complete() && Arrays.equals(BODY, next.body()), "the stored body is the origin's, whole");
        assertEquals(1, origin.connections(), "the next client was answered from the cache");
        String result = proxy.awaitRecords(2).get(1).get("result").asText();
        assertTrue(result.equals("TCP_HIT") || result.equals("TCP_MEM_HIT"), result);
    }

    @Test
    void aDownloadFarFromDoneStopsWithItsClient() throws Exception {
        startOrigin(1_000_000); // 25 %
        proxy = GatehouseFixture.start();

        leaveAfter(900_000);
        assertTrue(origin.nextEvent().startsWith("cut after "), "the origin's connection was dropped");
        proxy.awaitOnlyRecord();

        RawConnection.Response next = RawConnection.roundTrip(proxy.proxyAddress(), get());
        assertTrue(next.complete() && Arrays.equals(BODY, next.body()));
        assertEquals(2, origin.connections(), "nothing was stored: the next client fetched again");
        assertEquals("second fetch", origin.nextEvent());
    }

    @Test
    void quickAbortCanBeTurnedOff() throws Exception {
        startOrigin(3_850_000);
        proxy = GatehouseFixture.start(c -> c.putObject("cache").putObject("quickAbort")
                .put("minBytes", 0).put("maxBytes", 0).put("percent", 100));

        leaveAfter(3_820_000);
        assertTrue(origin.nextEvent().startsWith("cut after "), "96 % done, but finishing is off");
        proxy.awaitOnlyRecord();
        RawConnection.roundTrip(proxy.proxyAddress(), get());
        assertEquals(2, origin.connections());
    }

    /**
     * {@code minBytes: -1} finishes a body of unknown length only while the store takes it: past
     * {@code maxObjectBytes} (1 MiB here) the rest is worth nothing, and a stream may never end (64 MiB here).
     */
    @Test
    void aBodyOfUnknownLengthIsNotReadOnOnceTheStoreHasGivenItUp() throws Exception {
        byte[] chunk = ("2000\r\n" + "x".repeat(8192) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        origin = new RawOrigin((socket, index, o) -> {
            RawOrigin.readHead(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nCache-Control: max-age=600\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            int sent = 0;
            try {
                for (; sent < 25; sent++) out.write(chunk);
                out.flush();
                if (!clientGone.await(20, TimeUnit.SECONDS)) throw new IllegalStateException("the client never left");
                for (; sent < 8192; sent++) out.write(chunk);
                out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                o.post("sent all");
            } catch (IOException e) {
                o.post("cut after " + sent + " chunks");
            }
        });
        proxy = GatehouseFixture.start(c -> c.putObject("cache").put("maxObjectBytes", 1 << 20).put("memoryObjectBytes", 1 << 20)
                .putObject("quickAbort").put("minBytes", -1));

        leaveAfter(100_000);
        String event = origin.nextEvent();
        assertTrue(event.startsWith("cut after "), "read on after the store gave the body up: " + event);
    }

    /**
     * The first connection gets the head and {@code first} body bytes, then, once the client has left, the
     * rest in 8 KiB pieces 5 ms apart; later connections get the whole response at once.
     */
    private void startOrigin(int first) throws IOException {
        origin = new RawOrigin((socket, index, o) -> {
            RawOrigin.readHead(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + LENGTH + "\r\nCache-Control: max-age=600\r\n"
                    + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            if (index > 0) {
                out.write(BODY);
                out.flush();
                o.post("second fetch");
                return;
            }
            out.write(BODY, 0, first);
            out.flush();
            if (!clientGone.await(20, TimeUnit.SECONDS)) throw new IllegalStateException("the client never left");
            int sent = first;
            try {
                while (sent < LENGTH) {
                    int n = Math.min(8192, LENGTH - sent);
                    out.write(BODY, sent, n);
                    out.flush();
                    sent += n;
                    Thread.sleep(5);
                }
                o.post("sent all");
            } catch (IOException e) {
                o.post("cut after " + sent);
            }
        });
    }

    /** Asks for the body, reads {@code bytes} of it and resets the connection. */
    private void leaveAfter(int bytes) throws IOException {
        try (RawConnection client = RawConnection.open(proxy.proxyAddress())) {
            client.send(get());
            assertEquals(200, client.readHead().status());
            InputStream in = client.input();
            assertEquals(bytes, in.readNBytes(bytes).length);
            Socket socket = client.socket();
            socket.setSoLinger(true, 0); // leave abruptly: a reset, as a cancelled download does
        }
        clientGone.countDown();
    }

    private String get() {
        return "GET " + origin.url("/installer.msi") + " HTTP/1.1\r\nHost: 127.0.0.1:" + origin.port() + "\r\n\r\n";
    }

    private static byte[] body() {
        byte[] b = new byte[LENGTH];
        for (int i = 0; i < b.length; i++) b[i] = (byte) (i * 31 + (i >>> 11));
        return b;
    }
}
