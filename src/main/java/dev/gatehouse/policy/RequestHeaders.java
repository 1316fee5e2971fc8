package dev.gatehouse.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The request's header fields as the {@code header} condition reads them: a view over what the listener
 * already parsed, never a copy per request. Field names are case-insensitive (RFC 9110 §5.1).
 */
@FunctionalInterface
public interface RequestHeaders {
    /** No fields: for a policy whose rules name none, and for tests and explain without {@code --header}. */
    RequestHeaders NONE = name -> null;

    /** @return the values of every field line named {@code name}, in order; null or empty when there is none */
    List<String> values(String name);

    /**
     * Fields from {@code "Name: value"} lines, for {@code explain --header}.
     *
     * @throws IllegalArgumentException for a line without a colon or with an empty name
     */
    static RequestHeaders of(List<String> lines) {
        if (lines.isEmpty()) return NONE;
        Map<String, List<String>> fields = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon <= 0 || line.substring(0, colon).isBlank()) {
                throw new IllegalArgumentException("a header is \"Name: value\", got \"" + line + "\"");
            }
            String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            fields.computeIfAbsent(name, n -> new ArrayList<>()).add(line.substring(colon + 1).strip());
        }
        return fields::get;
    }
}
