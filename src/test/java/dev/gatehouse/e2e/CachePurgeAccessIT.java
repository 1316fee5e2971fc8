package dev.gatehouse.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** PURGE is for the clients in {@code cache.purgeClients} only; anyone else gets 403 and the entry stays. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CachePurgeAccessIT {
    @Test
    void purgeFromAClientNotListedIsDeniedAndTheEntryStays() throws Exception {
        try (MockWebServer origin = new MockWebServer();
             GatehouseFixture proxy = GatehouseFixture.start(c -> c.putObject("cache").putArray("purgeClients").add("10.9.9.0/24"))) {
            origin.start(InetAddress.getByName("127.0.0.1"), 0);
            origin.enqueue(new MockResponse.Builder().addHeader("Cache-Control", "max-age=600").body("kept").build());
            URI url = URI.create("http://127.0.0.1:" + origin.getPort() + "/x");

            proxy.client().send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> purge = proxy.client().send(HttpRequest.newBuilder(url)
                    .method("PURGE", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> after = proxy.client().send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString());

            assertEquals(403, purge.statusCode());
            assertEquals("kept", after.body());
            assertEquals(1, origin.getRequestCount());
            assertEquals("TCP_DENIED", proxy.awaitRecord(r -> r.get("method").asText().equals("PURGE")).get("result").asText());
        }
    }
}
