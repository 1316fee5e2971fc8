package dev.gatehouse.policy.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.policy.Action;
import dev.gatehouse.policy.Condition;
import dev.gatehouse.policy.Rule;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds rules that load but do not do what their author expects: rules shadowed by an earlier
 * unconditional rule, path rules that can never see a CONNECT tunnel, {@code warn} on tunnels.
 */
final class RuleWarnings {
    private final LoadContext context;

    RuleWarnings(LoadContext context) {
        this.context = context;
    }

    void check(List<Rule> rules, JsonNode rulesNode) {
        Map<String, String> pointers = new HashMap<>();
        for (int i = 0; i < rulesNode.size(); i++) {
            JsonNode id = rulesNode.get(i).get("id");
            if (id != null) {
                pointers.put(id.asText(), "/rules/" + i);
            }
        }
        Rule catchAll = null;
        for (Rule rule : rules) {
            String at = pointers.get(rule.id());
            if (catchAll != null) {
                context.problems.warning(at, "rule '" + rule.id() + "' can never match: rule '" + catchAll.id()
                        + "' before it matches every request");
                continue;
            }
            boolean needsPath = rule.conditions().stream().anyMatch(c -> !c.appliesToTunnels());
            boolean tunnelOnly = PolicyLoader.tunnelOnly(rule);
            if (needsPath && tunnelOnly) {
                context.problems.warning(at, "rule '" + rule.id() + "' can never match: it is for CONNECT tunnels, "
                        + "which have no URL path");
            } else if (needsPath && rule.action() != null && rule.action() != Action.ALLOW
                    && !PolicyLoader.excludesTunnels(rule)) {
                context.problems.warning(at, "rule '" + rule.id() + "' has a URL path condition, which cannot apply "
                        + "to CONNECT tunnels: HTTPS requests are not " + rule.action().label()
                        + "ed by it unless TLS is intercepted");
            }
            if (rule.action() == Action.WARN && tunnelOnly) {
                context.problems.warning(at, "rule '" + rule.id() + "': a CONNECT tunnel cannot show a warning page; "
                        + "the proxy refuses it as a block");
            }
            if (rule.terminal() && isUnconditional(rule.conditions())) {
                catchAll = rule;
            }
        }
    }

    private static boolean isUnconditional(List<Condition> conditions) {
        return conditions.isEmpty();
    }
}
