package dev.gatehouse.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class NcsaFormatterTest {
    /**
     * The combined layout as Apache-log parsers read it (GoAccess {@code COMBINED}, Matomo's importer): nine
     * fields, of which the request, Referer and User-Agent are quoted, then Squid's {@code code:hierarchy}.
     */
    private static final Pattern COMBINED_LINE = Pattern.compile("^(\\S+) (\\S+) (\\S+) \\[(\\d{2}/[A-Z][a-z]{2}/\\d{4}:\\d{2}:\\d{2}:\\d{2} [+-]\\d{4})\\] "
            + "\"(\\S+) (\\S+) (HTTP/\\d\\.\\d)\" (\\d+) (\\d+) \"([^\"\\\\]*)\" \"([^\"\\\\]*)\" ([A-Z_]+):([A-Z_]+)$");

    private final NcsaFormatter combined = NcsaFormatter.combined(ZoneOffset.UTC);
    private final NcsaFormatter common = NcsaFormatter.common(ZoneOffset.UTC);

    @Test
    void writesSquidsCombinedLinesForAMissAHitADenialAndATunnel() {
        AuditRecord miss = sent(AuditRecords.miss(), "HTTP/1.1", "http://origin.test:18603/",
                "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0");
        assertEquals("127.0.0.1 - - [23/Nov/2026:09:03:05 +0000] \"GET http://origin.test:18603/page.html HTTP/1.1\" 200 323 "
                        + "\"http://origin.test:18603/\" \"Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\" "
                        + "TCP_MISS:HIER_DIRECT",
                combined.format(miss));
        AuditRecord hit = sent(AuditRecords.memHit(), "HTTP/1.0", null, "curl/8.5.0");
        assertEquals("127.0.0.1 - - [23/Nov/2026:09:03:05 +0000] \"GET http://origin.test:18603/page.html HTTP/1.0\" 200 329 "
                        + "\"-\" \"curl/8.5.0\" TCP_MEM_HIT:HIER_NONE",
                combined.format(hit));
        AuditRecord denied = sent(AuditRecords.denied(), "HTTP/1.1", null, null);
        assertEquals("127.0.0.1 - - [23/Nov/2026:09:03:05 +0000] \"GET http://blocked.test:18603/x HTTP/1.1\" 403 3423 "
                        + "\"-\" \"-\" TCP_DENIED:HIER_NONE",
                combined.format(denied));
        AuditRecord tunnel = sent(AuditRecords.tunnel(), "HTTP/1.1", null, null);
        tunnel.setUser("alice");
        assertEquals("127.0.0.1 - alice [23/Nov/2026:09:03:05 +0000] \"CONNECT origin.test:18603 HTTP/1.1\" 200 251 "
                        + "\"-\" \"-\" TCP_TUNNEL:HIER_DIRECT",
                combined.format(tunnel));
    }

    @Test
    void commonIsCombinedWithoutRefererAndUserAgent() {
        AuditRecord miss = sent(AuditRecords.miss(), "HTTP/1.1", "http://origin.test:18603/", "curl/8.5.0");
        assertEquals("127.0.0.1 - - [23/Nov/2026:09:03:05 +0000] \"GET http://origin.test:18603/page.html HTTP/1.1\" 200 323 "
                        + "TCP_MISS:HIER_DIRECT",
                common.format(miss));
    }

    @Test
    void writesDashesForWhatARequestThatFailedBeforeItsHeadersLacks() {
        assertEquals("::1 - - [23/Nov/2026:09:03:05 +0000] \"- - HTTP/0.0\" 0 0 \"-\" \"-\" NONE_NONE:HIER_NONE",
                combined.format(AuditRecords.empty()));
        AuditRecord malformed = AuditRecords.empty();
        malformed.setStatus(400);
        malformed.setBytesToClient(220);
        malformed.setResultCode("NONE_NONE");
        malformed.setHierarchy("HIER_NONE");
        malformed.setUrl("error:invalid-request");
        malformed.setReferer("");
        malformed.setUserAgent("");
        String line = combined.format(malformed);
        assertEquals("::1 - - [23/Nov/2026:09:03:05 +0000] \"- error:invalid-request HTTP/0.0\" 400 220 \"-\" \"-\" NONE_NONE:HIER_NONE",
                line);
        assertTrue(COMBINED_LINE.matcher(line).matches(), line);
    }

    @Test
    void writesTheLocalTimeWithItsOffsetInTheZoneOfTheProxy() {
        AuditRecord r = AuditRecords.ended(1796609400000L, 0); // 2026-12-07T02:10:00Z
        assertEquals("[07/Dec/2026:02:10:00 +0000]", timestamp(NcsaFormatter.combined(ZoneOffset.UTC).format(r)));
        assertEquals("[07/Dec/2026:03:10:00 +0100]", timestamp(NcsaFormatter.combined(ZoneId.of("Europe/Paris")).format(r)));
        assertEquals("[06/Dec/2026:21:10:00 -0500]", timestamp(NcsaFormatter.combined(ZoneId.of("America/New_York")).format(r)));
        assertEquals("[07/Dec/2026:07:40:00 +0530]", timestamp(NcsaFormatter.combined(ZoneId.of("Asia/Kolkata")).format(r)));
        // Summer time, and the same formatter moving from one second to the next and back
        NcsaFormatter paris = NcsaFormatter.combined(ZoneId.of("Europe/Paris"));
        AuditRecord july = AuditRecords.ended(1783390200999L, 0); // 2026-07-07T02:10:00.999Z
        assertEquals("[07/Jul/2026:04:10:00 +0200]", timestamp(paris.format(july)));
        assertEquals("[07/Dec/2026:03:10:00 +0100]", timestamp(paris.format(r)));
        assertEquals("[07/Dec/2026:03:10:01 +0100]", timestamp(paris.format(AuditRecords.ended(1796609401000L, 0))));
        assertEquals("[07/Jul/2026:04:10:00 +0200]", timestamp(paris.format(july)));
    }

    @Test
    void urlEncodesTheUserNameAsTheSquidFormatDoes() {
        AuditRecord r = AuditRecords.miss();
        r.setUser("CORP\\alice smith");
        assertEquals("CORP%5Calice%20smith", combined.format(r).split(" ")[2]);
    }

    @Test
    void hostileHeaderValuesStayInsideTheirQuotesOnOneLine() {
        AuditRecord r = AuditRecords.miss();
        r.setProtocol("HTTP/1.1");
        // What a client could send: a fake end of record and a whole fake record after a line break,
        // quotes and backslashes to close or escape the field, NUL, ESC, DEL, and UTF-8 bytes as the listener
        // reads them (ISO-8859-1: "é" arrives as the two chars Ã ©).
        String fake = "127.0.0.1 - admin [07/Dec/2026:02:10:00 +0000] \"GET http://bank.test/ HTTP/1.1\" 200 1 \"-\" \"-\" TCP_MISS:HIER_DIRECT";
        r.setUserAgent("evil\" 200 1 \"x\\\" \r\n" + fake + "\u0000\u001b[31m\u007f\u00c3\u00a9 100%");
        r.setReferer("http://x.test/\"\\\n");
        String line = combined.format(r);

        assertFalse(line.chars().anyMatch(c -> c < 0x20 || c >= 0x7F), line);
        Matcher m = COMBINED_LINE.matcher(line);
        assertTrue(m.matches(), line);
        assertEquals("http://x.test/%22%5C%0A", m.group(10));
        assertEquals("evil%22 200 1 %22x%5C%22 %0D%0A127.0.0.1 - admin [07/Dec/2026:02:10:00 +0000] %22GET "
                + "http://bank.test/ HTTP/1.1%22 200 1 %22-%22 %22-%22 TCP_MISS:HIER_DIRECT%00%1B[31m%7F%C3%A9 100%", m.group(11));
        assertEquals("TCP_MISS", m.group(12));
        // The bytes received come back by percent-decoding (the % the client sent was kept, as Squid keeps it).
        assertEquals(r.getUserAgent().replace("100%", "100"),
                URLDecoder.decode(m.group(11).replace("100%", "100").replace("+", "%2B"), StandardCharsets.ISO_8859_1));
    }

    @Test
    void hostileRequestValuesStayOneLineWithTheSameFields() {
        AuditRecord r = AuditRecords.hostile();
        r.setProtocol("HTTP/1.1\" 200");
        String line = combined.format(r);

        assertFalse(line.chars().anyMatch(c -> c < 0x20 || c >= 0x7F), line);
        assertTrue(line.startsWith("10.0.0.1%20%0A - CORP%5Calice%20bob%0D%0A%00%C3%A9%F0%9F%98%80 [23/Nov/2026:09:03:05 +0000] "
                + "\"GE%20T%0A http://h.test/a%20b%0D%0A1795424585.942%200%201.2.3.4%20TCP_HIT/200%00%E2%80%A8%C2%85%C3%A9%3F "
                + "HTTP/1.1%22%20200\" 200 0 \"-\" \"-\" TCP_MISS:HIER_DIRECT"), line);
        assertEquals(r.getUrl().replace('\ud800', '?'),
                URLDecoder.decode(line.split(" ")[6], StandardCharsets.UTF_8));
    }

    @Test
    void aRefererOrUserAgentIsKeptToItsBoundOnce() {
        AuditRecord r = new AuditRecord();
        r.setUserAgent("u".repeat(AuditRecord.MAX_HEADER_CHARS + 1));
        r.setReferer("r".repeat(AuditRecord.MAX_HEADER_CHARS));
        assertEquals(AuditRecord.MAX_HEADER_CHARS, r.getUserAgent().length());
        assertEquals(AuditRecord.MAX_HEADER_CHARS, r.getReferer().length());
    }

    /** {@code r} with what the client sent besides method and URL. */
    private static AuditRecord sent(AuditRecord r, String protocol, String referer, String userAgent) {
        r.setProtocol(protocol);
        r.setReferer(referer);
        r.setUserAgent(userAgent);
        return r;
    }

    private static String timestamp(String line) {
        return line.substring(line.indexOf('['), line.indexOf(']') + 1);
    }
}
