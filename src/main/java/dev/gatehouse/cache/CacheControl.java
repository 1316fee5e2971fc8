package dev.gatehouse.cache;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The directives of one message's {@code Cache-Control} field lines (RFC 9111 §5.2), parsed
 * defensively.
 *
 * <p>Directive names are case-insensitive (§5.2); values may be tokens or quoted strings, and
 * recipients accept both forms (§5.2). When a directive appears more than once with different
 * values, {@link #seconds} reports it as invalid, which callers treat as the most restrictive
 * reading (§4.2.1: "either the first occurrence should be used or the response should be
 * considered stale").
 */
public final class CacheControl {
    /** delta-seconds larger than this are clamped to it (RFC 9111 §1.2.2). */
    public static final long MAX_DELTA_SECONDS = 2_147_483_648L;

    private static final CacheControl NONE = new CacheControl(Map.of());

    private final Map<String, List<String>> directives;

    private CacheControl(Map<String, List<String>> directives) {
        this.directives = directives;
    }

    /** The directives of every {@code Cache-Control} line in {@code headers} (parsed once per headers instance). */
    public static CacheControl of(CacheHeaders headers) {
        return headers.cacheControl();
    }

    static CacheControl parse(CacheHeaders headers) {
        List<String> elements = headers.elements("Cache-Control");
        if (elements.isEmpty()) {
            return NONE; // most requests: nothing to parse, nothing to allocate
        }
        Map<String, List<String>> directives = new HashMap<>();
        for (String element : elements) {
            int equals = element.indexOf('=');
            String name = (equals < 0 ? element : element.substring(0, equals)).strip().toLowerCase(Locale.ROOT);
            String value = equals < 0 ? null : FieldLists.unquote(element.substring(equals + 1).strip());
            directives.computeIfAbsent(name, n -> new ArrayList<>(1)).add(value);
        }
        return new CacheControl(directives);
    }

    /** Whether the directive is present, with or without a value. */
    public boolean has(String directive) {
        return directives.containsKey(directive);
    }

    /** The directive's first value, or {@code null} if it is absent or has no value. */
    public String value(String directive) {
        List<String> values = directives.get(directive);
        return values == null ? null : values.getFirst();
    }

    /**
     * The directive's delta-seconds value, or {@code otherwise} if it is absent, has no value, is not a non-negative
     * integer, or is repeated with different values. A plain number, not an {@code OptionalLong}: the freshness
     * checks every lookup makes call it.
     */
    public long seconds(String directive, long otherwise) {
        List<String> values = directives.get(directive);
        if (values == null) {
            return otherwise;
        }
        for (int i = 1; i < values.size(); i++) { // a loop, not a stream: this runs on every lookup
            if (!java.util.Objects.equals(values.get(i), values.getFirst())) {
                return otherwise;
            }
        }
        long seconds = deltaSeconds(values.getFirst(), -1);
        return seconds < 0 ? otherwise : seconds;
    }

    /**
     * Parses delta-seconds (RFC 9111 §1.2.2): digits only, clamped to {@link #MAX_DELTA_SECONDS}
     * when larger; {@code otherwise} when absent or not digits.
     */
    public static long deltaSeconds(String value, long otherwise) {
        if (value == null || value.isEmpty()) {
            return otherwise;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return otherwise;
            }
        }
        int start = 0;
        while (start < value.length() - 1 && value.charAt(start) == '0') {
            start++; // leading zeros, without a regex per call
        }
        String digits = value.substring(start);
        if (digits.length() > 10) {
            return MAX_DELTA_SECONDS;
        }
        return Math.min(Long.parseLong(digits), MAX_DELTA_SECONDS);
    }

    /** The field names listed in a qualified directive such as {@code no-cache="Set-Cookie"}, lower-cased. */
    public List<String> fieldNames(String directive) {
        String value = value(directive);
        if (value == null) {
            return List.of();
        }
        return FieldLists.split(value).stream().map(name -> name.toLowerCase(Locale.ROOT)).toList();
    }
}
