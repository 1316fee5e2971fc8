package dev.gatehouse.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Interim (1xx) responses before the final one (RFC 9110 §15.2), as the upstream client reads and hands them on. */
class InterimResponsesTest {
    private final List<InterimResponse> received = new ArrayList<>();

    private static InputStream bytes(String s) {
        return new OriginInput(new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1)), 64);
    }

    private ResponseHead readFinal(InputStream in) throws IOException {
        return ResponseHead.readFinal(in, received::add);
    }

    @Test
    void eachInterimResponseInARowIsHandedOnBeforeTheFinalOne() throws IOException {
        InputStream in = bytes("HTTP/1.1 102 Processing\r\n\r\n"
                + "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\nlink: </app.js>; rel=preload\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");

        ResponseHead head = readFinal(in);

        assertEquals(List.of(102, 103), received.stream().map(InterimResponse::status).toList());
        assertEquals("Processing", received.get(0).reason());
        assertTrue(received.get(0).headers().isEmpty());
        InterimResponse hints = received.get(1);
        assertEquals("Early Hints", hints.reason());
        assertEquals(List.of("</style.css>; rel=preload", "</app.js>; rel=preload"), hints.headers().get("LINK"));
        assertEquals(1, hints.httpMinor());
        assertEquals(200, head.status());
        assertEquals(List.of("5"), head.values("Content-Length"));
        assertEquals("hello", new String(in.readAllBytes(), StandardCharsets.ISO_8859_1), "the body is left to read, untouched");
    }

    @Test
    void anUnaskedForContinueIsHandedOnTooForTheCallerToJudge() throws IOException {
        ResponseHead head = readFinal(bytes("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.0 103 \r\nLink: </a>\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n"));

        assertEquals(List.of(100, 103), received.stream().map(InterimResponse::status).toList());
        assertEquals("", received.get(1).reason());
        assertEquals(0, received.get(1).httpMinor());
        assertEquals(204, head.status());
    }

    @Test
    void aFinalResponseAloneCallsNothing() throws IOException {
        assertEquals(200, readFinal(bytes("HTTP/1.1 200 OK\r\n\r\n")).status());
        assertTrue(received.isEmpty());
    }

    @Test
    void anEndBeforeAnyResponseIsAStaleConnection() {
        assertThrows(EOFException.class, () -> readFinal(bytes("")));
    }

    /** The origin answered: retrying on another connection would send the client the same interim response twice. */
    @Test
    void anEndAfterAnInterimResponseIsNotAStaleConnection() {
        IOException e = assertThrows(IOException.class, () -> readFinal(bytes("HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n")));
        assertFalse(e instanceof EOFException, "must not be taken for a stale pooled connection: " + e);
        assertEquals(1, received.size());
    }

    @Test
    void anUnsolicitedSwitchingProtocolsIsRefused() {
        assertThrows(MalformedResponseException.class,
                () -> readFinal(bytes("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\nHTTP/1.1 200 OK\r\n\r\n")));
        assertTrue(received.isEmpty());
    }

    @Test
    void anEndlessRunOfInterimResponsesIsRefused() {
        String many = "HTTP/1.1 102 Processing\r\n\r\n".repeat(17) + "HTTP/1.1 200 OK\r\n\r\n";
        assertThrows(MalformedResponseException.class, () -> readFinal(bytes(many)));
        assertEquals(16, received.size());
    }

    @Test
    void sixteenInterimResponsesAreStillAccepted() throws IOException {
        assertEquals(200, readFinal(bytes("HTTP/1.1 102 Processing\r\n\r\n".repeat(16) + "HTTP/1.1 200 OK\r\n\r\n")).status());
        assertEquals(16, received.size());
    }
}
