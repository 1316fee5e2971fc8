package dev.gatehouse.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A revalidation whose 304 makes the stored response private (RFC 9111 §3.2 merges the 304's Cache-Control into it)
 * answers the client that asked, and the shared cache then keeps no copy for the others (§5.2.2.7).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CacheRefreshPrivacyIT extends MockOriginCase {

    private HttpResponse<String> get(String path) throws Exception {
        return proxy.client().send(HttpRequest.newBuilder(URI.create(url(path))).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void a304ThatMakesTheResponsePrivateIsNotServedToTheNextClient() throws Exception {
        origin.enqueue(new MockResponse.Builder().addHeader("Cache-Control", "max-age=0").addHeader("ETag", "\"v1\"").body("hello").build());
        origin.enqueue(new MockResponse.Builder().code(304).addHeader("Cache-Control", "private, max-age=600")
                .addHeader("ETag", "\"v1\"").build());
        origin.enqueue(new MockResponse.Builder().addHeader("Cache-Control", "private, max-age=600").addHeader("ETag", "\"v1\"")
                .body("fetched again").build());

        get("/p");
        HttpResponse<String> revalidated = get("/p");
        HttpResponse<String> next = get("/p");

        assertEquals("hello", revalidated.body(), "the stored body answers the client that revalidated");
        assertEquals("private, max-age=600", revalidated.headers().firstValue("Cache-Control").orElse(null));
        assertEquals("fetched again", next.body(), "a private response is not handed to another request");
        assertEquals(3, origin.getRequestCount());
        assertEquals(List.of("TCP_MISS", "TCP_REFRESH_UNMODIFIED", "TCP_MISS"), proxy.resultsInArrivalOrder(3));
    }
}
