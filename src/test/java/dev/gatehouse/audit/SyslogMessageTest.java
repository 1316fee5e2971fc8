package dev.gatehouse.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The RFC 5424 message around an audit line, and its framing over TCP (RFC 6587) and UDP (RFC 5426). */
class SyslogMessageTest {
    /** 2026-12-07T02:40:45.123Z. */
    private static final long WHEN = 1796611245123L;

    @Test
    void priIsFacilityTimesEightPlusSeverity() {
        assertEquals(166, SyslogMessage.pri(20, 6), "local4.info");
        assertEquals(0, SyslogMessage.pri(0, 0), "kern.emerg");
        assertEquals(191, SyslogMessage.pri(23, 7), "local7.debug");
        assertEquals(13, SyslogMessage.pri(1, 5), "user.notice");
        assertThrows(IllegalArgumentException.class, () -> SyslogMessage.pri(24, 0));
        assertThrows(IllegalArgumentException.class, () -> SyslogMessage.pri(1, 8));
        assertThrows(IllegalArgumentException.class, () -> SyslogMessage.pri(-1, 0));
    }

    @Test
    void timestampIsRfc3339WithMillisecondsAndTheZonesOffset() {
        assertEquals("2026-12-07T02:40:45.123Z", SyslogMessage.timestamp(WHEN, ZoneOffset.UTC));
        assertEquals("2026-12-07T03:40:45.123+01:00", SyslogMessage.timestamp(WHEN, ZoneId.of("Europe/Berlin")));
        assertEquals("2026-12-06T21:40:45.123-05:00", SyslogMessage.timestamp(WHEN, ZoneId.of("America/New_York")));
        assertEquals("2026-12-07T08:10:45.123+05:30", SyslogMessage.timestamp(WHEN, ZoneId.of("Asia/Kolkata")));
        assertEquals("2026-12-07T02:40:45.000Z", SyslogMessage.timestamp(WHEN - 123, ZoneOffset.UTC), "always three digits");
    }

    @Test
    void headerFieldsArePrintableAsciiWithinTheirLengthsOrNil() {
        assertEquals("gatehouse", SyslogMessage.field("APP-NAME", "gatehouse", SyslogMessage.APP_NAME_MAX));
        assertEquals("-", SyslogMessage.field("APP-NAME", "", SyslogMessage.APP_NAME_MAX));
        assertEquals("a".repeat(48), SyslogMessage.field("APP-NAME", "a".repeat(48), SyslogMessage.APP_NAME_MAX));
        assertThrows(IllegalArgumentException.class, () -> SyslogMessage.field("APP-NAME", "a".repeat(49), SyslogMessage.APP_NAME_MAX));
        assertThrows(IllegalArgumentException.class, () -> SyslogMessage.field("APP-NAME", "gate house", SyslogMessage.APP_NAME_MAX));
        assertThrows(IllegalArgumentException.class, () -> SyslogMessage.field("APP-NAME", "gatehousé", SyslogMessage.APP_NAME_MAX));
        assertThrows(IllegalArgumentException.class, () -> SyslogMessage.field("APP-NAME", "gate\thouse", SyslogMessage.APP_NAME_MAX));
    }

    @Test
    void aHostNameFromTheSystemKeepsItsPrintableAsciiCutTo255() {
        assertEquals("proxy1.corp.example", SyslogMessage.hostnameField("proxy1.corp.example"));
        assertEquals("proxy-br", SyslogMessage.hostnameField(" proxy-bär\n"), "left out, not replaced");
        assertEquals("-", SyslogMessage.hostnameField(""));
        assertEquals("-", SyslogMessage.hostnameField("ä ö"));
        assertEquals(255, SyslogMessage.hostnameField("h".repeat(300)).length());
    }

    @Test
    void anAsciiLineIsTheMsgAfterAFixedHeader() {
        SyslogMessage m = new SyslogMessage(20, 6, "proxy1.corp.example", "gatehouse", "4242", ZoneId.of("Europe/Berlin"));
        assertEquals("<166>1 2026-12-07T03:40:45.123+01:00 proxy1.corp.example gatehouse 4242 access - {\"status\":200}",
                build(m, "{\"status\":200}"));
    }

    @Test
    void nilValuesStandInForEmptyFields() {
        SyslogMessage m = new SyslogMessage(1, 5, "", "gatehouse", "", ZoneOffset.UTC);
        assertEquals("<13>1 2026-12-07T02:40:45.123Z - gatehouse - access - line", build(m, "line"));
    }

    @Test
    void aLineWithUtf8BeyondAsciiStartsWithTheByteOrderMark() {
        SyslogMessage m = new SyslogMessage(20, 6, "h", "gatehouse", "1", ZoneOffset.UTC);
        String message = build(m, "user=jürgen");
        assertEquals("<166>1 2026-12-07T02:40:45.123Z h gatehouse 1 access - \uFEFFuser=jürgen", message,
                "RFC 5424 §6.4: MSG-UTF8 is BOM followed by UTF-8");
        assertTrue(!build(m, "user=juergen").contains("\uFEFF"), "an ASCII line goes without one");
    }

    @Test
    void invalidFieldsAreRefusedWhenTheMessageIsSetUp() {
        assertThrows(IllegalArgumentException.class, () -> new SyslogMessage(20, 6, "h", "gate house", "1", ZoneOffset.UTC));
        assertThrows(IllegalArgumentException.class, () -> new SyslogMessage(20, 6, "h", "gatehouse", "x".repeat(129), ZoneOffset.UTC));
        assertThrows(IllegalArgumentException.class, () -> new SyslogMessage(24, 6, "h", "gatehouse", "1", ZoneOffset.UTC));
    }

    @Test
    void tcpFramingPrefixesTheLengthInOctetsAndASpace() throws IOException {
        byte[] message = "<166>1 - - - - - jürgen".getBytes(StandardCharsets.UTF_8); // 24 octets, 23 characters
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SyslogTransport.Tcp.writeFramed(out, message, message.length);
        SyslogTransport.Tcp.writeFramed(out, message, 5);
        assertEquals("24 <166>1 - - - - - jürgen5 <166>", out.toString(StandardCharsets.UTF_8),
                "RFC 6587 §3.4.1: MSG-LEN SP SYSLOG-MSG, no trailer, back to back");
    }

    @Test
    void udpMessagesAreCutToTheLimitOnAWholeCharacter() {
        byte[] ascii = "a".repeat(10_000).getBytes(StandardCharsets.US_ASCII);
        assertEquals(8192, SyslogTransport.Udp.cut(ascii, ascii.length, SyslogTransport.Udp.MAX_MESSAGE_BYTES));
        assertEquals(100, SyslogTransport.Udp.cut(ascii, 100, SyslogTransport.Udp.MAX_MESSAGE_BYTES));
        byte[] umlauts = "aä".getBytes(StandardCharsets.UTF_8); // a, then ä as two bytes
        assertEquals(1, SyslogTransport.Udp.cut(umlauts, 3, 2), "never half of ä");
        byte[] euro = "ab€".getBytes(StandardCharsets.UTF_8); // € is three bytes
        assertEquals(2, SyslogTransport.Udp.cut(euro, 5, 4));
        assertEquals(5, SyslogTransport.Udp.cut(euro, 5, 5));
        assertArrayEquals("ab".getBytes(StandardCharsets.UTF_8), Arrays.copyOf(euro, SyslogTransport.Udp.cut(euro, 5, 3)));
    }

    /** The message for {@code line}, as text. */
    static String build(SyslogMessage m, String line) {
        LineBuffer in = new LineBuffer(64);
        for (int i = 0; i < line.length(); i++) i = in.utf8(line, i);
        LineBuffer out = new LineBuffer(64);
        m.build(WHEN, in, out);
        return out.toString();
    }
}
