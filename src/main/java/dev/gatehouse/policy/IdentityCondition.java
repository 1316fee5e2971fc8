package dev.gatehouse.policy;

import java.util.Set;

/**
 * Matches the authenticated identity: the user name ({@code user}) or any of the user's groups
 * ({@code group}), compared as exact strings. The authentication layer fills them in.
 *
 * @param key the policy key
 * @param listName the list name or {@code "inline"}
 * @param names the accepted names
 * @param groups true to test groups, false for the user
 */
public record IdentityCondition(String key, String listName, Set<String> names, boolean groups)
        implements Condition {

    public IdentityCondition {
        names = Set.copyOf(names);
    }

    @Override
    public Outcome test(Evaluation evaluation) {
        RequestFacts facts = evaluation.facts();
        if (!groups) {
            return Outcome.of(facts.user() != null && names.contains(facts.user()));
        }
        for (String group : facts.groups()) {
            if (names.contains(group)) {
                return Outcome.MATCH;
            }
        }
        return Outcome.NO_MATCH;
    }

    @Override
    public String describe() {
        return key + " in " + (listName.equals("inline") ? names.toString() : listName);
    }
}
