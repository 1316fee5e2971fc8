package dev.gatehouse.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The {@code redirect} action as the policy decides and explains it ({@code good/redirect.json}). */
class PolicyRedirectTest {
    private static final String GAMES_LOCATION = "https://intranet.example/blocked?url=http%3A%2F%2Fwww.games.test%2Fplay%3Fa%3D1"
            + "&host=www.games.test&client=10.0.0.7&user=alice&groups=staff&rule=no-games&category=games"
            + "&reason=Games%20%26%20%7Bfun%7D";
    static Policy policy;

    @BeforeAll
    static void load() {
        policy = PolicyFixtures.load(PolicyFixtures.resource("good/redirect.json"));
    }

    @Test
    void aRedirectRuleDecidesWithItsLocation() {
        RequestFacts facts = PolicyFixtures.facts("GET", "http://www.games.test/play?a=1", "10.0.0.7", "alice", "staff", null);
        Decision decision = policy.decide(facts);
        assertEquals(Action.REDIRECT, decision.action());
        assertEquals("no-games", decision.ruleId());
        assertEquals(List.of("games"), decision.categories());
        assertEquals("Games & {fun}", decision.reason());
        assertEquals(GAMES_LOCATION, decision.location().expand(facts, decision));
    }

    @Test
    void otherActionsHaveNoLocation() {
        assertNull(policy.decide(PolicyFixtures.facts("GET", "https://intranet.example/blocked?url=x", null, null, null, null))
                .location());
        assertNull(policy.decide(PolicyFixtures.facts("GET", "http://other.example/", null, null, null, null)).location());
    }

    @Test
    void explainShowsWhereTheRequestIsSent() throws Exception {
        RequestFacts facts = PolicyFixtures.facts("GET", "http://www.games.test/play?a=1", "10.0.0.7", "alice", "staff", null);
        Explanation explanation = policy.explain(facts);
        assertEquals(GAMES_LOCATION, explanation.location());
        assertTrue(explanation.toText().contains("decision:   redirect by rule no-games -> " + GAMES_LOCATION
                + " (Games & {fun})"), explanation.toText());
        JsonNode json = new ObjectMapper().valueToTree(explanation);
        assertEquals(GAMES_LOCATION, json.get("location").asText());
        assertEquals("redirect", json.get("decision").get("action").asText().toLowerCase());
        assertTrue(json.get("decision").get("location").asText().startsWith("https://intranet.example/blocked?url={url}&"),
                json.toString());
    }

    @Test
    void aTunnelIsExplainedAsRefused() {
        Explanation explanation = policy.explain(PolicyFixtures.facts("CONNECT", "www.games.test:443", null, null, null, null));
        assertEquals(Action.REDIRECT, explanation.decision().action());
        assertTrue(explanation.toText().contains("decision:   redirect by rule no-games (a CONNECT tunnel cannot be "
                + "redirected: refused as a block)"), explanation.toText());
    }
}
