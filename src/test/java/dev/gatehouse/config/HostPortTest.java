package dev.gatehouse.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HostPortTest {
    @ParameterizedTest
    @CsvSource({
        "127.0.0.1:3128, 127.0.0.1, 3128",
        "[::1]:3128, ::1, 3128",
        ":8080, 0.0.0.0, 8080",
        "proxy.example:0, proxy.example, 0",
    })
    void parses(String text, String host, int port) {
        assertEquals(new HostPort(host, port), HostPort.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"3128", "::1:3128", "[::1:3128", "host:http", "host:-1", "host:65536"})
    void rejects(String text) {
        assertThrows(IllegalArgumentException.class, () -> HostPort.parse(text));
    }
}
