package dev.gatehouse.policy;

import dev.gatehouse.policy.category.CategoryIndex;
import dev.gatehouse.policy.category.EntryOrigin;
import java.io.IOException;
import java.util.List;

/**
 * Matches the request's host or URL against a host or URL-prefix list ({@code hostExact},
 * {@code domain}, {@code subdomainOf}, {@code urlPrefix}). The list is a one-category
 * {@link CategoryIndex}, so it gets the same normalisation, label-boundary semantics, compact
 * storage and explain origins as category lists.
 *
 * @param key the policy key, for explain
 * @param listName the list's name, or {@code "inline"}
 * @param entries the entries, as a one-category index
 * @param needsPath true for URL-prefix lists, which cannot apply to tunnels
 */
public record HostListCondition(String key, String listName, CategoryIndex entries, boolean needsPath)
        implements Condition {

    @Override
    public Outcome test(Evaluation evaluation) {
        if (needsPath && evaluation.target().isTunnel()) {
            return Outcome.NOT_APPLICABLE;
        }
        return Outcome.of(!entries.lookup(evaluation.hostKeys(), evaluation.target().pathAndQuery()).isEmpty());
    }

    @Override
    public String describe() {
        return key + " in " + listName + " (" + entries.entryCount() + " entries)";
    }

    @Override
    public boolean appliesToTunnels() {
        return !needsPath;
    }

    @Override
    public List<EntryOrigin> origins(Evaluation evaluation) throws IOException {
        return entries.origins(evaluation.target());
    }
}
