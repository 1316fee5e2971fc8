package dev.gatehouse.policy.load;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Typed reads of tree values that report a located problem instead of throwing, so that one
 * pass finds every error in a file.
 */
final class JsonFields {
    private final Problems problems;

    JsonFields(Problems problems) {
        this.problems = problems;
    }

    /** @return true if {@code node} is an object; reports keys outside {@code allowed} as errors */
    boolean object(JsonNode node, String pointer, Set<String> allowed) {
        if (node == null || !node.isObject()) {
            problems.error(pointer, "expected an object");
            return false;
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                problems.error(pointer + "/" + JsonDocument.escape(name), "unknown key '" + name + "'"
                        + suggestion(name, allowed) + "; allowed here: " + allowed.stream().sorted().toList());
            }
        }
        return true;
    }

    /** @return the string at {@code key}, or null (reported if required) */
    String string(JsonNode parent, String key, String pointer, boolean required) {
        JsonNode value = parent.get(key);
        if (value == null || value.isNull()) {
            if (required) {
                problems.error(pointer, "missing required key '" + key + "'");
            }
            return null;
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            problems.error(pointer + "/" + key, "'" + key + "' must be a non-empty string");
            return null;
        }
        return value.asText();
    }

    /** @return the boolean at {@code key}, or {@code fallback} */
    boolean bool(JsonNode parent, String key, String pointer, boolean fallback) {
        JsonNode value = parent.get(key);
        if (value == null) {
            return fallback;
        }
        if (!value.isBoolean()) {
            problems.error(pointer + "/" + key, "'" + key + "' must be true or false");
            return fallback;
        }
        return value.asBoolean();
    }

    /** @return the strings of a string or array of strings at {@code key}; empty if absent */
    List<String> strings(JsonNode parent, String key, String pointer) {
        JsonNode value = parent.get(key);
        if (value == null) {
            return List.of();
        }
        return strings(value, pointer + "/" + key);
    }

    /** @return the strings of a string or array of strings */
    List<String> strings(JsonNode value, String pointer) {
        if (value.isTextual()) {
            return List.of(value.asText());
        }
        if (!value.isArray()) {
            problems.error(pointer, "expected a string or an array of strings");
            return List.of();
        }
        List<String> result = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            if (item.isTextual() || item.isNumber()) {
                result.add(item.asText());
            } else {
                problems.error(pointer + "/" + i, "expected a string");
            }
        }
        return result;
    }

    private static String suggestion(String name, Set<String> allowed) {
        String best = null;
        int bestDistance = 3; // only close typos
        for (String candidate : allowed) {
            int d = distance(name.toLowerCase(), candidate.toLowerCase());
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return best == null ? "" : " (did you mean '" + best + "'?)";
    }

    /** Levenshtein distance, for "did you mean" hints on typos. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
