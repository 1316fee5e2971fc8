package dev.gatehouse.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The disk tier across restarts: a response stored by one Gatehouse is a hit for the next one on the same
 * data directory; a stored file damaged in between (flipped bytes, truncation) is a miss, never garbage.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CachePersistenceIT {
    private static final String BODY = "the stored body, long enough to damage in the middle ".repeat(20);
    private final MockWebServer origin = new MockWebServer();
    private Path dataDir;

    @BeforeEach
    void start() throws Exception {
        origin.start(InetAddress.getByName("127.0.0.1"), 0);
        dataDir = Files.createTempDirectory("gatehouse-cache-e2e");
    }

    @AfterEach
    void stop() throws IOException {
        origin.close();
        try (Stream<Path> paths = Files.walk(dataDir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private GatehouseFixture gatehouse() {
        return GatehouseFixture.start(c -> c.put("dataDir", dataDir.toString()));
    }

    private HttpResponse<String> get(GatehouseFixture proxy) throws Exception {
        URI url = URI.create("http://127.0.0.1:" + origin.getPort() + "/doc");
        return proxy.client().send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void storeOnce() throws Exception {
        origin.enqueue(new MockResponse.Builder().addHeader("Cache-Control", "max-age=600").body(BODY).build());
        try (GatehouseFixture first = gatehouse()) {
            assertEquals(BODY, get(first).body());
            first.awaitRecords(1);
        }
    }

    private List<Path> stored(String suffix) throws IOException {
        try (Stream<Path> files = Files.walk(dataDir.resolve("cache"))) {
            return files.filter(p -> p.getFileName().toString().endsWith(suffix) && !p.getParent().endsWith("tmp")).toList();
        }
    }

    @Test
    void aStoredResponseIsAHitAfterARestart() throws Exception {
        storeOnce();

        try (GatehouseFixture second = gatehouse()) {
            HttpResponse<String> hit = get(second);

            assertEquals(BODY, hit.body());
            assertEquals(1, origin.getRequestCount());
            assertEquals("TCP_HIT", second.awaitRecords(2).get(1).get("result").asText(), "from disk: memory starts empty");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"flip body", "truncate body", "flip meta", "truncate meta"})
    void aDamagedStoredFileIsAMissNeverGarbage(String damage) throws Exception {
        storeOnce();
        List<Path> files = stored(damage.endsWith("body") ? ".body" : ".meta");
        assertEquals(1, files.size(), "one stored file: " + files);
        try (RandomAccessFile file = new RandomAccessFile(files.getFirst().toFile(), "rw")) {
            if (damage.startsWith("flip")) {
                long middle = file.length() / 2;
                file.seek(middle);
                int b = file.read();
                file.seek(middle);
                file.write(b ^ 0xff);
            } else {
                file.setLength(file.length() / 2);
            }
        }
        origin.enqueue(new MockResponse.Builder().addHeader("Cache-Control", "max-age=600").body("fresh from the origin").build());

        try (GatehouseFixture second = gatehouse()) {
            HttpResponse<String> response = get(second);

            assertEquals("fresh from the origin", response.body());
            assertEquals(2, origin.getRequestCount());
            String result = second.awaitRecords(2).get(1).get("result").asText();
            assertEquals("TCP_MISS", result);
            assertFalse(response.body().contains("stored body"));
        }
    }
}
