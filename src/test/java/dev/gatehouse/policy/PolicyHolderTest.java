package dev.gatehouse.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.policy.load.PolicyLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyHolderTest {
    @TempDir
    Path dir;
    Path file;
    PolicyHolder holder;

    private void write(String defaultAction, String blockedDomain) throws IOException {
        Files.writeString(file, """
                {"schemaVersion": 1, "defaultAction": {"action": "%s"},
                 "rules": [{"id": "blocked", "match": {"domain": ["%s"]}, "action": "block"}]}
                """.formatted(defaultAction, blockedDomain));
    }

    private Decision decide(String url) {
        return holder.decide(PolicyFixtures.facts("GET", url, null, null, null, null));
    }

    @BeforeEach
    void start() throws Exception {
        file = dir.resolve("policy.json");
        write("allow", "one.example");
        holder = new PolicyHolder(PolicyLoader.load(file), () -> PolicyLoader.load(file));
    }

    @Test
    void aReloadChangesDecisionsWithoutARestart() throws Exception {
        assertEquals(Action.BLOCK, decide("http://one.example/").action());
        assertEquals(Action.ALLOW, decide("http://two.example/").action());
        String before = holder.current().version();

        write("allow", "two.example");
        PolicyHolder.ReloadResult result = holder.reload();

        assertTrue(result.applied(), result.toString());
        assertNotEquals(before, result.version());
        assertEquals(Action.ALLOW, decide("http://one.example/").action());
        assertEquals(Action.BLOCK, decide("http://two.example/").action());
        assertEquals(result.version(), decide("http://two.example/").policyVersion());
    }

    @Test
    void aBrokenReloadKeepsTheRunningPolicyAndReportsWhy() throws Exception {
        Policy running = holder.current();
        Files.writeString(file, "{\"schemaVersion\": 1, \"defaultAction\": {\"action\": \"allow\"}, \"rules\": ["
                + "{\"id\": \"x\", \"action\": \"block\", \"match\": {\"domain\": [\"bad..host\"]}}]}");

        PolicyHolder.ReloadResult result = holder.reload();

        assertFalse(result.applied());
        assertEquals(running.version(), result.version());
        assertSame(running, holder.current());
        assertEquals(1, result.problems().size(), result.problems().toString());
        assertEquals("/rules/0/match/domain/0", result.problems().get(0).pointer());
        assertEquals(Action.BLOCK, decide("http://one.example/").action());
        assertSame(result, holder.lastReload());
    }
}
