package dev.gatehouse.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SquidNativeFormatterTest {

    /**
     * The native layout as GoAccess ({@code %x.%^ %~%L %h %^/%s %b %m %U %e %^ %M}) and SARG read it:
     * whitespace-separated, exactly ten fields, with {@code code/status} and {@code hier/peer}.
     */
    private static final Pattern SQUID_LINE = Pattern.compile(
            "^(\\d+)\\.(\\d{3}) +(\\d+) (\\S+) ([A-Z_]+)/(\\d{3}) (\\d+) (\\S+) (\\S+) (\\S+) ([A-Z_]+)/(\\S+) (\\S+)$");

    private final SquidNativeFormatter formatter = new SquidNativeFormatter();

    @Test
    void writesTheSameBytesAsSquidForAMissAHitADenialAndATunnel() {
        assertEquals("1795424585.942      1 127.0.0.1 TCP_MISS/200 323 GET http://origin.test:18603/page.html - HIER_DIRECT/127.0.0.1 text/html",
                formatter.format(AuditRecords.miss()));
        assertEquals("1795424585.952      0 127.0.0.1 TCP_MEM_HIT/200 329 GET http://origin.test:18603/page.html - HIER_NONE/- text/html",
                formatter.format(AuditRecords.memHit()));
        assertEquals("1795424585.962      0 127.0.0.1 TCP_DENIED/403 3423 GET http://blocked.test:18603/x - HIER_NONE/- text/html",
                formatter.format(AuditRecords.denied()));
        assertEquals("1795424585.972      3 127.0.0.1 TCP_TUNNEL/200 251 CONNECT origin.test:18603 - HIER_DIRECT/127.0.0.1 -",
                formatter.format(AuditRecords.tunnel()));
    }

    @Test
    void writesDashesAndNoneNone000ForARequestThatEndedBeforeItsHeaders() {
        assertEquals("1795424585.000      5 ::1 NONE_NONE/000 0 - - - HIER_NONE/- -",
                formatter.format(AuditRecords.empty()));
    }

    @Test
    void padsMillisecondsToThreeDigitsAndNeverTruncatesALongDuration() {
        AuditRecord r = AuditRecords.ended(1795424585007L, 12_345_678);
        r.setClientAddress("2001:db8::1");
        r.setStatus(304);
        r.setResultCode("TCP_REFRESH_UNMODIFIED");
        assertEquals("1795424585.007 12345678 2001:db8::1 TCP_REFRESH_UNMODIFIED/304 0 - - - HIER_NONE/- -",
                formatter.format(r));
    }

    @Test
    void urlEncodesTheUserNameAsSquidDoes() {
        AuditRecord r = AuditRecords.miss();
        r.setUser("CORP\\alice");
        assertEquals("CORP%5Calice", fields(formatter.format(r))[7]);
        r.setUser("alice@corp");
        assertEquals("alice%40corp", fields(formatter.format(r))[7]);
    }

    @Test
    void hostileValuesStayOneLineOfExactlyTenFields() {
        AuditRecord r = AuditRecords.hostile();
        String line = formatter.format(r);

        assertFalse(line.chars().anyMatch(c -> c < 0x20 || c >= 0x7F), line);
        Matcher m = SQUID_LINE.matcher(line);
        assertTrue(m.matches(), line);
        String[] fields = fields(line);
        assertEquals(10, fields.length, line);
        assertEquals("10.0.0.1%20%0A", fields[2]);
        assertEquals("GE%20T%0A", fields[5]);
        assertEquals("CORP%5Calice%20bob%0D%0A%00%C3%A9%F0%9F%98%80", fields[7]);
        assertEquals(r.getUser(), URLDecoder.decode(fields[7], StandardCharsets.UTF_8));
        assertEquals("text/html;%20charset=\"utf-8\"%09", fields[9]);
        // The URL keeps its own characters; only the unsafe ones are encoded, so it decodes back
        // (the lone surrogate, which UTF-8 cannot carry, comes back as '?').
        assertEquals(r.getUrl().replace('\ud800', '?'), URLDecoder.decode(fields[6], StandardCharsets.UTF_8));
    }

    @Test
    void everyFieldOfAKnownLineParsesBack() {
        Matcher m = SQUID_LINE.matcher(formatter.format(AuditRecords.miss()));
        assertTrue(m.matches());
        assertEquals("1795424585", m.group(1));
        assertEquals("942", m.group(2));
        assertEquals("1", m.group(3));
        assertEquals("127.0.0.1", m.group(4));
        assertEquals("TCP_MISS", m.group(5));
        assertEquals("200", m.group(6));
        assertEquals("323", m.group(7));
        assertEquals("GET", m.group(8));
        assertEquals("http://origin.test:18603/page.html", m.group(9));
        assertEquals("-", m.group(10));
        assertEquals("HIER_DIRECT", m.group(11));
        assertEquals("127.0.0.1", m.group(12));
        assertEquals("text/html", m.group(13));
    }

    private static String[] fields(String line) {
        return line.trim().split("\\s+");
    }
}
