package dev.gatehouse.audit;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.util.List;

/**
 * Formats a record as one JSON object per line (JSON Lines), the default audit format for SIEMs.
 *
 * <p>Every line has the same fields in the same order; absent values are {@code null}, absent lists
 * are {@code []}:
 * <pre>
 * field            type      meaning
 * time             string    end of the access, ISO-8601 UTC with milliseconds (as Squid's field 1)
 * durationMs       number    time from request start to completion, ms (CONNECT: tunnel lifetime)
 * client           string    client IP literal
 * user             string    authenticated user name, or null
 * method           string    request method, null if the request failed before it was read
 * url              string    absolute URL; host:port for CONNECT
 * status           number    HTTP status sent to the client, 0 if none
 * bytesToClient    number    bytes sent to the client, headers included
 * bytesFromClient  number    bytes received from the client
 * result           string    Squid result code: TCP_MISS, TCP_HIT, TCP_TUNNEL, TCP_DENIED, NONE_NONE…
 * hierarchy        string    Squid hierarchy code: HIER_DIRECT, HIER_NONE…
 * upstream         string    IP of the server or parent the request went to, or null
 * contentType      string    response Content-Type, or null
 * requestId        string    id also shown on error pages
 * decision         string    policy action (allow, block…), or null
 * rule             string    id of the deciding policy rule, or null
 * categories       [string]  categories of the destination
 * policyVersion    string    version of the policy that decided, or null
 * error            string    short failure name (dns_failure, connect_refused, upstream_timeout,
 *                            client_aborted…), or null
 * tags             [string]  free-form markers
 * </pre>
 *
 * <p>Escaping: {@code "} and {@code \}, every control character (C0, DEL, C1), U+2028/U+2029 and
 * lone surrogates are written as JSON escapes, so a line is valid UTF-8 JSON with no raw line
 * break; other non-ASCII text is written as UTF-8. Written by hand, without reflection, because it
 * runs once per access.
 */
public final class JsonLinesFormatter implements AuditFormatter {

    private static final DateTimeFormatter TIME = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .toFormatter()
            .withZone(ZoneOffset.UTC);
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    @Override
    public void append(AuditRecord r, StringBuilder out) {
        out.append('{');
        string(out, "time", TIME.format(Instant.ofEpochMilli(r.endEpochMillis())));
        number(out, "durationMs", r.getDurationMillis());
        string(out, "client", r.getClientAddress());
        string(out, "user", r.getUser());
        string(out, "method", r.getMethod());
        string(out, "url", r.getUrl());
        number(out, "status", r.getStatus());
        number(out, "bytesToClient", r.getBytesToClient());
        number(out, "bytesFromClient", r.getBytesFromClient());
        string(out, "result", r.getResultCode());
        string(out, "hierarchy", r.getHierarchy());
        string(out, "upstream", r.getUpstreamAddress());
        string(out, "contentType", r.getContentType());
        string(out, "requestId", r.getRequestId());
        string(out, "decision", r.getDecision());
        string(out, "rule", r.getRule());
        list(out, "categories", r.getCategories());
        string(out, "policyVersion", r.getPolicyVersion());
        string(out, "error", r.getError());
        list(out, "tags", r.getTags());
        out.append('}');
    }

    private static void name(StringBuilder out, String name) {
        if (out.charAt(out.length() - 1) != '{') {
            out.append(',');
        }
        out.append('"').append(name).append("\":");
    }

    private static void number(StringBuilder out, String name, long value) {
        name(out, name);
        out.append(value);
    }

    private static void string(StringBuilder out, String name, String value) {
        name(out, name);
        quoted(out, value);
    }

    private static void list(StringBuilder out, String name, List<String> values) {
        name(out, name);
        out.append('[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            quoted(out, values.get(i));
        }
        out.append(']');
    }

    /** Appends {@code value} as a JSON string literal, or {@code null}. */
    static void quoted(StringBuilder out, String value) {
        if (value == null) {
            out.append("null");
            return;
        }
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (needsUnicodeEscape(value, i, c)) {
                        out.append("\\u").append(HEX[c >> 12 & 0xF]).append(HEX[c >> 8 & 0xF])
                                .append(HEX[c >> 4 & 0xF]).append(HEX[c & 0xF]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static boolean needsUnicodeEscape(String s, int i, char c) {
        if (c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == '\u2028' || c == '\u2029') {
            return true;
        }
        // A lone surrogate cannot be encoded as UTF-8; escaping keeps the line valid and lossless.
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
        }
        if (Character.isLowSurrogate(c)) {
            return i == 0 || !Character.isHighSurrogate(s.charAt(i - 1));
        }
        return false;
    }
}
