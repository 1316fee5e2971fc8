package dev.gatehouse.policy;

import dev.gatehouse.policy.category.EntryOrigin;
import dev.gatehouse.policy.normalize.Target;
import java.util.List;

/**
 * The answer to "why was this decided?": the normalised request, each rule tried, the list
 * entries behind the categories and the matching rule, and the decision itself (computed by the
 * same code as {@link Policy#decide}).
 *
 * @param target the normalised target
 * @param method the method
 * @param categories the request's categories
 * @param categoryOrigins the list entries that put the request in those categories
 * @param trace every rule, in order
 * @param decision the decision
 * @param location for a redirect, the location this request is sent to; else null
 * @param responseRules the ids of the response rules, which are decided when the response arrives, not here
 */
public record Explanation(Target target, String method, List<String> categories, List<EntryOrigin> categoryOrigins,
        List<RuleTrace> trace, Decision decision,
        String location, List<String> responseRules) {

    public Explanation {
        categories = List.copyOf(categories);
        categoryOrigins = List.copyOf(categoryOrigins);
        trace = List.copyOf(trace);
        responseRules = List.copyOf(responseRules);
    }

    /** @return a plain-text report for the CLI */
    public String toText() {
        StringBuilder out = new StringBuilder();
        // A tunnel target already reads "CONNECT host:port".
        out.append("request:    ").append(target.isTunnel() ? "" : method + " ").append(target).append('\n');
        out.append("policy:     ").append(decision.policyVersion()).append('\n');
        out.append("categories: ").append(categories.isEmpty() ? "(none)" : String.join(", ", categories)).append('\n');
        for (EntryOrigin origin : categoryOrigins) {
            out.append("  ").append(origin).append('\n');
        }
        out.append("rules:\n");
        for (RuleTrace rule : trace) {
            out.append(String.format("  %-15s %s", rule.status(), rule.ruleId()));
            if (!rule.detail().isEmpty()) {
                out.append(": ").append(rule.detail());
            }
            out.append('\n');
            for (EntryOrigin origin : rule.origins()) {
                out.append("      ").append(origin).append('\n');
            }
        }
        out.append("decision:   ").append(decision.action().label()).append(" by rule ").append(decision.ruleId());
        if (location != null) {
            out.append(target.isTunnel() ? " (a CONNECT tunnel cannot be redirected: refused as a block)"
                    : " -> " + location);
        }
        if (decision.reason() != null) {
            out.append(" (").append(decision.reason()).append(')');
        }
        out.append(", cache ").append(decision.cacheMode().label());
        if (!decision.tags().isEmpty()) {
            out.append(", tags ").append(decision.tags());
        }
        out.append('\n');
        if (!responseRules.isEmpty()) {
            out.append(target.isTunnel() ? "response rules: never reached (a CONNECT tunnel shows no response head): "
                    : "response rules: decided when the response arrives: ").append(String.join(", ", responseRules)).append('\n');
        }
        return out.toString();
    }
}
