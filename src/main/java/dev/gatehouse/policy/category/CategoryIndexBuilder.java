package dev.gatehouse.policy.category;

import dev.gatehouse.policy.normalize.HostNormalizer;
import dev.gatehouse.policy.normalize.InvalidTargetException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects category entries from list files and inline lists, then {@linkplain #build builds} an
 * immutable {@link CategoryIndex}. Not thread-safe; one builder per reload.
 *
 * <p>Bad entries are skipped and reported as {@link LoadProblem}s: published lists carry odd
 * lines, and one of them must not cost the whole list. Missing files are errors of the caller.
 */
public final class CategoryIndexBuilder {
    private static final int PROBLEMS_PER_SOURCE = 20;

    private final DomainFingerprint fingerprint;
    private final FingerprintTable table;
    private final Map<String, Integer> ids = new LinkedHashMap<>();
    private final Map<String, String> aliases = new LinkedHashMap<>();
    /** Interned (self, below) category combinations; the table points at their index. */
    private final Map<List<CategorySet>, Integer> comboIds = new HashMap<>();
    private int[] singleCombos = new int[0];
    private final List<CategorySet> selfSets = new ArrayList<>();
    private final List<CategorySet> belowSets = new ArrayList<>();
    private final Map<String, List<CategoryIndex.UrlEntry>> urls = new HashMap<>();
    private final List<CategorySource> sources = new ArrayList<>();
    private final List<LoadProblem> problems = new ArrayList<>();
    private int entries;
    /** Whether any entry is a single label ("com"): if none is, lookups skip probing the TLD. */
    private boolean singleLabelEntries;

    /** Creates a builder sized for a small list; the table grows as needed. */
    public CategoryIndexBuilder() {
        this(1 << 10);
    }

    /** @param expectedDomains sizing hint; the table grows as needed */
    public CategoryIndexBuilder(int expectedDomains) {
        this.fingerprint = DomainFingerprint.PROCESS;
        this.table = new FingerprintTable(expectedDomains);
    }

    /** @return the id of the named category, defining it if new */
    public int category(String name) {
        return ids.computeIfAbsent(name, n -> ids.size());
    }

    /** Makes {@code alias} another name of {@code category} ({@code ads} for {@code publicite}). */
    public void alias(String alias, String category) {
        aliases.put(alias, category);
    }

    /**
     * Reads a list file or inline list into the index.
     *
     * @throws IOException if the file cannot be read
     */
    public void add(CategorySource source) throws IOException {
        int category = category(source.category());
        int sourceIndex = sources.size();
        sources.add(source);
        int[] problemCount = {0};
        if (source.file() == null) {
            List<String> lines = source.inlineEntries();
            for (int i = 0; i < lines.size(); i++) {
                addLine(source, sourceIndex, category, lines.get(i), i + 1, problemCount);
            }
        } else if (source.format() == ListFormat.DOMAINS) {
            readDomainsFile(source, sourceIndex, category, problemCount);
        } else {
            try (BufferedReader reader = Files.newBufferedReader(source.file(), StandardCharsets.UTF_8)) {
                String line;
                int number = 0;
                while ((line = reader.readLine()) != null) {
                    addLine(source, sourceIndex, category, line, ++number, problemCount);
                }
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
        if (problemCount[0] > PROBLEMS_PER_SOURCE) {
            problems.add(new LoadProblem(source.describe(), 0,
                    (problemCount[0] - PROBLEMS_PER_SOURCE) + " more bad entries not listed"));
        }
    }

    /**
     * Reads a domains file as bytes: canonical lines (nearly all of a published list) are hashed
     * in place, the others are decoded as UTF-8 and go through the normaliser.
     */
    private void readDomainsFile(CategorySource source, int sourceIndex, int category, int[] problemCount)
            throws IOException {
        boolean fast = source.semantics() != EntrySemantics.SUBDOMAINS;
        ByteLine view = new ByteLine();
        byte[] buffer = new byte[1 << 20];
        int filled = 0;
        int number = 0;
        // Published lists average 16-17 bytes a line; under-estimating costs at most one more growth.
        table.reserve((int) Math.min(Integer.MAX_VALUE / 2, table.size() + Files.size(source.file()) / 20));
        try (InputStream in = Files.newInputStream(source.file())) {
            boolean eof = false;
            while (!eof) {
                if (filled == buffer.length) {
                    buffer = Arrays.copyOf(buffer, buffer.length * 2); // a line longer than the buffer
                }
                int read = in.read(buffer, filled, buffer.length - filled);
                eof = read < 0;
                filled += Math.max(read, 0);
                int lineStart = 0;
                for (int i = 0; i < filled; i++) {
                    if (buffer[i] != '\n' && !(eof && i == filled - 1)) {
                        continue;
                    }
                    int end = buffer[i] == '\n' ? i : i + 1;
                    if (end > lineStart && buffer[end - 1] == '\r') {
                        end--;
                    }
                    number++;
                    view.set(buffer, lineStart, end);
                    if (fast && HostNormalizer.isCanonicalDnsName(view)) {
                        addHost(view, category, source.semantics());
                    } else {
                        String line = new String(buffer, lineStart, end - lineStart, StandardCharsets.UTF_8);
                        addLine(source, sourceIndex, category, line, number, problemCount);
                    }
                    lineStart = i + 1;
                }
                System.arraycopy(buffer, lineStart, buffer, 0, filled - lineStart);
                filled -= lineStart;
            }
        }
    }

    private void addLine(CategorySource source, int sourceIndex, int category, String line, int number,
            int[] problemCount) {
        try {
            if (source.format() == ListFormat.DOMAINS && source.semantics() != EntrySemantics.SUBDOMAINS
                    && HostNormalizer.isCanonicalDnsName(line)) {
                addHost(line, category, source.semantics()); // the common case of big published lists
                return;
            }
            if (source.format() == ListFormat.URLS) {
                ListEntry.Url url = ListEntry.url(line);
                if (url != null) {
                    singleLabelEntries |= url.host().indexOf('.') < 0;
                    urls.computeIfAbsent(url.host(), h -> new ArrayList<>(1))
                            .add(new CategoryIndex.UrlEntry(url.pathPrefix(), category, sourceIndex));
                    entries++;
                }
                return;
            }
            for (ListEntry.Host host : ListEntry.hosts(line, source.format(), source.semantics())) {
                addHost(host.host(), category, host.semantics());
            }
        } catch (InvalidTargetException e) {
            if (++problemCount[0] <= PROBLEMS_PER_SOURCE) {
                problems.add(new LoadProblem(source.describe(), number, e.getMessage()));
            }
        }
    }

    /** Adds one normalised host for a category. */
    void addHost(CharSequence host, int category, EntrySemantics semantics) {
        if (!singleLabelEntries) {
            singleLabelEntries = !containsDot(host);
        }
        long key = fingerprint.of(host);
        int previous = table.get(key);
        if (previous < 0) { // the common case: a host seen once, in one category
            table.put(key, singleCombo(category, semantics));
            entries++;
            return;
        }
        CategorySet self = selfSets.get(previous);
        CategorySet below = belowSets.get(previous);
        CategorySet single = CategorySet.of(category);
        CategorySet newSelf = semantics.self() ? self.union(single) : self;
        CategorySet newBelow = semantics.below() ? below.union(single) : below;
        if (newSelf == self && newBelow == below) {
            return;
        }
        table.put(key, combo(newSelf, newBelow));
        entries++;
    }

    private static boolean containsDot(CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '.') {
                return true;
            }
        }
        return false;
    }

    /** @return the combination for one category alone, cached: 5 M entries must not box 5 M keys */
    private int singleCombo(int category, EntrySemantics semantics) {
        int slot = category * 3 + semantics.ordinal();
        if (slot >= singleCombos.length) {
            int old = singleCombos.length;
            singleCombos = Arrays.copyOf(singleCombos, Math.max(slot + 1, old * 2));
            Arrays.fill(singleCombos, old, singleCombos.length, -1);
        }
        if (singleCombos[slot] < 0) {
            singleCombos[slot] = combo(semantics.self() ? CategorySet.of(category) : CategorySet.EMPTY,
                    semantics.below() ? CategorySet.of(category) : CategorySet.EMPTY);
        }
        return singleCombos[slot];
    }

    private int combo(CategorySet self, CategorySet below) {
        return comboIds.computeIfAbsent(List.of(self, below), k -> {
            selfSets.add(self);
            belowSets.add(below);
            return selfSets.size() - 1;
        });
    }

    /** @return the sources added so far */
    public List<CategorySource> sources() {
        return List.copyOf(sources);
    }

    /** @return the bad entries seen so far */
    public List<LoadProblem> problems() {
        return List.copyOf(problems);
    }

    /**
     * @return the immutable index
     * @throws IllegalStateException if an alias names an unknown category
     */
    public CategoryIndex build() {
        Map<String, Integer> byName = new HashMap<>(ids);
        for (Map.Entry<String, String> alias : aliases.entrySet()) {
            Integer id = ids.get(alias.getValue());
            if (id == null) {
                throw new IllegalStateException("alias '" + alias.getKey() + "' names unknown category '"
                        + alias.getValue() + "'");
            }
            byName.putIfAbsent(alias.getKey(), id);
        }
        FingerprintTable urlTable = new FingerprintTable(urls.size());
        CategoryIndex.UrlEntry[][] urlEntries = new CategoryIndex.UrlEntry[urls.size()][];
        int next = 0;
        for (Map.Entry<String, List<CategoryIndex.UrlEntry>> host : urls.entrySet()) {
            urlTable.put(fingerprint.of(host.getKey()), next);
            urlEntries[next++] = host.getValue().toArray(CategoryIndex.UrlEntry[]::new);
        }
        return new CategoryIndex(table, ids.keySet().toArray(String[]::new), byName,
                selfSets.toArray(CategorySet[]::new), belowSets.toArray(CategorySet[]::new), urlTable, urlEntries,
                List.copyOf(sources), entries, singleLabelEntries);
    }
}
