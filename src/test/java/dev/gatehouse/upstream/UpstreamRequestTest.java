package dev.gatehouse.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gatehouse.http.RequestTarget;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UpstreamRequestTest {
    /** RFC 9110 §9.2.2: only idempotent requests without a body (nothing consumed yet) may be repeated. */
    @ParameterizedTest(name = "{0}, body {1}: retry {2}")
    @CsvSource({
            "GET, false, true", "HEAD, false, true", "OPTIONS, false, true", "TRACE, false, true",
            "PUT, false, true", "DELETE, false, true",
            "PUT, true, false", "DELETE, true, false",
            "POST, false, false", "POST, true, false", "PATCH, true, false", "PROPFIND, false, false", "CONNECT, false, false"})
    void onlyIdempotentRequestsWithoutBodyMayBeRetried(String method, boolean body, boolean expected) {
        UpstreamRequest r = new UpstreamRequest(method, RequestTarget.of("http://example.test/"), List.of(),
                body ? InputStream.nullInputStream() : null, body ? 0 : -1);
        assertEquals(expected, r.idempotent());
    }
}
