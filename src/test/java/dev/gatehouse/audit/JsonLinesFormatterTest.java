package dev.gatehouse.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonLinesFormatterTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonLinesFormatter formatter = new JsonLinesFormatter();

    @Test
    void writesEveryFieldInAStableOrder() {
        assertEquals("{\"time\":\"2026-11-23T09:03:05.942Z\",\"durationMs\":1,\"client\":\"127.0.0.1\","
                        + "\"user\":null,\"method\":\"GET\",\"url\":\"http://origin.test:18603/page.html\","
                        + "\"status\":200,\"bytesToClient\":323,\"bytesFromClient\":85,\"result\":\"TCP_MISS\","
                        + "\"hierarchy\":\"HIER_DIRECT\",\"upstream\":\"127.0.0.1\",\"contentType\":\"text/html\","
                        + "\"requestId\":\"req-1\",\"decision\":\"allow\",\"rule\":\"default\",\"categories\":[\"news\"],"
                        + "\"policyVersion\":\"v7\",\"error\":null,\"tags\":[],\"referer\":null,\"userAgent\":null}",
                formatter.format(AuditRecords.miss()));
    }

    @Test
    void writesNullsAndZerosForARequestThatEndedBeforeItsHeaders() {
        assertEquals("{\"time\":\"2026-11-23T09:03:05.000Z\",\"durationMs\":5,\"client\":\"::1\","
                        + "\"user\":null,\"method\":null,\"url\":null,\"status\":0,\"bytesToClient\":0,"
                        + "\"bytesFromClient\":0,\"result\":null,\"hierarchy\":null,\"upstream\":null,"
                        + "\"contentType\":null,\"requestId\":null,\"decision\":null,\"rule\":null,\"categories\":[],"
                        + "\"policyVersion\":null,\"error\":null,\"tags\":[],\"referer\":null,\"userAgent\":null}",
                formatter.format(AuditRecords.empty()));
    }

    @Test
    void hostileValuesStayOneLineAndReadBackUnchanged() throws Exception {
        AuditRecord r = AuditRecords.hostile();
        String line = formatter.format(r);

        assertFalse(line.chars().anyMatch(c -> c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x2028 || c == 0x2029),
                line);
        assertTrue(line.contains("é😀"), "other non-ASCII text is kept readable: " + line);
        JsonNode node = JSON.readTree(line);
        assertEquals(22, node.size());
        assertEquals(r.getRequestId(), node.get("requestId").asText());
        assertEquals(r.getClientAddress(), node.get("client").asText());
        assertEquals(r.getUser(), node.get("user").asText());
        assertEquals(r.getMethod(), node.get("method").asText());
        assertEquals(r.getUrl(), node.get("url").asText());
        assertEquals(r.getContentType(), node.get("contentType").asText());
        assertEquals(r.getRule(), node.get("rule").asText());
        assertEquals(r.getError(), node.get("error").asText());
        assertEquals(List.of("a\nb", "ü"), List.of(node.get("categories").get(0).asText(), node.get("categories").get(1).asText()));
        assertEquals("\u2029", node.get("tags").get(0).asText());
    }

    @Test
    void escapesControlCharactersTheShortWayWhereJsonHasOne() {
        AuditRecord r = AuditRecords.empty();
        r.setUser("a\"b\\c\nd\re\tf\u0000g\u2028");
        assertTrue(formatter.format(r).contains("\"user\":\"a\\\"b\\\\c\\nd\\re\\tf\\u0000g\\u2028\""));
    }
}
