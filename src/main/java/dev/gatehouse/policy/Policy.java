package dev.gatehouse.policy;

import dev.gatehouse.policy.category.CategoryIndex;
import dev.gatehouse.policy.category.CategorySet;
import dev.gatehouse.policy.category.EntryOrigin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An immutable, validated policy: ordered rules, first terminal match wins, an explicit default,
 * and the category index the rules refer to. Thread-safe; {@link #decide} allocates only the
 * decision and a small evaluation state.
 *
 * <p>Two phases: {@link #decide} runs the request rules before any upstream connection, from the request
 * alone; {@link #decideResponse} runs the response rules (Squid's {@code http_reply_access}) once a response
 * head is known, first match wins, and no match lets the response through.
 */
public final class Policy {
    private static final int NAME_CACHE_LIMIT = 10_000;

    private final String name;
    private final List<Rule> rules;
    private final Rule defaultRule;
    private final CategoryIndex categories;
    private final String version;
    private final Instant loadedAt;
    private final List<PolicyProblem> warnings;
    /** Category-name lists per category set, shared between decisions (sets are few). */
    private final Map<CategorySet, List<String>> categoryNames = new ConcurrentHashMap<>();
    /**
     * Per rule (by index, the default last), its decision for a request in no category that no earlier rule
     * gave tags or a cache mode: most requests, decided alike, share it instead of allocating their own.
     */
    private final Decision[] plainDecisions;
    /** Rules decided when the response head is known; empty for most policies. */
    private final List<Rule> responseRules;
    private final Decision[] plainResponseDecisions;
    /** The request header fields some rule reads (lower case): the listener hands fields over only when any is. */
    private final Set<String> headerNames;

    /**
     * @param name the policy's name
     * @param rules the rules in order
     * @param defaultRule the default: a terminal rule without conditions, id {@link Decision#DEFAULT_RULE}
     * @param categories the category index
     * @param version content hash of the policy and its lists
     * @param loadedAt when it was built
     * @param warnings warnings found while loading
     */
    public Policy(String name, List<Rule> rules, Rule defaultRule, CategoryIndex categories, String version,
            Instant loadedAt, List<PolicyProblem> warnings) {
        this(name, rules, List.of(), defaultRule, categories, version, loadedAt, warnings);
    }

    /**
     * As {@link #Policy(String, List, Rule, CategoryIndex, String, Instant, List)}, with response rules.
     *
     * @param responseRules the rules decided when the response head is known, in order; each terminal
     */
    public Policy(String name, List<Rule> rules, List<Rule> responseRules, Rule defaultRule, CategoryIndex categories,
            String version, Instant loadedAt, List<PolicyProblem> warnings) {
        if (!defaultRule.terminal() || !defaultRule.conditions().isEmpty()) {
            throw new IllegalArgumentException("the default must be terminal and unconditional");
        }
        this.name = name;
        this.rules = List.copyOf(rules);
        this.defaultRule = defaultRule;
        this.categories = categories;
        this.version = version;
        this.loadedAt = loadedAt;
        this.warnings = List.copyOf(warnings);
        this.plainDecisions = new Decision[this.rules.size() + 1];
        for (int i = 0; i < plainDecisions.length; i++) {
            Rule rule = i < this.rules.size() ? this.rules.get(i) : defaultRule;
            plainDecisions[i] = newDecision(rule, rule.cacheMode(), rule.tags(), List.of());
        }
        this.responseRules = List.copyOf(responseRules);
        this.plainResponseDecisions = new Decision[this.responseRules.size()];
        for (int i = 0; i < plainResponseDecisions.length; i++) {
            Rule rule = this.responseRules.get(i);
            if (!rule.terminal()) {
                throw new IllegalArgumentException("a response rule must have an action: " + rule.id());
            }
            plainResponseDecisions[i] = newDecision(rule, null, rule.tags(), List.of());
        }
        Set<String> names = new TreeSet<>();
        for (List<Rule> list : List.of(this.rules, this.responseRules)) {
            for (Rule rule : list) {
                for (Condition condition : rule.conditions()) {
                    Condition inner = condition instanceof NotCondition not ? not.inner() : condition;
                    if (inner instanceof HeaderCondition header) names.add(header.name().toLowerCase(Locale.ROOT));
                }
            }
        }
        this.headerNames = Set.copyOf(names);
    }

    /** @return the decision for a request */
    public Decision decide(RequestFacts facts) {
        return evaluate(new Evaluation(facts, categories), null);
    }

    /**
     * Decides a response once its head is known: the first response rule whose conditions all match (request
     * keys and response keys alike) decides; null when none does, and the response goes through.
     */
    public Decision decideResponse(RequestFacts facts, ResponseFacts response) {
        if (responseRules.isEmpty()) {
            return null;
        }
        Evaluation evaluation = new Evaluation(facts, categories, response);
        for (int index = 0; index < responseRules.size(); index++) {
            Rule rule = responseRules.get(index);
            if (matches(rule, evaluation, null) == RuleTrace.Status.MATCHED) {
                List<String> names = categoryNames(evaluation.categories());
                return names.isEmpty() ? plainResponseDecisions[index] : newDecision(rule, null, rule.tags(), names);
            }
        }
        return null;
    }

    /** @return true if some rule is decided when the response arrives */
    public boolean hasResponseRules() {
        return !responseRules.isEmpty();
    }

    /** @return the response rules in order */
    public List<Rule> responseRules() {
        return responseRules;
    }

    /** @return the request header fields the rules read, lower case; empty when none does */
    public Set<String> headerNames() {
        return headerNames;
    }

    /**
     * Decides a request and records why, including the list entries that matched (which reads
     * list files: meant for the CLI and the admin listener, not the request path).
     *
     * @throws UncheckedIOException if a list file can no longer be read
     */
    public Explanation explain(RequestFacts facts) {
        Evaluation evaluation = new Evaluation(facts, categories);
        List<RuleTrace> trace = new ArrayList<>();
        Decision decision = evaluate(evaluation, trace);
        try {
            List<EntryOrigin> origins = categories.origins(facts.target());
            String location = decision.location() == null ? null : decision.location().expand(facts, decision);
            return new Explanation(facts.target(), facts.method(), decision.categories(), origins, trace, decision,
                    location, responseRules.stream().map(Rule::id).toList());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot re-read a category list for explain", e);
        }
    }

    /** The one decision procedure; {@code trace} is null on the request path. */
    private Decision evaluate(Evaluation evaluation, List<RuleTrace> trace) {
        CacheMode cacheMode = null;
        List<String> tags = List.of();
        for (int index = 0; index < rules.size(); index++) {
            Rule rule = rules.get(index);
            RuleTrace.Status status = matches(rule, evaluation, trace);
            if (status != RuleTrace.Status.MATCHED) {
                continue;
            }
            if (rule.cacheMode() != null) {
                cacheMode = rule.cacheMode();
            }
            tags = append(tags, rule.tags());
            if (rule.terminal()) {
                if (trace != null) {
                    for (int i = index + 1; i < rules.size(); i++) {
                        trace.add(new RuleTrace(rules.get(i).id(), RuleTrace.Status.NOT_REACHED, "", List.of()));
                    }
                }
                return decision(index, rule, cacheMode, tags, evaluation);
            }
        }
        if (defaultRule.cacheMode() != null) {
            cacheMode = defaultRule.cacheMode();
        }
        if (trace != null) {
            trace.add(new RuleTrace(defaultRule.id(), RuleTrace.Status.MATCHED, "no rule decided", List.of()));
        }
        return decision(rules.size(), defaultRule, cacheMode, append(tags, defaultRule.tags()), evaluation);
    }

    private RuleTrace.Status matches(Rule rule, Evaluation evaluation, List<RuleTrace> trace) {
        for (Condition condition : rule.conditions()) {
            Condition.Outcome outcome = condition.test(evaluation);
            if (outcome != Condition.Outcome.MATCH) {
                RuleTrace.Status status = outcome == Condition.Outcome.NOT_APPLICABLE
                        ? RuleTrace.Status.NOT_APPLICABLE : RuleTrace.Status.NOT_MATCHED;
                if (trace != null) {
                    String why = status == RuleTrace.Status.NOT_APPLICABLE
                            ? "needs a URL path; the request is a CONNECT tunnel: " + condition.describe()
                            : "no match: " + condition.describe();
                    trace.add(new RuleTrace(rule.id(), status, why, List.of()));
                }
                return status;
            }
        }
        if (trace != null) {
            trace.add(matchedTrace(rule, evaluation));
        }
        return RuleTrace.Status.MATCHED;
    }

    private static RuleTrace matchedTrace(Rule rule, Evaluation evaluation) {
        List<String> described = new ArrayList<>();
        List<EntryOrigin> origins = new ArrayList<>();
        for (Condition condition : rule.conditions()) {
            described.add(condition.describe());
            try {
                origins.addAll(condition.origins(evaluation));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot re-read a list for explain", e);
            }
        }
        String detail = described.isEmpty() ? "matches every request" : "matched: " + String.join("; ", described);
        return new RuleTrace(rule.id(), RuleTrace.Status.MATCHED, detail, origins);
    }

    /** The decision of {@code rule}, the one at {@code index} ({@code rules.size()} for the default). */
    private Decision decision(int index, Rule rule, CacheMode cacheMode, List<String> tags, Evaluation evaluation) {
        List<String> names = categoryNames(evaluation.categories());
        Decision plain = plainDecisions[index];
        if (names.isEmpty() && plain.cacheMode() == (cacheMode == null ? CacheMode.NORMAL : cacheMode) && plain.tags().equals(tags)) {
            return plain;
        }
        return newDecision(rule, cacheMode, tags, names);
    }

    private Decision newDecision(Rule rule, CacheMode cacheMode, List<String> tags, List<String> categoryNames) {
        return new Decision(rule.action(), rule.id(), categoryNames, rule.reason(), rule.redirect(), tags,
                cacheMode == null ? CacheMode.NORMAL : cacheMode, version);
    }

    private List<String> categoryNames(CategorySet set) {
        if (set.isEmpty()) {
            return List.of();
        }
        List<String> cached = categoryNames.get(set);
        if (cached == null) {
            cached = List.copyOf(categories.names(set));
            if (categoryNames.size() < NAME_CACHE_LIMIT) {
                categoryNames.put(set, cached);
            }
        }
        return cached;
    }

    private static List<String> append(List<String> tags, List<String> more) {
        if (more.isEmpty()) {
            return tags;
        }
        if (tags.isEmpty()) {
            return more;
        }
        List<String> all = new ArrayList<>(tags);
        all.addAll(more);
        return List.copyOf(all);
    }

    /** @return the policy's name */
    public String name() {
        return name;
    }

    /** @return the rules in order */
    public List<Rule> rules() {
        return rules;
    }

    /** @return the category index */
    public CategoryIndex categories() {
        return categories;
    }

    /** @return the content hash identifying this policy in decisions and audit records */
    public String version() {
        return version;
    }

    /** @return when this policy was built */
    public Instant loadedAt() {
        return loadedAt;
    }

    /** @return the warnings found while loading */
    public List<PolicyProblem> warnings() {
        return warnings;
    }
}
