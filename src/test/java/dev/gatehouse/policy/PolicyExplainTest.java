package dev.gatehouse.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.policy.category.EntryOrigin;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PolicyExplainTest {
    static Policy policy;

    @BeforeAll
    static void load() {
        policy = PolicyFixtures.load(PolicyFixtures.resource("good/decisions.json"));
    }

    private static Map<String, RuleTrace.Status> statuses(Explanation explanation) {
        return explanation.trace().stream().collect(Collectors.toMap(RuleTrace::ruleId, RuleTrace::status));
    }

    @Test
    void tracesEveryRuleAndNamesTheListEntry() {
        RequestFacts facts = PolicyFixtures.facts("GET", "http://www.Casino.example./x#frag", "10.20.1.1", null, null,
                null);
        Explanation explanation = policy.explain(facts);

        assertEquals(policy.decide(facts), explanation.decision());
        assertEquals("http://www.casino.example/x", explanation.target().url());
        Map<String, RuleTrace.Status> statuses = statuses(explanation);
        assertEquals(RuleTrace.Status.NOT_MATCHED, statuses.get("corp-no-cache"));
        assertEquals(RuleTrace.Status.NOT_MATCHED, statuses.get("admins-gamble"));
        assertEquals(RuleTrace.Status.MATCHED, statuses.get("gambling"));
        assertEquals(RuleTrace.Status.NOT_REACHED, statuses.get("corp-saas"));
        assertEquals(policy.rules().size(), explanation.trace().size());

        EntryOrigin origin = explanation.categoryOrigins().get(0);
        assertEquals("gambling", origin.category());
        assertTrue(origin.source().endsWith("sample/gambling/domains"), origin.source());
        assertEquals(1, origin.line());
        assertEquals("parent of 'www.casino.example'", origin.how());
        assertTrue(explanation.toText().contains("decision:   warn by rule gambling (gambling at work)"),
                explanation.toText());
    }

    @Test
    void serialisesToJsonForTheAdminListener() throws Exception {
        Explanation explanation = policy.explain(PolicyFixtures.facts("GET", "http://www.casino.example/", "10.20.1.1",
                null, null, null));
        JsonNode json = new ObjectMapper().readTree(new ObjectMapper().writeValueAsString(explanation));
        assertEquals("www.casino.example", json.at("/target/host/value").asText());
        assertEquals("WARN", json.at("/decision/action").asText());
        assertEquals("gambling", json.at("/decision/ruleId").asText());
        assertEquals(1, json.at("/categoryOrigins/0/line").asInt());
    }

    @Test
    void saysWhyAPathRuleDoesNotApplyToATunnel() {
        Explanation explanation = policy.explain(PolicyFixtures.facts("CONNECT", "portal.example:443", null, null,
                null, null));
        RuleTrace trace = explanation.trace().stream().filter(t -> t.ruleId().equals("not-under-public")).findFirst()
                .orElseThrow();
        assertEquals(RuleTrace.Status.NOT_APPLICABLE, trace.status());
        assertTrue(trace.detail().contains("CONNECT"), trace.detail());
        assertEquals(Decision.DEFAULT_RULE, explanation.decision().ruleId());
        assertEquals(RuleTrace.Status.MATCHED, statuses(explanation).get(Decision.DEFAULT_RULE));
    }

    @Test
    void namesTheFileAndLineOfAListFileEntry() {
        Explanation explanation = policy.explain(PolicyFixtures.facts("GET", "http://mail.example-corp.net/", null,
                null, null, null));
        RuleTrace allow = explanation.trace().stream().filter(t -> t.ruleId().equals("corp-allow")).findFirst()
                .orElseThrow();
        List<EntryOrigin> origins = allow.origins();
        assertEquals(1, origins.size(), origins.toString());
        assertTrue(origins.get(0).source().endsWith("corp-domains.txt"));
        assertEquals(3, origins.get(0).line());
    }
}
