package dev.gatehouse.policy.category;

import dev.gatehouse.policy.normalize.HostName;
import dev.gatehouse.policy.normalize.InvalidTargetException;
import dev.gatehouse.policy.normalize.Target;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * An immutable, thread-safe map from hosts and URLs to their categories.
 *
 * <p>A host matches an entry equal to it (if the entry covers the host itself) and every entry
 * for one of its parent domains (if the entry covers subdomains), on label boundaries:
 * {@code a.com} never matches {@code ba.com}. IP literals match only equal entries. URL entries
 * ({@code host/path}) match when the host matches as a domain and the normalised path and query
 * start with the entry's path.
 */
public final class CategoryIndex {
    /** An index with no categories. */
    public static final CategoryIndex EMPTY = new CategoryIndexBuilder(16).build();

    /**
     * A URL entry for one host.
     *
     * @param pathPrefix normalised path prefix
     * @param category category id
     * @param source index into the sources
     */
    record UrlEntry(String pathPrefix, int category, int source) {
    }

    private final FingerprintTable table;
    private final String[] names;
    private final Map<String, Integer> byName;
    private final CategorySet[] selfSets;
    private final CategorySet[] belowSets;
    /** URL entries by host fingerprint: the same suffix walk finds them without building substrings. */
    private final FingerprintTable urlTable;
    private final boolean singleLabelEntries;
    private final UrlEntry[][] urlEntries;
    private final CategorySet[] singles;
    private final List<CategorySource> sources;
    private final int entryCount;

    CategoryIndex(FingerprintTable table, String[] names, Map<String, Integer> byName,
            CategorySet[] selfSets, CategorySet[] belowSets, FingerprintTable urlTable, UrlEntry[][] urlEntries,
            List<CategorySource> sources, int entryCount, boolean singleLabelEntries) {
        this.table = table;
        this.names = names;
        this.byName = Map.copyOf(byName);
        this.selfSets = selfSets;
        this.belowSets = belowSets;
        this.singleLabelEntries = singleLabelEntries;
        this.urlTable = urlTable;
        this.urlEntries = urlEntries;
        this.singles = new CategorySet[names.length];
        for (int i = 0; i < names.length; i++) {
            singles[i] = CategorySet.of(i);
        }
        this.sources = sources;
        this.entryCount = entryCount;
    }

    /** @return the id of a category or alias name, or -1 if unknown */
    public int categoryId(String nameOrAlias) {
        Integer id = byName.get(nameOrAlias);
        return id == null ? -1 : id;
    }

    /** @return the canonical name of a category id */
    public String name(int id) {
        return names[id];
    }

    /** @return every category name and alias, sorted */
    public Set<String> knownNames() {
        return Collections.unmodifiableSet(new TreeSet<>(byName.keySet()));
    }

    /** @return the canonical names of the ids in a set, in id order */
    public List<String> names(CategorySet set) {
        List<String> result = new ArrayList<>();
        for (int id : set.ids()) {
            result.add(names[id]);
        }
        return result;
    }

    /** @return the categories of a host (domain entries only) */
    public CategorySet lookup(HostName host) {
        return table.size() == 0 ? CategorySet.EMPTY : lookup(HostKeys.of(host), null);
    }

    /** @return the categories of a request: its host's, plus those of matching URL entries */
    public CategorySet lookup(Target target) {
        if (table.size() == 0 && (urlEntries.length == 0 || target.pathAndQuery() == null)) {
            return CategorySet.EMPTY;
        }
        return lookup(HostKeys.of(target.host()), target.pathAndQuery());
    }

    /**
     * @param keys the request host's keys, computed once per request
     * @param pathAndQuery the normalised path and query, or null (a tunnel, or host entries only)
     * @return the categories of the host, plus those of URL entries whose prefix the path has
     */
    public CategorySet lookup(HostKeys keys, String pathAndQuery) {
        boolean hosts = table.size() > 0;
        String path = urlEntries.length == 0 ? null : pathAndQuery;
        CategorySet result = CategorySet.EMPTY;
        int last = keys.size() - 1;
        // keys(0) is the top-level label; listing one is rare (and warned about), so usually skip it.
        int first = last > 0 && !singleLabelEntries && !keys.ipLiteral() ? 1 : 0;
        for (int i = first; i <= last; i++) {
            long key = keys.key(i);
            int combo = hosts ? table.get(key) : -1;
            if (combo >= 0) {
                result = result.union(i == last ? selfSets[combo] : belowSets[combo]);
            }
            if (path != null) {
                result = urlMatches(key, path, result);
            }
        }
        return result;
    }

    private CategorySet urlMatches(long hostKey, String path, CategorySet result) {
        int index = urlTable.get(hostKey);
        if (index < 0) {
            return result;
        }
        for (UrlEntry entry : urlEntries[index]) {
            if (path.startsWith(entry.pathPrefix())) {
                result = result.union(singles[entry.category()]);
            }
        }
        return result;
    }

    /**
     * Finds the list entries behind the categories of a request, by reading the sources again.
     * Meant for {@code explain}, not the request path: it does file I/O.
     *
     * @throws IOException if a list file cannot be read
     */
    public List<EntryOrigin> origins(Target target) throws IOException {
        CategorySet categories = lookup(target);
        List<EntryOrigin> result = new ArrayList<>();
        for (CategorySource source : sources) {
            if (!categories.contains(categoryId(source.category()))) {
                continue;
            }
            if (source.file() == null) {
                List<String> lines = source.inlineEntries();
                for (int i = 0; i < lines.size(); i++) {
                    match(source, lines.get(i), i + 1, target, result);
                }
            } else {
                try (BufferedReader reader = Files.newBufferedReader(source.file(), StandardCharsets.UTF_8)) {
                    String line;
                    int number = 0;
                    while ((line = reader.readLine()) != null) {
                        match(source, line, ++number, target, result);
                    }
                }
            }
        }
        return result;
    }

    private static void match(CategorySource source, String line, int number, Target target,
            List<EntryOrigin> out) {
        String host = target.host().value();
        try {
            if (source.format() == ListFormat.URLS) {
                ListEntry.Url url = ListEntry.url(line);
                if (url != null && target.pathAndQuery() != null && coversAsDomain(url.host(), host, target)
                        && target.pathAndQuery().startsWith(url.pathPrefix())) {
                    out.add(new EntryOrigin(source.category(), source.describe(), number, line.strip(), "URL prefix"));
                }
                return;
            }
            for (ListEntry.Host entry : ListEntry.hosts(line, source.format(), source.semantics())) {
                if (entry.host().equals(host) && entry.semantics().self()) {
                    out.add(new EntryOrigin(source.category(), source.describe(), number, line.strip(), "exact host"));
                } else if (entry.semantics().below() && !target.host().isIpLiteral()
                        && host.endsWith("." + entry.host())) {
                    out.add(new EntryOrigin(source.category(), source.describe(), number, line.strip(),
                            "parent of '" + host + "'"));
                }
            }
        } catch (InvalidTargetException e) {
            // skipped at load time too
        }
    }

    private static boolean coversAsDomain(String entry, String host, Target target) {
        return entry.equals(host) || (!target.host().isIpLiteral() && host.endsWith("." + entry));
    }

    /** @return the number of host and URL entries loaded */
    public int entryCount() {
        return entryCount;
    }

    /** @return the number of distinct hosts in the table */
    public int hostCount() {
        return table.size();
    }

    /** @return the list sources, in load order */
    public List<CategorySource> sources() {
        return sources;
    }

    /** @return an estimate of the heap the host table holds, for status pages and tests */
    public long retainedBytes() {
        return table.retainedBytes();
    }
}
