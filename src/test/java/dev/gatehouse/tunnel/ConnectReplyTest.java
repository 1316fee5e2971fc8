package dev.gatehouse.tunnel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConnectReplyTest {
    private static ConnectReply parse(String text) throws ConnectReply.MalformedReplyException {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        return ConnectReply.parse(b, b.length);
    }

    @Test
    void aCompleteHeadGivesItsStatusAndWhereTheTunnelBytesStart() throws Exception {
        String head = "HTTP/1.1 200 Connection established\r\nVia: 1.1 hq\r\n\r\n";
        ConnectReply r = parse(head + "SERVER BYTES");
        assertEquals(200, r.status());
        assertEquals("Connection established", r.reason());
        assertEquals(head.length(), r.headLength());
    }

    @Test
    void bareLineFeedsEndLinesToo() throws Exception {
        ConnectReply r = parse("HTTP/1.0 200 OK\n\nx");
        assertEquals(200, r.status());
        assertEquals("HTTP/1.0 200 OK\n\n".length(), r.headLength());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "HTTP/1.1 2", "HTTP/1.1 200 OK\r\n", "HTTP/1.1 200 OK\r\nVia: 1.1 hq\r\n", "HTTP/1.1 200 OK\r\n\r"})
    void anIncompleteHeadIsNull(String partial) throws Exception {
        assertNull(parse(partial));
    }

    @Test
    void anEmptyReasonIsAllowed() throws Exception {
        assertEquals("", parse("HTTP/1.1 407\r\n\r\n").reason());
        assertEquals(407, parse("HTTP/1.1 407 \r\n\r\n").status());
    }

    @Test
    void theReasonIsReducedToPrintableAscii() throws Exception {
        assertEquals("Forbidden ?by? hq", parse("HTTP/1.1 403 Forbidden \u0007by\u00e9 hq\r\n\r\n").reason());
    }

    @ParameterizedTest
    @ValueSource(strings = {"SSH-2.0-OpenSSH_9.6\r\n", "HTTP/2 200\r\n\r\n", "HTTP/1.1 20x OK\r\n\r\n", "HTTP/1.1 200OK\r\n\r\n",
            "HTTP/1.1 099 Early\r\n\r\n", "<html>"})
    void somethingOtherThanAnHttp1StatusLineIsMalformed(String answer) {
        assertThrows(ConnectReply.MalformedReplyException.class, () -> parse(answer));
    }

    @Test
    void aHeadThatNeverEndsIsRefusedAtTheLimit() throws Exception {
        StringBuilder s = new StringBuilder("HTTP/1.1 200 OK\r\n");
        while (s.length() < ConnectReply.MAX_HEAD_BYTES - 40) s.append("X-Padding: 0123456789\r\n");
        assertNull(parse(s.toString()), "still within the limit");
        while (s.length() < ConnectReply.MAX_HEAD_BYTES) s.append("X-Padding: 0123456789\r\n");
        var e = assertThrows(ConnectReply.MalformedReplyException.class, () -> parse(s.toString()));
        assertTrue(e.getMessage().contains("16384"), e.getMessage());
    }
}
