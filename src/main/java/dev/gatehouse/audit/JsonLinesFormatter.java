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
 * result           string    Squid result code: TCP_MISS, TCP_HIT, TCP_TUNNEL, TCP_DENIED, TCP_REDIRECT, NONE_NONE…
 * hierarchy        string    Squid hierarchy code: HIER_DIRECT, FIRSTUP_PARENT or ROUNDROBIN_PARENT, SOURCEHASH_PARENT, ANY_OLD_PARENT (through a parent proxy), HIER_NONE…
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
 * referer          string    the request's Referer, or null (at most 1024 chars, as for userAgent)
 * userAgent        string    the request's User-Agent, or null; header bytes above 0x7F appear as the
 *                            ISO-8859-1 characters the listener read them as
 * </pre>
 *
 * <p>Escaping: {@code "} and {@code \}, every control character (C0, DEL, C1), U+2028/U+2029 and
 * lone surrogates are written as JSON escapes, so a line is valid UTF-8 JSON with no raw line
 * break; other non-ASCII text is written as UTF-8. Written by hand, straight into the line's bytes and
 * without reflection, because it runs once per access.
 */
public final class JsonLinesFormatter implements AuditFormatter {

    private static final DateTimeFormatter TIME = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .toFormatter()
            .withZone(ZoneOffset.UTC);
    /** Years 0 to 9999, where {@link #TIME}'s year is four plain digits: written by hand, the rest by {@link #TIME}. */
    private static final long FOUR_DIGIT_YEARS_FROM = -62_167_219_200_000L;
    private static final long FOUR_DIGIT_YEARS_UNTIL = 253_402_300_800_000L;
    private static final long MILLIS_PER_DAY = 86_400_000L;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    @Override
    public void append(AuditRecord r, LineBuffer out) {
        out.ascii('{');
        name(out, "time");
        out.ascii('"');
        time(out, r.endEpochMillis());
        out.ascii('"');
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
        string(out, "referer", r.getReferer());
        string(out, "userAgent", r.getUserAgent());
        out.ascii('}');
    }

    /**
     * {@code uuuu-MM-dd'T'HH:mm:ss.SSS'Z'} in UTC, as {@link #TIME} writes it, without its per-call objects:
     * the civil date from the epoch day by Howard Hinnant's {@code civil_from_days}
     * (https://howardhinnant.github.io/date_algorithms.html).
     */
    static void time(LineBuffer out, long epochMillis) {
        if (epochMillis < FOUR_DIGIT_YEARS_FROM || epochMillis >= FOUR_DIGIT_YEARS_UNTIL) {
            out.ascii(TIME.format(Instant.ofEpochMilli(epochMillis)));
            return;
        }
        long day = Math.floorDiv(epochMillis, MILLIS_PER_DAY);
        long ofDay = Math.floorMod(epochMillis, MILLIS_PER_DAY);
        long z = day + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long dayOfEra = z - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long shiftedMonth = (5 * dayOfYear + 2) / 153; // 0 = March
        long dayOfMonth = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1;
        long month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        out.decimal(year, 4, '0').ascii('-').decimal(month, 2, '0').ascii('-').decimal(dayOfMonth, 2, '0')
                .ascii('T').decimal(ofDay / 3_600_000, 2, '0').ascii(':').decimal(ofDay / 60_000 % 60, 2, '0')
                .ascii(':').decimal(ofDay / 1000 % 60, 2, '0').ascii('.').decimal(ofDay % 1000, 3, '0').ascii('Z');
    }

    private static void name(LineBuffer out, String name) {
        if (out.byteAt(out.length() - 1) != '{') {
            out.ascii(',');
        }
        out.ascii('"').ascii(name).ascii("\":");
    }

    private static void number(LineBuffer out, String name, long value) {
        name(out, name);
        out.decimal(value);
    }

    private static void string(LineBuffer out, String name, String value) {
        name(out, name);
        quoted(out, value);
    }

    private static void list(LineBuffer out, String name, List<String> values) {
        name(out, name);
        out.ascii('[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.ascii(',');
            }
            quoted(out, values.get(i));
        }
        out.ascii(']');
    }

    /** Appends {@code value} as a JSON string literal, or {@code null}. */
    static void quoted(LineBuffer out, String value) {
        if (value == null) {
            out.ascii("null");
            return;
        }
        out.ascii('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
                out.ascii(c);
                continue;
            }
            switch (c) {
                case '"' -> out.ascii("\\\"");
                case '\\' -> out.ascii("\\\\");
                case '\n' -> out.ascii("\\n");
                case '\r' -> out.ascii("\\r");
                case '\t' -> out.ascii("\\t");
                default -> {
                    if (needsUnicodeEscape(value, i, c)) {
                        out.ascii("\\u").ascii(HEX[c >> 12 & 0xF]).ascii(HEX[c >> 8 & 0xF])
                                .ascii(HEX[c >> 4 & 0xF]).ascii(HEX[c & 0xF]);
                    } else {
                        i = out.utf8(value, i); // a valid pair here: lone surrogates were escaped
                    }
                }
            }
        }
        out.ascii('"');
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
