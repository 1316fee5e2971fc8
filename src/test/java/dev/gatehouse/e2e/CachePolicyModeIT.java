package dev.gatehouse.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The policy's cache mode wins over RFC 9111: {@code bypass} and {@code no-store} keep a cacheable response out of the cache. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CachePolicyModeIT {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"bypass", "no-store"})
    void aCacheableResponseIsNotStoredWhenThePolicySaysSo(String mode) throws Exception {
        Path policy = dir.resolve("policy.json");
        Files.writeString(policy, """
                { "schemaVersion": 1, "name": "cache mode test",
                  "defaultAction": { "action": "allow", "cache": "%s" }, "rules": [] }
                """.formatted(mode));
        try (MockWebServer origin = new MockWebServer();
             GatehouseFixture proxy = GatehouseFixture.start(c -> c.putObject("policy").put("file", policy.toString()).put("watch", false))) {
            origin.start(InetAddress.getByName("127.0.0.1"), 0);
            for (int i = 0; i < 2; i++) {
                origin.enqueue(new MockResponse.Builder().addHeader("Cache-Control", "max-age=600").body("response " + i).build());
            }
            URI url = URI.create("http://127.0.0.1:" + origin.getPort() + "/page");

            HttpResponse<String> first = proxy.client().send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> second = proxy.client().send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString());

            assertEquals("response 0", first.body());
            assertEquals("response 1", second.body());
            assertEquals(2, origin.getRequestCount());
            List<String> results = proxy.awaitRecords(2).stream().map(r -> r.get("result").asText()).toList();
            assertEquals(List.of("TCP_MISS", "TCP_MISS"), results);
            assertTrue(proxy.awaitRecords(2).stream().allMatch(r -> r.get("hierarchy").asText().equals("HIER_DIRECT")));
        }
    }
}
