package dev.gatehouse.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A 200 MB cacheable download is streamed to the client and teed to disk at once, then served from disk,
 * with the heap flat: measured after a GC half-way through each transfer (surefire caps the heap at 512 MB).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CacheLargeObjectIT {
    private static final long LENGTH = 200L << 20;
    /** More than this retained half-way through would mean a body is being held in memory. */
    private static final long HEAP_GROWTH_LIMIT = 64L << 20;

    private RawOrigin origin;
    private GatehouseFixture proxy;

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) proxy.close();
        if (origin != null) origin.close();
    }

    @Test
    void a200MbDownloadIsStoredWhileStreamingAndServedFromDiskWithAFlatHeap() throws Exception {
        origin = new RawOrigin((s, i, o) -> {
            RawOrigin.readHead(s.getInputStream());
            RawOrigin.write(s, "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nCache-Control: max-age=600\r\n"
                    + "Content-Length: " + LENGTH + "\r\n\r\n");
            byte[] block = pattern(64 * 1024);
            OutputStream out = s.getOutputStream();
            for (long sent = 0; sent < LENGTH; sent += block.length) out.write(block);
            out.flush();
        });
        proxy = GatehouseFixture.start();
        long baseline = usedHeapAfterGc();

        long missGrowth = download() - baseline;
        proxy.awaitRecords(1); // the miss's record first: records are written as exchanges end, not as they start
        long hitGrowth = download() - baseline;

        assertEquals(1, origin.connections(), "the second download came from the cache");
        assertEquals("TCP_MISS", proxy.awaitRecords(2).get(0).get("result").asText());
        assertEquals("TCP_HIT", proxy.awaitRecords(2).get(1).get("result").asText());
        // The disk hit goes out by sendfile, beneath Undertow's buffers: the connection tap still counts it.
        long hitBytes = proxy.awaitRecords(2).get(1).get("bytesToClient").asLong();
        assertTrue(hitBytes > LENGTH, "the hit's record counts the body and the head, got " + hitBytes);
        assertTrue(missGrowth < HEAP_GROWTH_LIMIT, "heap grew by " + (missGrowth >> 20) + " MB half-way through the miss");
        assertTrue(hitGrowth < HEAP_GROWTH_LIMIT, "heap grew by " + (hitGrowth >> 20) + " MB half-way through the hit");
    }

    /** Downloads the whole body, checking every byte; returns the heap used after a GC half-way through. */
    private long download() throws Exception {
        try (RawConnection c = RawConnection.open(proxy.proxyAddress())) {
            c.send("GET " + origin.url("/image.iso") + " HTTP/1.1\r\nHost: 127.0.0.1:" + origin.port() + "\r\n\r\n");
            RawConnection.Response head = c.readHead();
            assertEquals(200, head.status());
            assertEquals(Long.toString(LENGTH), head.header("Content-Length"));
            InputStream in = c.input();
            byte[] expected = pattern(64 * 1024);
            byte[] buffer = new byte[64 * 1024];
            long received = 0;
            long midway = -1;
            while (received < LENGTH) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, LENGTH - received));
                if (n < 0) break;
                for (int k = 0; k < n; k++) {
                    if (buffer[k] != expected[(int) ((received + k) % expected.length)]) {
                        throw new AssertionError("wrong byte at " + (received + k));
                    }
                }
                received += n;
                if (midway < 0 && received >= LENGTH / 2) midway = usedHeapAfterGc();
            }
            assertEquals(LENGTH, received);
            return midway;
        }
    }

    @Test
    void aClientLeavingInTheMiddleOfADiskHitIsAuditedAsAborted() throws Exception {
        long length = 64L << 20; // far more than the socket buffers hold, so the proxy is still sending
        origin = new RawOrigin((s, i, o) -> {
            RawOrigin.readHead(s.getInputStream());
            RawOrigin.write(s, "HTTP/1.1 200 OK\r\nCache-Control: max-age=600\r\nContent-Length: " + length + "\r\n\r\n");
            byte[] block = pattern(64 * 1024);
            OutputStream out = s.getOutputStream();
            for (long sent = 0; sent < length; sent += block.length) out.write(block);
            out.flush();
        });
        proxy = GatehouseFixture.start();
        String request = "GET " + origin.url("/big.bin") + " HTTP/1.1\r\nHost: 127.0.0.1:" + origin.port() + "\r\n\r\n";
        try (RawConnection c = RawConnection.open(proxy.proxyAddress())) { // the miss, stored whole
            c.send(request);
            assertEquals(200, c.readHead().status());
            c.input().readNBytes((int) length);
        }
        // The client can have the miss's last byte before its exchange ends and is audited; without this
        // wait, the aborted hit's record could be written first on a busy machine.
        proxy.awaitRecords(1);
        try (RawConnection c = RawConnection.open(proxy.proxyAddress())) { // the hit, left after 64 KiB
            c.send(request);
            assertEquals(200, c.readHead().status());
            c.input().readNBytes(64 * 1024);
        }

        assertEquals("TCP_HIT_ABORTED", proxy.awaitRecords(2).get(1).get("result").asText());
    }

    private static byte[] pattern(int size) {
        byte[] block = new byte[size];
        for (int k = 0; k < size; k++) block[k] = (byte) (k * 31 + 7);
        return block;
    }

    private static long usedHeapAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        System.gc();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
