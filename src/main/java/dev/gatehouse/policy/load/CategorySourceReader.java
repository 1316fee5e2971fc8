package dev.gatehouse.policy.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.policy.PolicyProblem;
import dev.gatehouse.policy.category.CategoryIndexBuilder;
import dev.gatehouse.policy.category.CategorySource;
import dev.gatehouse.policy.category.EntrySemantics;
import dev.gatehouse.policy.category.ListFormat;
import dev.gatehouse.policy.category.LoadProblem;
import dev.gatehouse.policy.category.Ut1Directory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the {@code categorySources} array and loads every source into one category index.
 * Formats: {@code ut1} (a UT1/squidGuard folder), {@code domains}, {@code hosts}, {@code urls}
 * (one list file for one category) and {@code inline}.
 */
final class CategorySourceReader {
    private static final Set<String> FORMATS = Set.of("ut1", "domains", "hosts", "urls", "inline");

    private final LoadContext context;

    CategorySourceReader(LoadContext context) {
        this.context = context;
    }

    void read(JsonNode sources, String pointer) {
        CategoryIndexBuilder builder = new CategoryIndexBuilder();
        if (sources != null) {
            if (!sources.isArray()) {
                context.problems.error(pointer, "'categorySources' must be an array");
            } else {
                for (int i = 0; i < sources.size(); i++) {
                    readSource(sources.get(i), pointer + "/" + i, builder);
                }
            }
        }
        for (LoadProblem problem : builder.problems()) {
            context.problems.inFile(PolicyProblem.Severity.WARNING, problem.source(), problem.line(),
                    "entry skipped: " + problem.message());
        }
        try {
            context.categories = builder.build();
        } catch (IllegalStateException e) {
            context.problems.error(pointer, e.getMessage());
            context.categoriesFailed = true;
        }
    }

    private void readSource(JsonNode source, String at, CategoryIndexBuilder builder) {
        if (!context.fields.object(source, at, Set.of("id", "format", "path", "category", "include", "aliases",
                "semantics", "domains", "hosts", "urls"))) {
            context.categoriesFailed = true;
            return;
        }
        String format = context.fields.string(source, "format", at, true);
        if (format == null) {
            context.categoriesFailed = true;
            return;
        }
        if (!FORMATS.contains(format)) {
            context.problems.error(at + "/format", "unknown format '" + format + "'; use one of "
                    + FORMATS.stream().sorted().toList());
            context.categoriesFailed = true;
            return;
        }
        try {
            switch (format) {
                case "ut1" -> readUt1(source, at, builder);
                case "inline" -> readInline(source, at, builder);
                default -> readListFile(source, at, format, builder);
            }
        } catch (IOException e) {
            context.problems.error(at + "/path", "cannot read: " + e);
            context.categoriesFailed = true;
        }
        JsonNode aliases = source.get("aliases");
        if (aliases != null) {
            if (!aliases.isObject()) {
                context.problems.error(at + "/aliases", "'aliases' must map alias names to category names");
                return;
            }
            for (Map.Entry<String, JsonNode> alias : aliases.properties()) {
                builder.alias(alias.getKey(), alias.getValue().asText());
            }
        }
    }

    private Path existing(JsonNode source, String at, boolean directory) {
        String path = context.fields.string(source, "path", at, true);
        if (path == null) {
            return null;
        }
        Path resolved = context.resolve(path);
        if (directory ? !Files.isDirectory(resolved) : !Files.isRegularFile(resolved)) {
            context.problems.error(at + "/path", (directory ? "no folder " : "no file ") + resolved);
            context.categoriesFailed = true;
            return null;
        }
        return resolved;
    }

    private void readUt1(JsonNode source, String at, CategoryIndexBuilder builder) throws IOException {
        Path dir = existing(source, at, true);
        if (dir == null) {
            return;
        }
        List<String> include = context.fields.strings(source, "include", at);
        Set<String> wanted = new HashSet<>();
        include.forEach(name -> wanted.add(Ut1Directory.folderName(name)));
        List<String> loaded = Ut1Directory.load(dir, name -> wanted.isEmpty() || wanted.contains(name), builder);
        for (int i = 0; i < include.size(); i++) {
            if (!loaded.contains(Ut1Directory.folderName(include.get(i)))) {
                context.problems.error(at + "/include/" + i, "no category folder '" + include.get(i) + "' in " + dir);
                context.categoriesFailed = true;
            }
        }
        for (CategorySource loadedSource : builder.sources()) {
            if (loadedSource.file() != null && loadedSource.file().startsWith(dir)) {
                context.stamp(loadedSource.file());
            }
        }
    }

    private void readListFile(JsonNode source, String at, String format, CategoryIndexBuilder builder)
            throws IOException {
        String category = context.fields.string(source, "category", at, true);
        Path file = existing(source, at, false);
        EntrySemantics semantics = semantics(source, at, format.equals("hosts") ? EntrySemantics.EXACT
                : EntrySemantics.DOMAIN);
        if (category == null || file == null || semantics == null) {
            context.categoriesFailed = true;
            return;
        }
        ListFormat listFormat = ListFormat.valueOf(format.toUpperCase(Locale.ROOT));
        builder.add(CategorySource.file(category, listFormat, semantics, file));
        context.stamp(file);
    }

    private void readInline(JsonNode source, String at, CategoryIndexBuilder builder) throws IOException {
        String category = context.fields.string(source, "category", at, true);
        EntrySemantics semantics = semantics(source, at, EntrySemantics.DOMAIN);
        if (category == null || semantics == null) {
            context.categoriesFailed = true;
            return;
        }
        builder.category(category);
        List<String> domains = context.fields.strings(source, "domains", at);
        List<String> hosts = context.fields.strings(source, "hosts", at);
        List<String> urls = context.fields.strings(source, "urls", at);
        String origin = context.fileName + " " + at;
        if (!domains.isEmpty()) {
            builder.add(CategorySource.inline(category, ListFormat.DOMAINS, semantics, domains, origin + "/domains"));
        }
        if (!hosts.isEmpty()) {
            builder.add(CategorySource.inline(category, ListFormat.DOMAINS, EntrySemantics.EXACT, hosts,
                    origin + "/hosts"));
        }
        if (!urls.isEmpty()) {
            builder.add(CategorySource.inline(category, ListFormat.URLS, semantics, urls, origin + "/urls"));
        }
    }

    private EntrySemantics semantics(JsonNode source, String at, EntrySemantics fallback) {
        String text = context.fields.string(source, "semantics", at, false);
        if (text == null) {
            return fallback;
        }
        return switch (text) {
            case "domain" -> EntrySemantics.DOMAIN;
            case "exact" -> EntrySemantics.EXACT;
            case "subdomains" -> EntrySemantics.SUBDOMAINS;
            default -> {
                context.problems.error(at + "/semantics", "unknown semantics '" + text
                        + "'; use domain, exact or subdomains");
                yield null;
            }
        };
    }
}
