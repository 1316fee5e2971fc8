package dev.gatehouse.policy.category;

import java.nio.file.Path;
import java.util.List;

/**
 * Where the entries of one category come from: a list file, or entries written inline in a
 * policy. Kept by the index so that {@code explain} can find the line of a matching entry.
 *
 * @param category the category name
 * @param format how the entries are written
 * @param semantics what a host entry covers (ignored for URLS)
 * @param file the list file, or null for inline entries
 * @param inlineEntries the entries when {@code file} is null
 * @param inlineOrigin where inline entries were written (file and JSON pointer), or null
 */
public record CategorySource(String category, ListFormat format, EntrySemantics semantics, Path file,
        List<String> inlineEntries, String inlineOrigin) {

    /** @return a source reading a list file */
    public static CategorySource file(String category, ListFormat format, EntrySemantics semantics, Path file) {
        return new CategorySource(category, format, semantics, file, null, null);
    }

    /** @return a source holding entries written in a policy */
    public static CategorySource inline(String category, ListFormat format, EntrySemantics semantics,
            List<String> entries, String origin) {
        return new CategorySource(category, format, semantics, null, List.copyOf(entries), origin);
    }

    /** @return the file name or the inline origin, for messages */
    public String describe() {
        return file != null ? file.toString() : inlineOrigin;
    }
}
