package dev.gatehouse.policy;

import dev.gatehouse.policy.category.CategoryIndex;
import java.util.List;

/**
 * One policy rule: when all conditions match, a terminal rule decides the request; a
 * non-terminal one ({@code "continue": true}) only adds its cache mode and tags and evaluation
 * carries on.
 *
 * @param id the rule's unique id (audit logs and block pages name it)
 * @param conditions the conditions, ANDed; empty matches every request
 * @param action the action, or null for a non-terminal rule
 * @param cacheMode the cache mode it sets, or null to leave it
 * @param tags audit tags it adds
 * @param reason text for the block or warn page, or null
 * @param redirect where a {@code redirect} rule sends the browser, null for other actions
 * @param location where the rule is written ({@code file:line:column}), for messages
 */
public record Rule(String id, List<Condition> conditions, Action action, CacheMode cacheMode, List<String> tags,
        String reason, RedirectLocation redirect, String location) {

    public Rule {
        conditions = List.copyOf(conditions);
        tags = List.copyOf(tags);
    }

    /**
     * @return true if every condition matches {@code facts}: for load-time checks (the request path goes
     *         through {@link Policy#decide})
     */
    public boolean matches(RequestFacts facts, CategoryIndex categories) {
        Evaluation evaluation = new Evaluation(facts, categories);
        for (Condition condition : conditions) {
            if (condition.test(evaluation) != Condition.Outcome.MATCH) return false;
        }
        return true;
    }

    /** @return true if a match ends evaluation */
    public boolean terminal() {
        return action != null;
    }
}
