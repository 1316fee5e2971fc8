package dev.gatehouse.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HopByHopHeadersTest {
    private final HopByHopHeaders hop = HopByHopHeaders.forConnectionValues(List.of("keep-alive, X-Hop", " ,x-OTHER , ", "close"));

    @ParameterizedTest(name = "{0} hop-by-hop: {1}")
    @CsvSource({
            "Connection, true", "Keep-Alive, true", "Proxy-Connection, true", "Proxy-Authenticate, true",
            "Proxy-Authorization, true", "TE, true", "Trailer, true", "Transfer-Encoding, true", "Upgrade, true",
            "x-hop, true", "X-HOP, true", "X-Other, true", "close, true",
            "Host, false", "Content-Length, false", "Authorization, false", "Cookie, false", "Via, false",
            "X-Hop-Not, false", "Trailers, false"})
    void fieldsNamedInConnectionAndTheFixedSetAreHopByHop(String name, boolean expected) {
        assertEquals(expected, hop.isHopByHop(name));
    }

    @ParameterizedTest(name = "{0} always hop-by-hop: {1}")
    @CsvSource({"proxy-authorization, true", "Upgrade, true", "X-Hop, false", "Content-Type, false"})
    void theFixedSetDoesNotDependOnConnection(String name, boolean expected) {
        assertEquals(expected, HopByHopHeaders.isAlwaysHopByHop(name));
        assertEquals(expected, HopByHopHeaders.forConnectionValues(List.of()).isHopByHop(name));
    }
}
