package dev.gatehouse.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.gatehouse.cache.HttpDate;
import dev.gatehouse.cache.MutableClock;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code cache.refreshRules} through real sockets: responses with only a Last-Modified (ten days old), no
 * explicit freshness, get their heuristic lifetime (RFC 9111 §4.2.2) from the first rule their URL matches.
 * The cache's clock is moved instead of sleeping.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RefreshRulesIT {
    private static final long DAY = 24 * 3600;

    private final MockWebServer origin = new MockWebServer();
    private final MutableClock clock = new MutableClock(System.currentTimeMillis());
    private final String lastModified = HttpDate.format(clock.millis() - 10 * DAY * 1000);
    private GatehouseFixture proxy;

    @BeforeEach
    void start() throws Exception {
        origin.start(InetAddress.getByName("127.0.0.1"), 0);
        origin.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String date = HttpDate.format(clock.millis());
                if (request.getHeaders().get("If-Modified-Since") != null) {
                    return new MockResponse.Builder().code(304).addHeader("Date", date).build();
                }
                return new MockResponse.Builder().addHeader("Date", date).addHeader("Last-Modified", lastModified)
                        .addHeader("Content-Type", "application/octet-stream").body("body of " + request.getUrl().encodedPath()).build();
            }
        });
        // Installers: half the time since Last-Modified, up to 7 days (1 without it); a live feed: no heuristic freshness.
        proxy = GatehouseFixture.start(config -> {
            ArrayNode rules = config.putObject("cache").putArray("refreshRules");
            rules.addObject().put("pattern", "\\.(iso|msi)$").put("caseInsensitive", true).put("min", "1d").put("percent", 50).put("max", "7d");
            rules.addObject().put("pattern", "/live/").put("min", "0s").put("percent", 0).put("max", "0s");
        }, clock);
    }

    @AfterEach
    void stop() {
        proxy.close();
        origin.close();
    }

    /** Two days on, past the fallback's one day (10% of ten days): still fresh under the 5 days the rule gives. */
    @Test
    void aUrlMatchingALongRuleIsAHitPastTheFallbackLifetime() throws Exception {
        assertEquals("body of /Setup.ISO", get("/Setup.ISO").body());
        clock.advanceSeconds(2 * DAY);
        HttpResponse<String> hit = get("/Setup.ISO");

        assertEquals("body of /Setup.ISO", hit.body());
        assertEquals("HIT from gatehouse", hit.headers().firstValue("X-Cache").orElse(null));
        assertEquals(1, origin.getRequestCount());
        assertEquals(List.of("TCP_MISS", "TCP_MEM_HIT"), proxy.resultsInArrivalOrder(2));
    }

    /** A second later, well within the fallback's day: the zero rule has it revalidated, and the origin says 304. */
    @Test
    void aUrlMatchingAZeroRuleIsRevalidatedOnEveryUse() throws Exception {
        assertEquals("body of /live/scores", get("/live/scores").body());
        clock.advanceSeconds(1);
        HttpResponse<String> revalidated = get("/live/scores");

        assertEquals("body of /live/scores", revalidated.body());
        assertEquals(2, origin.getRequestCount());
        RecordedRequest first = origin.takeRequest(5, TimeUnit.SECONDS);
        RecordedRequest conditional = origin.takeRequest(5, TimeUnit.SECONDS);
        assertNotNull(first);
        assertNotNull(conditional);
        assertNull(first.getHeaders().get("If-Modified-Since"));
        assertEquals(lastModified, conditional.getHeaders().get("If-Modified-Since"));
        assertEquals(List.of("TCP_MISS", "TCP_REFRESH_UNMODIFIED"), proxy.resultsInArrivalOrder(2));
    }

    private HttpResponse<String> get(String path) throws Exception {
        URI url = URI.create("http://127.0.0.1:" + origin.getPort() + path);
        return proxy.client().send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString());
    }
}
