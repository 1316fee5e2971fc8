package dev.gatehouse.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Not an open proxy, not a way into the proxy host: clients outside {@code clients.allow}, loopback and
 * link-local destinations without {@code destinations.allowPrivate}, and the proxy's own ports are
 * refused with 403, audited, and never connected to.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SecureDefaultsIT {
    private GatehouseFixture proxy;
    private RawOrigin origin;

    @BeforeEach
    void startOrigin() throws IOException {
        origin = new RawOrigin((s, i, o) -> {
            RawOrigin.readHead(s.getInputStream());
            RawOrigin.write(s, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        });
    }

    @AfterEach
    void stop() throws IOException {
        if (proxy != null) proxy.close();
        origin.close();
    }

    private HttpResponse<String> get(String url) throws Exception {
        return proxy.client().send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertDenied(HttpResponse<String> response, JsonNode record, String error) {
        assertEquals(403, response.statusCode());
        assertEquals(403, record.get("status").asInt());
        assertEquals("TCP_DENIED", record.get("result").asText(), record::toString);
        assertEquals(error, record.get("error").asText(), record::toString);
        assertTrue(response.body().contains(record.get("requestId").asText()), response::body);
    }

    private static JsonNode recordFor(List<JsonNode> records, String url) {
        return records.stream().filter(r -> r.get("url").asText().equals(url)).findFirst()
                .orElseThrow(() -> new AssertionError("no record for " + url + ": " + records));
    }

    @Test
    void clientOutsideAllowedNetworks_gets403AndIsAudited() throws Exception {
        proxy = GatehouseFixture.start(c -> c.putObject("clients").putArray("allow").add("10.0.0.0/8").add("fd00::/8"));

        HttpResponse<String> response = get(origin.url("/"));

        JsonNode record = proxy.awaitOnlyRecord();
        assertDenied(response, record, "client_denied");
        assertEquals("127.0.0.1", record.get("client").asText());
        assertEquals(0, origin.connections());
    }

    @Test
    void clientOutsideAllowedNetworks_cannotTunnelEither() throws Exception {
        proxy = GatehouseFixture.start(c -> {
            c.putObject("clients").putArray("allow").add("10.0.0.0/8");
            c.withObject("/destinations").putArray("connectPorts").add(origin.port());
        });

        RawConnection.Response r = RawConnection.roundTrip(proxy.proxyAddress(), "CONNECT 127.0.0.1:" + origin.port() + " HTTP/1.1\r\nHost: 127.0.0.1:" + origin.port() + "\r\n\r\n");

        assertEquals(403, r.status());
        assertEquals("client_denied", proxy.awaitOnlyRecord().get("error").asText());
        assertEquals(0, origin.connections());
    }

    @Test
    void loopbackDestinationWithoutAllowPrivate_gets403() throws Exception {
        proxy = GatehouseFixture.start(c -> c.withObject("/destinations").putArray("allowPrivate"));

        HttpResponse<String> response = get(origin.url("/internal"));

        assertDenied(response, proxy.awaitOnlyRecord(), "destination_denied");
        assertEquals(0, origin.connections());
    }

    @Test
    void loopbackTunnelWithoutAllowPrivate_gets403() throws Exception {
        proxy = GatehouseFixture.start(c -> {
            c.withObject("/destinations").putArray("allowPrivate");
            c.withObject("/destinations").putArray("connectPorts").add(origin.port());
        });

        RawConnection.Response r = RawConnection.roundTrip(proxy.proxyAddress(), "CONNECT localhost:" + origin.port() + " HTTP/1.1\r\nHost: localhost:" + origin.port() + "\r\n\r\n");

        assertEquals(403, r.status());
        assertEquals("destination_denied", proxy.awaitOnlyRecord().get("error").asText());
        assertEquals(0, origin.connections());
    }

    @Test
    void linkLocalMetadataAddress_gets403WithoutAConnectionAttempt() throws Exception {
        proxy = GatehouseFixture.start();

        HttpResponse<String> response = get("http://169.254.169.254/latest/meta-data/");

        assertDenied(response, proxy.awaitOnlyRecord(), "destination_denied");
    }

    @Test
    void requestToTheProxyItself_gets403() throws Exception {
        proxy = GatehouseFixture.start(); // allowPrivate includes 127.0.0.1: the own ports stay refused

        HttpResponse<String> viaIp = get("http://127.0.0.1:" + proxy.proxyPort() + "/");
        HttpResponse<String> viaName = get("http://localhost:" + proxy.proxyPort() + "/again");
        HttpResponse<String> admin = get("http://127.0.0.1:" + proxy.gatehouse().adminAddress().getPort() + "/healthz");

        var records = proxy.awaitRecords(3);
        assertEquals(3, records.size(), records::toString);
        // Matched by URL: a record is written as its exchange completes, which may be after the next request began.
        assertDenied(viaIp, recordFor(records, "http://127.0.0.1:" + proxy.proxyPort() + "/"), "destination_denied");
        assertDenied(viaName, recordFor(records, "http://localhost:" + proxy.proxyPort() + "/again"), "destination_denied");
        assertDenied(admin, recordFor(records, "http://127.0.0.1:" + proxy.gatehouse().adminAddress().getPort() + "/healthz"),
                "destination_denied");
    }

    @Test
    void originFormRequestIsNotForwarded() throws Exception {
        proxy = GatehouseFixture.start();

        RawConnection.Response r = RawConnection.roundTrip(proxy.proxyAddress(), "GET /index.html HTTP/1.1\r\nHost: " + InetAddress.getLoopbackAddress().getHostAddress() + ":" + origin.port() + "\r\n\r\n");

        assertEquals(400, r.status());
        assertEquals(0, origin.connections());
        assertEquals("not_a_proxy_request", proxy.awaitOnlyRecord().get("error").asText());
    }

    @Test
    void refusedUploadGetsNo100Continue() throws Exception {
        proxy = GatehouseFixture.start(c -> c.withObject("/destinations").putArray("allowPrivate"));

        try (RawConnection c = RawConnection.open(proxy.proxyAddress())) {
            c.send("PUT " + origin.url("/file") + " HTTP/1.1\r\nHost: 127.0.0.1:" + origin.port()
                    + "\r\nContent-Length: 1000000\r\nExpect: 100-continue\r\n\r\n");
            // The refusal comes before the body is asked for: the client never has to send it.
            assertEquals(403, c.readHead().status());
        }
        assertEquals("destination_denied", proxy.awaitOnlyRecord().get("error").asText());
        assertEquals(0, origin.connections());
    }
}
