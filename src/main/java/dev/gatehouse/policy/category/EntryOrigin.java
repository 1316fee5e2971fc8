package dev.gatehouse.policy.category;

/**
 * The list entry behind a category hit, for {@code explain}: "ut1/gambling/domains line 1203
 * 'casino.example' matched as parent of 'www.casino.example'".
 *
 * @param category the category the entry puts the request in
 * @param source the list file or inline origin
 * @param line 1-based line (or entry index + 1 for inline entries)
 * @param entry the entry as written
 * @param how how it matched: {@code "exact host"}, {@code "parent of <host>"}, {@code "URL prefix"}
 */
public record EntryOrigin(String category, String source, int line, String entry, String how) {
    @Override
    public String toString() {
        return category + ": " + source + " line " + line + " '" + entry + "' matched as " + how;
    }
}
