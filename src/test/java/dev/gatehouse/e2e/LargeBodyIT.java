package dev.gatehouse.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Bodies far larger than the heap stream through: surefire runs the tests with {@code -Xmx512m}, and the
 * proxy, the client and the origin share that heap, so a 1 GiB download passes only if nothing holds a
 * whole body. The origin generates and consumes bytes without storing them; both ends compare the byte
 * count and a CRC-32 of the stream.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LargeBodyIT extends RawOriginCase {
    private static final long ONE_GIB = 1L << 30;
    private static final long UPLOAD = 200_000_000L;
    private static final byte[] BLOCK = new byte[64 * 1024];

    static {
        new Random(42).nextBytes(BLOCK);
    }

    /** {@code length} bytes of the repeating {@link #BLOCK}, generated on demand. */
    private static final class Generated extends InputStream {
        private long remaining;
        private long position;
        private final CRC32 crc = new CRC32();

        Generated(long length) {
            this.remaining = length;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (remaining == 0) return -1;
            int at = (int) (position % BLOCK.length);
            int n = (int) Math.min(Math.min(len, BLOCK.length - at), remaining);
            System.arraycopy(BLOCK, at, b, off, n);
            crc.update(b, off, n);
            remaining -= n;
            position += n;
            return n;
        }
    }

    @Test
    void oneGibibyteDownloadStreamsThrough() throws Exception {
        origin = new RawOrigin((s, i, o) -> {
            RawOrigin.readHead(s.getInputStream());
            RawOrigin.write(s, "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: " + ONE_GIB + "\r\n\r\n");
            CRC32 crc = new CRC32();
            OutputStream out = s.getOutputStream();
            for (long sent = 0; sent < ONE_GIB; sent += BLOCK.length) {
                out.write(BLOCK);
                crc.update(BLOCK);
            }
            out.flush();
            o.post(Long.toHexString(crc.getValue()));
            s.getInputStream().read(); // keep the connection until the proxy is done with it
        });
        proxy = GatehouseFixture.start();

        // Not a name the shipped refresh rules give heuristic freshness (.iso would be): without a validator or a
        // lifetime the response is not stored, so this test streams 1 GiB without also writing it to the disk tier.
        HttpResponse<InputStream> response = proxy.client().send(HttpRequest.newBuilder(URI.create(origin.url("/big.bin"))).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        CRC32 crc = new CRC32();
        long received = 0;
        try (InputStream body = response.body()) {
            byte[] b = new byte[64 * 1024];
            for (int n; (n = body.read(b)) >= 0; received += n) crc.update(b, 0, n);
        }

        assertEquals(200, response.statusCode());
        assertEquals(ONE_GIB, received);
        assertEquals(origin.nextEvent(), Long.toHexString(crc.getValue()));
        JsonNode record = proxy.awaitOnlyRecord();
        assertEquals("TCP_MISS", record.get("result").asText());
        assertTrue(record.get("bytesToClient").asLong() > ONE_GIB, record::toString);
    }

    @Test
    void twoHundredMegabyteUploadStreamsThrough() throws Exception {
        origin = new RawOrigin((s, i, o) -> {
            InputStream in = s.getInputStream();
            List<String> head = RawOrigin.readHead(in);
            long length = Long.parseLong(RawOrigin.field(head, "Content-Length"));
            CRC32 crc = new CRC32();
            byte[] b = new byte[64 * 1024];
            long got = 0;
            while (got < length) {
                int n = in.read(b, 0, (int) Math.min(b.length, length - got));
                if (n < 0) break;
                crc.update(b, 0, n);
                got += n;
            }
            String answer = got + " " + Long.toHexString(crc.getValue());
            RawOrigin.write(s, "HTTP/1.1 200 OK\r\nContent-Length: " + answer.length() + "\r\n\r\n" + answer);
        });
        proxy = GatehouseFixture.start();
        Generated upload = new Generated(UPLOAD);

        HttpResponse<String> response = proxy.client().send(HttpRequest.newBuilder(URI.create(origin.url("/upload")))
                .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> upload), UPLOAD))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(200, response.statusCode(), response::body);
        assertEquals(UPLOAD + " " + Long.toHexString(upload.crc.getValue()), response.body());
        JsonNode record = proxy.awaitOnlyRecord();
        assertTrue(record.get("bytesFromClient").asLong() > UPLOAD, record::toString);
    }
}
