package dev.gatehouse.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * RFC 9111 §4.3.5 through real sockets: a HEAD the cache forwards (its stored GET is stale, or the client asks for
 * validation) and the origin answers 200 refreshes the stored GET when it describes the same representation, and
 * stops it being served when it describes another.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CacheHeadFresheningIT extends MockOriginCase {

    private HttpResponse<String> send(String method, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path))).method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) request.headers(headers);
        return proxy.client().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The origin's answer to a HEAD: the GET's fields, its length, no body. */
    private static MockResponse headAnswer(String etag, int length, String version) {
        return new MockResponse.Builder().addHeader("Cache-Control", "max-age=600").addHeader("ETag", etag)
                .addHeader("X-Version", version).setHeader("Content-Length", Integer.toString(length)).build();
    }

    private static MockResponse getAnswer(String body, String cacheControl, String etag) {
        return new MockResponse.Builder().addHeader("Cache-Control", cacheControl).addHeader("ETag", etag)
                .addHeader("X-Version", "1").body(body).build();
    }

    /** The methods of the first {@code n} requests the origin received, in order (null where none came). */
    private List<String> originSaw(int n) throws InterruptedException {
        List<String> methods = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            RecordedRequest r = origin.takeRequest(10, TimeUnit.SECONDS);
            methods.add(r == null ? null : r.getMethod());
        }
        return methods;
    }

    @Test
    void aHeadAnsweredWithTheSameETagRefreshesTheStaleStoredGet() throws Exception {
        origin.enqueue(getAnswer("hello", "max-age=0", "\"v1\""));
        origin.enqueue(headAnswer("\"v1\"", 5, "2"));
        origin.enqueue(getAnswer("asked again", "max-age=600", "\"v1\"")); // only if the HEAD refreshed nothing

        send("GET", "/r");
        HttpResponse<String> head = send("HEAD", "/r");
        HttpResponse<String> hit = send("GET", "/r");

        assertEquals(200, head.statusCode());
        assertEquals("2", head.headers().firstValue("X-Version").orElse(null), "the origin's answer to the HEAD is passed on");
        assertEquals("hello", hit.body(), "the stored body, refreshed by the HEAD");
        assertEquals("2", hit.headers().firstValue("X-Version").orElse(null), "the HEAD's fields replaced the stored ones");
        assertEquals("HIT from gatehouse", hit.headers().firstValue("X-Cache").orElse(null));
        assertEquals(2, origin.getRequestCount(), "the HEAD's max-age made the stored GET fresh");
        assertEquals(List.of("GET", "HEAD"), originSaw(2));
        assertEquals(List.of("TCP_MISS", "TCP_REFRESH_UNMODIFIED", "TCP_MEM_HIT"), proxy.resultsInArrivalOrder(3));
    }

    @Test
    void aHeadAnsweredWithAnotherETagSendsTheNextGetToTheOrigin() throws Exception {
        origin.enqueue(getAnswer("hello", "max-age=600", "\"v1\""));
        origin.enqueue(headAnswer("\"v2\"", 7, "2"));
        origin.enqueue(getAnswer("changed", "max-age=600", "\"v2\""));

        send("GET", "/m");
        HttpResponse<String> head = send("HEAD", "/m", "Cache-Control", "no-cache"); // forwarded although the GET is fresh
        HttpResponse<String> next = send("GET", "/m");

        assertEquals(200, head.statusCode());
        assertEquals("\"v2\"", head.headers().firstValue("ETag").orElse(null));
        assertEquals("changed", next.body(), "the stored GET described another representation than the origin's");
        assertEquals(3, origin.getRequestCount());
        assertEquals(List.of("GET", "HEAD", "GET"), originSaw(3));
        assertEquals(List.of("TCP_MISS", "TCP_CLIENT_REFRESH_MISS", "TCP_MISS"), proxy.resultsInArrivalOrder(3));
    }
}
