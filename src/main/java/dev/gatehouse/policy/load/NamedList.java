package dev.gatehouse.policy.load;

import java.nio.file.Path;
import java.util.List;

/**
 * A {@code lists} entry of a policy: named, typed values written inline and/or in a file.
 *
 * @param name the list's name
 * @param type its type ({@code hosts}, {@code urlPrefixes}, {@code cidrs}, {@code users}, {@code groups})
 * @param entries the inline entries
 * @param file the list file (one entry a line, {@code #} comments), or null
 * @param pointer where the list is defined
 */
record NamedList(String name, String type, List<String> entries, Path file, String pointer) {
    static final List<String> TYPES = List.of("hosts", "urlPrefixes", "cidrs", "users", "groups");
}
