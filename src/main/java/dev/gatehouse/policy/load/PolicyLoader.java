package dev.gatehouse.policy.load;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.gatehouse.policy.Action;
import dev.gatehouse.policy.CacheMode;
import dev.gatehouse.policy.Condition;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.MethodCondition;
import dev.gatehouse.policy.Policy;
import dev.gatehouse.policy.PolicyLoadException;
import dev.gatehouse.policy.PolicyProblem;
import dev.gatehouse.policy.RedirectLocation;
import dev.gatehouse.policy.Rule;
import dev.gatehouse.policy.SchemeCondition;
import dev.gatehouse.policy.normalize.Scheme;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Loads a policy file ({@code policies/default.json}) into an immutable {@link Policy}, or fails
 * with every problem found: unknown keys, bad values, undefined references, each with file,
 * line, column and JSON pointer. Paths inside the policy are relative to its folder.
 *
 * <p>Top-level keys: {@code schemaVersion} (1), {@code name}, {@code description},
 * {@code defaultAction}, {@code categorySources}, {@code lists}, {@code schedules},
 * {@code rules}, {@code responseRules}. See {@code policies/README.md} for the whole format.
 */
public final class PolicyLoader {
    private static final Set<String> TOP_KEYS = Set.of("schemaVersion", "name", "description", "defaultAction",
            "categorySources", "lists", "schedules", "rules", "responseRules");
    private static final Set<String> RULE_KEYS = Set.of("id", "description", "enabled", "match", "action",
            "continue", "reason", "location", "cache", "tags");
    /** A response rule decides (allow or block); it has no cache mode (the response is already on its way). */
    private static final Set<String> RESPONSE_RULE_KEYS = Set.of("id", "description", "enabled", "match", "action",
            "reason", "tags");
    private static final Set<String> DEFAULT_KEYS = Set.of("action", "reason", "location", "cache", "tags");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,99}");

    private PolicyLoader() {
    }

    /**
     * @param file the policy file
     * @return the policy; its {@link Policy#warnings()} hold the warnings
     * @throws PolicyLoadException with every error and warning if the policy is not valid
     */
    public static Policy load(Path file) throws PolicyLoadException {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new PolicyLoadException(List.of(new PolicyProblem(PolicyProblem.Severity.ERROR, file.toString(), 0,
                    0, "", "cannot read policy file: " + e)));
        }
        LoadContext context = new LoadContext(file, content);
        JsonDocument document;
        try {
            document = JsonDocument.parse(content, context.problems);
        } catch (JsonProcessingException e) {
            context.problems.errorAt("", e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
                    e.getLocation() == null ? 0 : e.getLocation().getColumnNr(), "not valid JSON: " + e.getOriginalMessage());
            throw new PolicyLoadException(context.problems.all());
        } catch (IOException e) {
            context.problems.error("", "not valid JSON: " + e.getMessage());
            throw new PolicyLoadException(context.problems.all());
        }
        context.problems.locateWith(document);
        Policy policy = read(document.root(), context);
        if (context.problems.hasErrors() || policy == null) {
            throw new PolicyLoadException(context.problems.all());
        }
        return policy;
    }

    private static Policy read(JsonNode root, LoadContext context) {
        if (!context.fields.object(root, "", TOP_KEYS)) {
            return null;
        }
        JsonNode version = root.get("schemaVersion");
        if (version == null || !version.isInt() || version.asInt() != 1) {
            context.problems.error(version == null ? "" : "/schemaVersion", "'schemaVersion' must be 1");
        }
        String name = root.has("name") ? context.fields.string(root, "name", "", false) : "policy";
        context.fields.string(root, "description", "", false);
        new CategorySourceReader(context).read(root.get("categorySources"), "/categorySources");
        readLists(root.get("lists"), context);
        new ScheduleReader(context).read(root.get("schedules"), "/schedules");
        Rule defaultRule = readDefault(root.get("defaultAction"), context);
        ConditionReader conditions = new ConditionReader(context);
        Set<String> ids = new HashSet<>();
        List<Rule> rules = readRules(root.get("rules"), context, conditions, ids);
        List<Rule> responseRules = readResponseRules(root.get("responseRules"), context, conditions, ids);
        for (NamedList list : List.copyOf(context.lists.values())) {
            if (!context.usedLists.contains(list.name())) {
                context.problems.warning(list.pointer(), "list '" + list.name() + "' is never used");
                conditions.checkUnused(list);
            }
        }
        if (defaultRule == null || rules == null || responseRules == null) {
            return null;
        }
        List<PolicyProblem> warnings = context.problems.all();
        return new Policy(name == null ? "policy" : name, rules, responseRules, defaultRule, context.categories,
                context.version(), Instant.now(), warnings);
    }

    private static void readLists(JsonNode lists, LoadContext context) {
        if (lists == null) {
            return;
        }
        if (!lists.isObject()) {
            context.problems.error("/lists", "'lists' must be an object of named lists");
            return;
        }
        for (Map.Entry<String, JsonNode> entry : lists.properties()) {
            String at = "/lists/" + JsonDocument.escape(entry.getKey());
            JsonNode list = entry.getValue();
            if (!NAME.matcher(entry.getKey()).matches()) {
                context.problems.error(at, "bad list name '" + entry.getKey() + "'");
            }
            if (!context.fields.object(list, at, Set.of("type", "entries", "file", "description"))) {
                continue;
            }
            String type = context.fields.string(list, "type", at, true);
            if (type != null && !NamedList.TYPES.contains(type)) {
                context.problems.error(at + "/type", "unknown list type '" + type + "'; use one of " + NamedList.TYPES);
                continue;
            }
            List<String> entries = new ArrayList<>(context.fields.strings(list, "entries", at));
            String fileName = context.fields.string(list, "file", at, false);
            Path file = null;
            if (fileName != null) {
                file = context.resolve(fileName);
                if (!Files.isRegularFile(file)) {
                    context.problems.error(at + "/file", "no file " + file);
                    continue;
                }
                context.stamp(file);
                if (!"hosts".equals(type) && !"urlPrefixes".equals(type)) {
                    entries.addAll(readPlainLines(file, context, at));
                    file = null;
                }
            } else if (!list.has("entries")) {
                context.problems.error(at, "a list needs 'entries', 'file' or both");
            }
            if (type != null) {
                context.lists.put(entry.getKey(), new NamedList(entry.getKey(), type, List.copyOf(entries), file, at));
            }
        }
    }

    private static List<String> readPlainLines(Path file, LoadContext context, String at) {
        try {
            List<String> entries = new ArrayList<>();
            for (String line : Files.readAllLines(file)) {
                int hash = line.indexOf('#');
                String text = (hash >= 0 ? line.substring(0, hash) : line).strip();
                if (!text.isEmpty()) {
                    entries.add(text);
                }
            }
            return entries;
        } catch (IOException e) {
            context.problems.error(at + "/file", "cannot read " + file + ": " + e.getMessage());
            return List.of();
        }
    }

    private static Rule readDefault(JsonNode node, LoadContext context) {
        if (node == null) {
            context.problems.error("", "missing required key 'defaultAction': say explicitly what happens when no "
                    + "rule matches, e.g. {\"action\": \"allow\"}");
            return null;
        }
        if (!context.fields.object(node, "/defaultAction", DEFAULT_KEYS)) {
            return null;
        }
        Action action = action(node, "/defaultAction", context, true);
        CacheMode cache = cacheMode(node, "/defaultAction", context);
        List<String> tags = context.fields.strings(node, "tags", "/defaultAction");
        String reason = context.fields.string(node, "reason", "/defaultAction", false);
        RedirectLocation redirect = redirect(node, "/defaultAction", action, context);
        return action == null ? null
                : new Rule(Decision.DEFAULT_RULE, List.of(), action, cache, tags, reason, redirect,
                        location(context, "/defaultAction"));
    }

    private static List<Rule> readRules(JsonNode node, LoadContext context, ConditionReader conditions, Set<String> ids) {
        if (node == null || !node.isArray()) {
            context.problems.error(node == null ? "" : "/rules", "'rules' must be an array (it may be empty)");
            return null;
        }
        List<Rule> rules = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < node.size(); i++) {
            String at = "/rules/" + i;
            JsonNode rule = node.get(i);
            if (!context.fields.object(rule, at, RULE_KEYS)) {
                ok = false;
                continue;
            }
            String id = ruleId(rule, at, context, ids);
            context.fields.string(rule, "description", at, false);
            boolean enabled = context.fields.bool(rule, "enabled", at, true);
            boolean carryOn = context.fields.bool(rule, "continue", at, false);
            Action action = action(rule, at, context, false);
            if (carryOn && action != null) {
                context.problems.error(at, "a rule has either an 'action' or \"continue\": true, not both");
            } else if (!carryOn && action == null && !rule.has("action")) {
                context.problems.error(at, "missing 'action' (allow, block, warn or redirect), or \"continue\": true for a rule "
                        + "that only sets 'cache' or 'tags'");
            }
            CacheMode cache = cacheMode(rule, at, context);
            List<String> tags = context.fields.strings(rule, "tags", at);
            String reason = context.fields.string(rule, "reason", at, false);
            RedirectLocation redirect = redirect(rule, at, action, context);
            JsonNode match = rule.has("match") ? rule.get("match") : JsonNodeFactory.instance.objectNode();
            List<Condition> read = conditions.read(match, at + "/match");
            if (read == null || id == null) {
                ok = false;
                continue;
            }
            if (enabled) {
                rules.add(new Rule(id, read, action, cache, tags, reason, redirect, location(context, at)));
            }
        }
        if (!ok) {
            return null;
        }
        new RuleWarnings(context).check(rules, node);
        return rules;
    }

    /** The rule's id, checked and unique across {@code rules} and {@code responseRules} (audit records name it). */
    private static String ruleId(JsonNode rule, String at, LoadContext context, Set<String> ids) {
        String id = context.fields.string(rule, "id", at, true);
        if (id != null && (!NAME.matcher(id).matches() || id.equals(Decision.DEFAULT_RULE))) {
            context.problems.error(at + "/id", "bad rule id '" + id + "': letters, digits, '.', '_', ':' and '-', "
                    + "not 'default'");
        } else if (id != null && !ids.add(id)) {
            context.problems.error(at + "/id", "duplicate rule id '" + id + "'");
        }
        return id;
    }

    /**
     * {@code responseRules}: Squid's {@code http_reply_access}, decided when a response head is known. Each has
     * {@code action} allow or block, and may match on every request key plus the response keys. Optional: no
     * list, no checks on any response.
     */
    private static List<Rule> readResponseRules(JsonNode node, LoadContext context, ConditionReader conditions, Set<String> ids) {
        if (node == null) {
            return List.of();
        }
        if (!node.isArray()) {
            context.problems.error("/responseRules", "'responseRules' must be an array");
            return null;
        }
        List<Rule> rules = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < node.size(); i++) {
            String at = "/responseRules/" + i;
            JsonNode rule = node.get(i);
            if (!context.fields.object(rule, at, RESPONSE_RULE_KEYS)) {
                ok = false;
                continue;
            }
            String id = ruleId(rule, at, context, ids);
            context.fields.string(rule, "description", at, false);
            boolean enabled = context.fields.bool(rule, "enabled", at, true);
            Action action = action(rule, at, context, true);
            if (action != null && action != Action.ALLOW && action != Action.BLOCK) {
                context.problems.error(at + "/action", "a response rule can only allow or block: the request has "
                        + "already gone to the origin, too late to warn or redirect");
                action = null;
            }
            List<String> tags = context.fields.strings(rule, "tags", at);
            String reason = context.fields.string(rule, "reason", at, false);
            JsonNode match = rule.has("match") ? rule.get("match") : JsonNodeFactory.instance.objectNode();
            List<Condition> read = conditions.read(match, at + "/match", true);
            if (read == null || id == null || action == null) {
                ok = false;
                continue;
            }
            if (enabled) {
                rules.add(new Rule(id, read, action, null, tags, reason, null, location(context, at)));
            }
        }
        return ok ? rules : null;
    }

    private static Action action(JsonNode node, String at, LoadContext context, boolean required) {
        String text = context.fields.string(node, "action", at, required);
        if (text == null) {
            return null;
        }
        try {
            return Action.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            context.problems.error(at + "/action", "unknown action '" + text + "'; use allow, block, warn or redirect");
            return null;
        }
    }

    /** The {@code location} of a redirect: required there, forbidden elsewhere, parsed once here. */
    private static RedirectLocation redirect(JsonNode node, String at, Action action, LoadContext context) {
        String text = context.fields.string(node, "location", at, false);
        if (action != Action.REDIRECT) {
            // An unknown action is reported already; "continue": true or another action cannot use a location.
            if (node.has("location") && (action != null || !node.has("action"))) {
                context.problems.error(at + "/location", "'location' is only for \"action\": \"redirect\"");
            }
            return null;
        }
        if (text == null) {
            if (!node.has("location")) {
                context.problems.error(at, "missing required key 'location': a redirect needs the URL to send the "
                        + "browser to, e.g. \"https://intranet.example/blocked?url={url}&rule={rule}\"");
            }
            return null;
        }
        try {
            return RedirectLocation.parse(text);
        } catch (IllegalArgumentException e) {
            context.problems.error(at + "/location", e.getMessage());
            return null;
        }
    }

    private static CacheMode cacheMode(JsonNode node, String at, LoadContext context) {
        String text = context.fields.string(node, "cache", at, false);
        if (text == null) {
            return null;
        }
        CacheMode mode = CacheMode.parse(text);
        if (mode == null) {
            context.problems.error(at + "/cache", "unknown cache mode '" + text + "'; use normal, bypass or no-store");
        }
        return mode;
    }

    private static String location(LoadContext context, String pointer) {
        return context.problems.where(pointer);
    }

    /** @return true if a positive scheme or method condition restricts the rule to tunnels */
    static boolean tunnelOnly(Rule rule) {
        for (Condition condition : rule.conditions()) {
            if (condition instanceof SchemeCondition scheme && scheme.schemes().equals(Set.of(Scheme.CONNECT))) {
                return true;
            }
            if (condition instanceof MethodCondition method && method.methods().equals(Set.of("CONNECT"))) {
                return true;
            }
        }
        return false;
    }

    /** @return true if a positive scheme or method condition keeps tunnels out of the rule */
    static boolean excludesTunnels(Rule rule) {
        for (Condition condition : rule.conditions()) {
            if (condition instanceof SchemeCondition scheme && !scheme.schemes().contains(Scheme.CONNECT)) {
                return true;
            }
            if (condition instanceof MethodCondition method && !method.methods().contains("CONNECT")) {
                return true;
            }
        }
        return false;
    }
}
