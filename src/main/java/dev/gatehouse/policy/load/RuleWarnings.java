package dev.gatehouse.policy.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gatehouse.policy.Action;
import dev.gatehouse.policy.Condition;
import dev.gatehouse.policy.RequestFacts;
import dev.gatehouse.policy.Rule;
import java.net.InetAddress;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds rules that load but do not do what their author expects: rules shadowed by an earlier
 * unconditional rule, path rules that can never see a CONNECT tunnel, {@code warn} or {@code redirect} on
 * tunnels, a redirect whose location the same rule matches (a redirect loop).
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
            if (rule.action() == Action.REDIRECT && tunnelOnly) {
                context.problems.warning(at, "rule '" + rule.id() + "': a CONNECT tunnel cannot be redirected "
                        + "(browsers ignore a refused CONNECT's headers); the proxy refuses it as a block");
            }
            if (rule.redirect() != null && redirectsToItself(rule)) {
                context.problems.warning(at + "/location", "rule '" + rule.id() + "' also matches its own location "
                        + rule.redirect().withEmptyValues() + ": a browser sent there through the proxy is redirected "
                        + "again; allow the redirect page's host in an earlier rule");
            }
            if (rule.terminal() && isUnconditional(rule.conditions())) {
                catchAll = rule;
            }
        }
    }

    /**
     * Whether the rule matches a GET of its own location by an anonymous client: a cheap check of the
     * destination conditions (a rule that also needs a user or a client address is not caught).
     */
    private boolean redirectsToItself(Rule rule) {
        try {
            RequestFacts facts = RequestFacts.forUrl(rule.redirect().withEmptyValues(), "GET",
                    InetAddress.getLoopbackAddress(), null, Set.of(), Instant.now());
            return rule.matches(facts, context.categories);
        } catch (RuntimeException e) { // a location the proxy's normaliser refuses: nothing to warn about here
            return false;
        }
    }

    private static boolean isUnconditional(List<Condition> conditions) {
        return conditions.isEmpty();
    }
}
