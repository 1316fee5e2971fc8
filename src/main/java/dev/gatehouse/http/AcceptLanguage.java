package dev.gatehouse.http;

/**
 * Chooses which of the organisation's page languages answers a request, from its {@code Accept-Language} field
 * (RFC 9110 §12.5.4): the range with the highest weight that matches one of the languages wins, ties going to the
 * earlier range; nothing matching gives the default. A range matches a language as follows, first hit wins:
 * <ol>
 *   <li>the same tag ({@code de-CH} = {@code de-ch}, tags are case-insensitive, RFC 5646 §2.1.1);</li>
 *   <li>basic filtering (RFC 4647 §3.3.1): the range is a prefix of the tag ({@code de} matches {@code de-CH}),
 *       the first such language in configuration order;</li>
 *   <li>lookup's fallback (RFC 4647 §3.4): the range shortened subtag by subtag ({@code de-CH} falls back to
 *       {@code de}), same tag only;</li>
 *   <li>{@code *} matches the default language, or, when that is excluded, the first language that is not.</li>
 * </ol>
 * A range with {@code q=0} excludes the languages it matches by basic filtering ("not acceptable"). Malformed
 * items are skipped. The field is attacker-chosen and may be as long as the header limit allows, so only the first
 * {@link #MAX_RANGES} items within the first {@link #MAX_CHARS} characters are looked at; browsers send fewer than
 * ten. Parsing allocates one small cursor and no strings: ranges are compared in place.
 */
public final class AcceptLanguage {
    /** Items looked at; the rest of the field is ignored. */
    public static final int MAX_RANGES = 32;
    /** Characters looked at; an item cut by this bound is ignored. */
    public static final int MAX_CHARS = 1024;
    /** Languages one set of pages may have: exclusions are kept as bits of a {@code long}. */
    public static final int MAX_LANGUAGES = 64;

    private static final int NO_MATCH = -1;

    private AcceptLanguage() {}

    /**
     * The index in {@code tags} of the language to answer in.
     *
     * @param field        the {@code Accept-Language} field value (several fields joined by commas), or null
     * @param tags         the languages available, well-formed tags ({@link #isWellFormedTag}), at most {@link #MAX_LANGUAGES}
     * @param defaultIndex the language used when the field names none of them
     */
    public static int choose(String field, String[] tags, int defaultIndex) {
        if (field == null || field.isEmpty()) return defaultIndex;
        int limit = Math.min(field.length(), MAX_CHARS);
        Item item = new Item();
        long excluded = 0;
        for (int at = 0, seen = 0; seen < MAX_RANGES && (at = item.next(field, at, limit)) >= 0; seen++) {
            if (item.valid && item.weight == 0) excluded |= filtered(field, item, tags);
        }
        int best = NO_MATCH;
        int bestWeight = 0;
        for (int at = 0, seen = 0; seen < MAX_RANGES && (at = item.next(field, at, limit)) >= 0; seen++) {
            if (!item.valid || item.weight <= bestWeight) continue; // ties keep the earlier range
            int match = match(field, item, tags, defaultIndex, excluded);
            if (match != NO_MATCH) {
                best = match;
                bestWeight = item.weight;
            }
        }
        return best == NO_MATCH ? defaultIndex : best;
    }

    /**
     * Whether {@code tag} has the basic shape of an RFC 5646 language tag: a primary subtag of 2-8 letters, then
     * subtags of 1-8 letters or digits, separated by {@code -} ({@code en}, {@code de-CH}, {@code zh-Hant-TW},
     * {@code fr-CA}). Registry contents (is {@code xx} a language?) are not checked.
     */
    public static boolean isWellFormedTag(String tag) {
        int end = subtagEnd(tag, 0, tag.length(), true);
        if (end < 2) return false;
        while (end < tag.length()) {
            if (tag.charAt(end) != '-') return false;
            int next = subtagEnd(tag, end + 1, tag.length(), false);
            if (next == end + 1) return false;
            end = next;
        }
        return true;
    }

    /** The language the range {@code item} chooses among those not {@code excluded}, or {@link #NO_MATCH}. */
    private static int match(String field, Item item, String[] tags, int defaultIndex, long excluded) {
        if (item.wildcard) {
            if (!isSet(excluded, defaultIndex)) return defaultIndex;
            for (int i = 0; i < tags.length; i++) if (!isSet(excluded, i)) return i;
            return NO_MATCH;
        }
        int same = sameTag(field, item.start, item.end, tags, excluded);
        if (same != NO_MATCH) return same;
        for (int i = 0; i < tags.length; i++) {
            if (!isSet(excluded, i) && isLongerTagOf(tags[i], field, item.start, item.end)) return i;
        }
        for (int end = shorten(field, item.start, item.end); end > item.start; end = shorten(field, item.start, end)) {
            same = sameTag(field, item.start, end, tags, excluded);
            if (same != NO_MATCH) return same;
        }
        return NO_MATCH;
    }

    /** The bits of the languages a {@code q=0} range rules out: those it matches by basic filtering (RFC 4647 §3.3.1). */
    private static long filtered(String field, Item item, String[] tags) {
        if (item.wildcard) return 0; // "*;q=0": only what no other range names, i.e. nothing we would pick anyway
        long bits = 0;
        for (int i = 0; i < tags.length; i++) {
            if (equalsRange(tags[i], field, item.start, item.end) || isLongerTagOf(tags[i], field, item.start, item.end)) bits |= 1L << i;
        }
        return bits;
    }

    private static int sameTag(String field, int start, int end, String[] tags, long excluded) {
        for (int i = 0; i < tags.length; i++) {
            if (!isSet(excluded, i) && equalsRange(tags[i], field, start, end)) return i;
        }
        return NO_MATCH;
    }

    private static boolean equalsRange(String tag, String field, int start, int end) {
        return tag.length() == end - start && tag.regionMatches(true, 0, field, start, end - start);
    }

    /** Whether {@code tag} is the range followed by more subtags ({@code de-CH} for the range {@code de}). */
    private static boolean isLongerTagOf(String tag, String field, int start, int end) {
        int n = end - start;
        return tag.length() > n + 1 && tag.charAt(n) == '-' && tag.regionMatches(true, 0, field, start, n);
    }

    /**
     * The end of the range with its last subtag removed, and a single-letter subtag left before it as well
     * ({@code zh-Hant-x-a} → {@code zh-Hant}), as RFC 4647 §3.4 says; {@code start} when nothing is left.
     */
    private static int shorten(String field, int start, int end) {
        int dash = end - 1;
        while (dash > start && field.charAt(dash) != '-') dash--;
        if (dash - 2 > start && field.charAt(dash - 2) == '-') dash -= 2;
        return dash;
    }

    private static boolean isSet(long bits, int index) {
        return (bits & (1L << index)) != 0;
    }

    /** The end of a subtag starting at {@code from}: up to 8 letters (and digits unless {@code primary}). */
    private static int subtagEnd(CharSequence s, int from, int limit, boolean primary) {
        int i = from;
        while (i < limit && i - from < 8 && (isAlpha(s.charAt(i)) || (!primary && isDigit(s.charAt(i))))) i++;
        if (i < limit && i - from == 8 && (isAlpha(s.charAt(i)) || isDigit(s.charAt(i)))) return from; // too long
        return i;
    }

    private static boolean isAlpha(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isOws(char c) {
        return c == ' ' || c == '\t';
    }

    /**
     * One list item of the field, parsed in place: {@code language-range [ OWS ";" OWS "q=" qvalue ]}
     * (RFC 9110 §12.5.4, §12.4.2; ranges per RFC 4647 §2.1). Reused for every item of a call.
     */
    private static final class Item {
        int start;
        int end;
        boolean wildcard;
        /** The qvalue in thousandths, 0..1000. */
        int weight;
        /** False for an item that is not of that form; it is skipped. */
        boolean valid;

        /**
         * Parses the next non-empty item at or after {@code from}; returns where the one after it starts, or -1
         * when there is none before {@code limit} (an item running into the limit is not parsed: it may be cut).
         */
        int next(String s, int from, int limit) {
            int i = from;
            while (i < limit && (s.charAt(i) == ',' || isOws(s.charAt(i)))) i++; // empty elements (RFC 9110 §5.6.1)
            if (i >= limit) return -1;
            int comma = i;
            while (comma < limit && s.charAt(comma) != ',') comma++;
            if (comma == limit && limit < s.length()) return -1;
            valid = parse(s, i, comma);
            return comma;
        }

        private boolean parse(String s, int from, int to) {
            start = from;
            weight = 1000;
            int i;
            if (s.charAt(from) == '*') {
                wildcard = true;
                i = from + 1;
            } else {
                wildcard = false;
                i = subtagEnd(s, from, to, true);
                if (i == from) return false;
                while (i < to && s.charAt(i) == '-') {
                    int next = subtagEnd(s, i + 1, to, false);
                    if (next == i + 1) return false;
                    i = next;
                }
            }
            end = i;
            while (i < to && isOws(s.charAt(i))) i++;
            if (i == to) return true;
            if (s.charAt(i) != ';') return false;
            i++;
            while (i < to && isOws(s.charAt(i))) i++;
            if (i + 2 > to || (s.charAt(i) != 'q' && s.charAt(i) != 'Q') || s.charAt(i + 1) != '=') return false;
            i += 2;
            int q = 0;
            int qEnd = i;
            if (qEnd < to && (s.charAt(qEnd) == '0' || s.charAt(qEnd) == '1')) {
                q = (s.charAt(qEnd) - '0') * 1000;
                qEnd++;
                if (qEnd < to && s.charAt(qEnd) == '.') {
                    qEnd++;
                    for (int scale = 100; qEnd < to && isDigit(s.charAt(qEnd)) && scale > 0; scale /= 10, qEnd++) {
                        q += (s.charAt(qEnd) - '0') * scale;
                    }
                }
            } else {
                return false;
            }
            if (q > 1000) return false; // "1.5"
            while (qEnd < to && isOws(s.charAt(qEnd))) qEnd++;
            if (qEnd != to) return false; // more digits than three, other parameters, junk
            weight = q;
            return true;
        }
    }
}
