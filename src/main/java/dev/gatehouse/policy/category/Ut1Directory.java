package dev.gatehouse.policy.category;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Reads a category tree in the UT1/squidGuard layout ({@code <dir>/<category>/domains},
 * {@code domains.0}, {@code domains.1}... for split files, {@code urls}) so that published lists
 * drop in unchanged. Category aliases come from the {@code usage} files, from directory symlinks
 * and from the aliases upstream ships as symlinks ({@code ads -> publicite}).
 *
 * <p>{@code expressions} files are not read: they are regexes over whole URLs and a known source
 * of false positives (e2guardian#546); a policy can opt in with its own regex rule.
 */
public final class Ut1Directory {
    /** The symlinks of the upstream tarball (see shared SOURCE.md), applied when the target is present. */
    private static final Map<String, String> UPSTREAM_ALIASES = Map.of("ads", "publicite", "proxy", "redirector",
            "porn", "adult", "drugs", "drogue", "aggressive", "agressif", "violence", "agressif", "mail", "forums");

    private Ut1Directory() {
    }

    /** @return the folder name behind an upstream alias ({@code ads} gives {@code publicite}), else the name */
    public static String folderName(String nameOrAlias) {
        return UPSTREAM_ALIASES.getOrDefault(nameOrAlias, nameOrAlias);
    }

    /**
     * Adds every included category of {@code dir} to the builder.
     *
     * @param include which category names to load (aliases not resolved here)
     * @return the names of the categories loaded
     * @throws IOException if the directory or a list cannot be read
     */
    public static List<String> load(Path dir, Predicate<String> include, CategoryIndexBuilder builder)
            throws IOException {
        Map<String, Path> categories = new TreeMap<>();
        Map<String, String> linkAliases = new TreeMap<>();
        try (Stream<Path> children = Files.list(dir)) {
            for (Path child : (Iterable<Path>) children::iterator) {
                String name = child.getFileName().toString();
                if (!Files.isDirectory(child) || name.startsWith(".")) {
                    continue;
                }
                if (Files.isSymbolicLink(child)) {
                    linkAliases.put(name, Files.readSymbolicLink(child).getFileName().toString());
                } else if (include.test(name)) {
                    categories.put(name, child);
                }
            }
        }
        List<String> loaded = new ArrayList<>();
        for (Map.Entry<String, Path> category : categories.entrySet()) {
            String name = category.getKey();
            builder.category(name);
            for (Path domains : domainFiles(category.getValue())) {
                builder.add(CategorySource.file(name, ListFormat.DOMAINS, EntrySemantics.DOMAIN, domains));
            }
            Path urls = category.getValue().resolve("urls");
            if (Files.isRegularFile(urls)) {
                builder.add(CategorySource.file(name, ListFormat.URLS, EntrySemantics.DOMAIN, urls));
            }
            for (String alias : usageAliases(category.getValue().resolve("usage"), name)) {
                builder.alias(alias, name);
            }
            loaded.add(name);
        }
        linkAliases.forEach((alias, target) -> {
            if (categories.containsKey(target)) {
                builder.alias(alias, target);
            }
        });
        UPSTREAM_ALIASES.forEach((alias, target) -> {
            if (categories.containsKey(target) && !categories.containsKey(alias)) {
                builder.alias(alias, target);
            }
        });
        return loaded;
    }

    private static List<Path> domainFiles(Path categoryDir) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> children = Files.list(categoryDir)) {
            children.filter(p -> p.getFileName().toString().matches("domains(\\.\\d+)?"))
                    .filter(Files::isRegularFile).sorted().forEach(files::add);
        }
        return files;
    }

    /** The {@code usage} file: "black" or "white", then other names of the category. */
    private static List<String> usageAliases(Path usage, String category) throws IOException {
        if (!Files.isRegularFile(usage)) {
            return List.of();
        }
        List<String> aliases = new ArrayList<>();
        for (String line : Files.readAllLines(usage)) {
            String name = line.strip();
            if (!name.isEmpty() && !name.startsWith("#") && !Set.of("black", "white", category).contains(name)
                    && name.matches("[a-z0-9_-]+")) {
                aliases.add(name);
            }
        }
        return aliases;
    }
}
