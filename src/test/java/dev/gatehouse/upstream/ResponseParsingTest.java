package dev.gatehouse.upstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The response head and body framings of RFC 9112, as the upstream client reads them. */
class ResponseParsingTest {
    private static InputStream bytes(String s) {
        return new OriginInput(new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1)), 64);
    }

    @Test
    void readsStatusFieldsAndKeepsFieldNameCase() throws IOException {
        ResponseHead h = ResponseHead.read(bytes("HTTP/1.1 404 Not Found\r\nX-Custom-Case: a\r\nset-cookie: 1\r\nSet-Cookie: 2\r\n\r\n"));
        assertEquals(404, h.status());
        assertEquals("Not Found", h.reason());
        assertEquals(List.of("a"), h.values("x-custom-case"));
        assertEquals(List.of("1", "2"), h.values("Set-Cookie"));
        assertTrue(h.headers().containsKey("X-Custom-Case"));
    }

    @Test
    void obsoleteLineFoldingBecomesOneSpace() throws IOException {
        ResponseHead h = ResponseHead.read(bytes("HTTP/1.1 200 OK\r\nX-Long: part one\r\n   part two\r\n\r\n"));
        assertEquals(List.of("part one part two"), h.values("X-Long"));
    }

    @Test
    void bareLfLineEndingsAreAccepted() throws IOException {
        assertEquals(204, ResponseHead.read(bytes("HTTP/1.0 204 No Content\nA: b\n\n")).status());
    }

    @Test
    void nothingAtAllIsAStaleConnectionNotAMalformedResponse() {
        assertThrows(EOFException.class, () -> ResponseHead.read(bytes("")));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "FOO BAR\r\n\r\n",
        "HTTP/1.1 20 OK\r\n\r\n",
        "HTTP/2.0 200 OK\r\n\r\n",
        "HTTP/1.1 200 OK\r\nNo colon here\r\n\r\n",
        "HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n",
        "HTTP/1.1 200 OK\r\nX: a\u0000b\r\n\r\n",
        "HTTP/1.1 200 OK\r\n folded-first: x\r\n\r\n",
        "HTTP/1.1 200 OK\r\nX: truncated",
    })
    void malformedHeadsAreRefused(String raw) {
        assertThrows(MalformedResponseException.class, () -> ResponseHead.read(bytes(raw)));
    }

    @Test
    void chunkedBodyIsDecodedWithExtensionsAndTrailersDropped() throws IOException {
        AtomicReference<Boolean> reusable = new AtomicReference<>();
        InputStream body = BodyStreams.chunked(bytes("5;name=v\r\nhello\r\n6\r\n world\r\n0\r\nTrailer: x\r\n\r\nNEXT"),
                reusable::set, true);
        assertArrayEquals("hello world".getBytes(StandardCharsets.US_ASCII), body.readAllBytes());
        assertEquals(Boolean.TRUE, reusable.get(), "a cleanly ended chunked body leaves the connection reusable");
    }

    /** RFC 9112 §7.1.1: BWS may come before a chunk extension's ";". */
    @ParameterizedTest
    @ValueSource(strings = {"5 ;a=b\r\nhello\r\n0\r\n\r\n", "5\t;a\r\nhello\r\n0 \r\n\r\n"})
    void whitespaceBeforeAChunkExtensionIsAccepted(String raw) throws IOException {
        assertArrayEquals("hello".getBytes(StandardCharsets.US_ASCII), BodyStreams.chunked(bytes(raw), r -> { }, true).readAllBytes());
    }

    @ParameterizedTest
    @ValueSource(strings = {"zz\r\nhello\r\n0\r\n\r\n", "5\r\nhelloXX0\r\n\r\n", "5\r\nhel",
            "0x5\r\nhello\r\n0\r\n\r\n", "5 junk\r\nhello\r\n0\r\n\r\n", "5\r\nhello\r\n0-\r\n\r\n"})
    void brokenChunkingFailsAndTheConnectionIsDropped(String raw) {
        AtomicReference<Boolean> reusable = new AtomicReference<>();
        InputStream body = BodyStreams.chunked(bytes(raw), reusable::set, true);
        assertThrows(IOException.class, body::readAllBytes);
        assertEquals(Boolean.FALSE, reusable.get());
    }

    @Test
    void fixedLengthBodyThatEndsEarlyFails() {
        AtomicReference<Boolean> reusable = new AtomicReference<>();
        InputStream body = BodyStreams.fixed(bytes("short"), 10, reusable::set, true);
        assertThrows(EOFException.class, body::readAllBytes);
        assertEquals(Boolean.FALSE, reusable.get());
    }

    @Test
    void closingABodyBeforeItsEndDropsTheConnection() throws IOException {
        AtomicReference<Boolean> reusable = new AtomicReference<>();
        InputStream body = BodyStreams.fixed(bytes("0123456789"), 10, reusable::set, true);
        body.read(new byte[3]);
        body.close();
        assertEquals(Boolean.FALSE, reusable.get());
    }
}
