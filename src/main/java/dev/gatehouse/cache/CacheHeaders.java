package dev.gatehouse.cache;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * An immutable, ordered multi-map of HTTP header fields whose names compare case-insensitively
 * (RFC 9110 §5.1).
 *
 * <p>Header sets are small (tens of fields), so lookups scan a list instead of hashing; that keeps
 * field order and repeated field lines exactly as received.
 */
public final class CacheHeaders {
    private static final CacheHeaders EMPTY = new CacheHeaders(List.of());

    private final List<Map.Entry<String, String>> fields;
    /**
     * The parsed {@code Cache-Control}, made on first use: a stored response's headers are looked at on
     * every hit, and parsing them each time showed in the hit-path profile. Immutable, so a racy double
     * computation is harmless.
     */
    private CacheControl cacheControl;
    /** What a lookup reads from a stored response's fields besides Cache-Control, parsed once (as above). */
    private ResponseFacts responseFacts;

    private CacheHeaders(List<Map.Entry<String, String>> fields) {
        this.fields = fields;
    }

    /** The {@code Cache-Control} directives of these fields, parsed once per instance. */
    CacheControl cacheControl() {
        CacheControl cc = cacheControl;
        if (cc == null) {
            cc = CacheControl.parse(this);
            cacheControl = cc;
        }
        return cc;
    }

    /**
     * The fields every lookup of a stored response reads (Date for its age, Age, Vary for the secondary
     * key), parsed once per instance: a stored entry's headers are shared by all its hits.
     *
     * @param dateMillis the {@code Date} field, or {@link Long#MIN_VALUE} when absent or invalid
     * @param ageSeconds the {@code Age} field value (RFC 9111 §5.1), 0 when absent or invalid
     * @param varyNames  the distinct {@code Vary} names, lower-cased and sorted; null for {@code Vary: *}
     */
    record ResponseFacts(long dateMillis, long ageSeconds, List<String> varyNames) {}

    ResponseFacts responseFacts() {
        ResponseFacts facts = responseFacts;
        if (facts == null) {
            List<String> age = elements("Age");
            facts = new ResponseFacts(HttpDate.parse(first("Date")).orElse(Long.MIN_VALUE),
                    age.isEmpty() ? 0 : CacheControl.deltaSeconds(age.getFirst(), 0), varyNames());
            responseFacts = facts;
        }
        return facts;
    }

    private List<String> varyNames() {
        java.util.TreeSet<String> names = new java.util.TreeSet<>();
        for (String name : elements("Vary")) {
            if (name.equals("*")) {
                return null;
            }
            names.add(name.toLowerCase(Locale.ROOT));
        }
        return List.copyOf(names);
    }

    /** No header fields. */
    public static CacheHeaders empty() {
        return EMPTY;
    }

    /** Header fields from alternating names and values: {@code of("Cache-Control", "max-age=60")}. */
    public static CacheHeaders of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("expected name/value pairs, got an odd count: " + namesAndValues.length);
        }
        Builder builder = builder();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            builder.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        return builder.build();
    }

    /** A builder that keeps fields in the order they are added. */
    public static Builder builder() {
        return new Builder(new ArrayList<>());
    }

    /**
     * As {@link #builder()}, sized for about {@code lines} field lines: a request's fields are turned into
     * CacheHeaders on every request, and a list grown from the default size showed in the allocation profile.
     */
    public static Builder builder(int lines) {
        return new Builder(new ArrayList<>(lines));
    }

    /** The value of the first field line with this name, or {@code null} if there is none. */
    public String first(String name) {
        for (int i = 0, n = fields.size(); i < n; i++) { // indexed: no iterator per call on the hit path
            Map.Entry<String, String> field = fields.get(i);
            if (field.getKey().equalsIgnoreCase(name)) {
                return field.getValue();
            }
        }
        return null;
    }

    /** The values of every field line with this name, in order. */
    public List<String> all(String name) {
        List<String> values = null; // most lookups find nothing: no list for them
        for (int i = 0, n = fields.size(); i < n; i++) {
            Map.Entry<String, String> field = fields.get(i);
            if (field.getKey().equalsIgnoreCase(name)) {
                if (values == null) values = new ArrayList<>(2);
                values.add(field.getValue());
            }
        }
        return values == null ? List.of() : values;
    }

    /** Whether at least one field line has this name. */
    public boolean has(String name) {
        return first(name) != null;
    }

    /**
     * All field lines with this name combined into one value with ", " (RFC 9110 §5.3), or
     * {@code null} if there is none.
     */
    public String combined(String name) {
        List<String> values = all(name);
        return values.isEmpty() ? null : String.join(", ", values);
    }

    /**
     * The members of a list-based field across all its lines (RFC 9110 §5.6.1), trimmed, empty
     * members dropped, commas inside quoted strings kept.
     */
    public List<String> elements(String name) {
        List<String> values = all(name);
        if (values.size() <= 1) {
            return values.isEmpty() ? values : FieldLists.split(values.getFirst());
        }
        List<String> elements = new ArrayList<>();
        for (String value : values) {
            elements.addAll(FieldLists.split(value));
        }
        return elements;
    }

    /** Distinct field names as first seen, in their original case. */
    public Set<String> names() {
        Set<String> lowered = new LinkedHashSet<>();
        Set<String> names = new LinkedHashSet<>();
        for (Map.Entry<String, String> field : fields) {
            if (lowered.add(field.getKey().toLowerCase(Locale.ROOT))) {
                names.add(field.getKey());
            }
        }
        return names;
    }

    /** Every field line in order, as (name, value) entries. */
    public List<Map.Entry<String, String>> fields() {
        return fields;
    }

    /** Calls {@code action} once per field line, in order. */
    public void forEach(BiConsumer<String, String> action) {
        for (int i = 0, n = fields.size(); i < n; i++) {
            Map.Entry<String, String> field = fields.get(i);
            action.accept(field.getKey(), field.getValue());
        }
    }

    /** The number of field lines. */
    public int size() {
        return fields.size();
    }

    /** A copy without any field line whose name is one of {@code names}. */
    public CacheHeaders without(String... names) {
        return without(Arrays.asList(names));
    }

    /**
     * A copy without any field line whose name is in {@code names} (compared case-insensitively); these
     * very fields when none matches (they are immutable), so a no-op costs no copy.
     */
    public CacheHeaders without(Iterable<String> names) {
        return copyWithout(names, null);
    }

    /** A copy where {@code name} has exactly one field line, {@code value}, replacing any present. */
    public CacheHeaders with(String name, String value) {
        return copyWithout(List.of(name), field(name, value));
    }

    /** One field line; a value is trimmed of surrounding whitespace (RFC 9110 §5.5). */
    private static Map.Entry<String, String> field(String name, String value) {
        if (name == null || name.isEmpty() || value == null) {
            throw new IllegalArgumentException("a header field needs a name and a value, got " + name + ": " + value);
        }
        return Map.entry(name, value.strip());
    }

    /** One pass for {@link #without} and {@link #with}: the kept fields, then {@code added} if given. */
    private CacheHeaders copyWithout(Iterable<String> names, Map.Entry<String, String> added) {
        List<Map.Entry<String, String>> kept = null;
        int n = fields.size();
        for (int i = 0; i < n; i++) {
            Map.Entry<String, String> field = fields.get(i);
            boolean drop = contains(names, field.getKey());
            if (drop && kept == null) {
                kept = new ArrayList<>(n + 1);
                kept.addAll(fields.subList(0, i));
            } else if (!drop && kept != null) {
                kept.add(field);
            }
        }
        if (added == null) {
            return kept == null ? this : kept.isEmpty() ? EMPTY : new CacheHeaders(Collections.unmodifiableList(kept));
        }
        if (kept == null) {
            kept = new ArrayList<>(n + 1);
            kept.addAll(fields);
        }
        kept.add(added);
        return new CacheHeaders(Collections.unmodifiableList(kept));
    }

    /** A builder holding these fields, to add more. */
    public Builder toBuilder() {
        Builder builder = builder();
        builder.fields.addAll(fields);
        return builder;
    }

    private static boolean contains(Iterable<String> names, String name) {
        if (names instanceof List<String> list) { // indexed: no iterator per field
            for (int i = 0, n = list.size(); i < n; i++) {
                if (list.get(i).equalsIgnoreCase(name)) {
                    return true;
                }
            }
            return false;
        }
        for (String candidate : names) {
            if (candidate.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CacheHeaders that && lowered().equals(that.lowered());
    }

    @Override
    public int hashCode() {
        return lowered().hashCode();
    }

    private List<Map.Entry<String, String>> lowered() {
        List<Map.Entry<String, String>> lowered = new ArrayList<>(fields.size());
        for (Map.Entry<String, String> field : fields) {
            lowered.add(Map.entry(field.getKey().toLowerCase(Locale.ROOT), field.getValue()));
        }
        return lowered;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        forEach((name, value) -> text.append(name).append(": ").append(value).append('\n'));
        return text.toString();
    }

    /** Collects header fields in order; {@link #build()} gives an immutable {@link CacheHeaders}. */
    public static final class Builder {
        private final List<Map.Entry<String, String>> fields;

        private Builder(List<Map.Entry<String, String>> fields) {
            this.fields = fields;
        }

        /** Adds one field line; a value is trimmed of surrounding whitespace (RFC 9110 §5.5). */
        public Builder add(String name, String value) {
            fields.add(field(name, value));
            return this;
        }

        /** Adds every field line of {@code headers}. */
        public Builder addAll(CacheHeaders headers) {
            fields.addAll(headers.fields);
            return this;
        }

        public CacheHeaders build() {
            return fields.isEmpty() ? EMPTY : new CacheHeaders(List.copyOf(fields));
        }
    }
}
