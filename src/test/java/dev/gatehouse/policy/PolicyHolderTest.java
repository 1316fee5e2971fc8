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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyHolderTest {
    @TempDir
    Path dir;
    Path file;
    PolicyHolder holder;

    private void write(String defaultAction, String blockedDomain) throws IOException {
        write(defaultAction, blockedDomain, "blocked");
    }

    private void write(String defaultAction, String blockedDomain, String reason) throws IOException {
        Files.writeString(file, """
                {"schemaVersion": 1, "defaultAction": {"action": "%s"},
                 "rules": [{"id": "blocked", "match": {"domain": ["%s"]}, "action": "block", "reason": "%s"}]}
                """.formatted(defaultAction, blockedDomain, reason));
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
    void decisionsDuringReloadsAlwaysComeFromOneWholePolicy() throws Exception {
        // Policy A blocks one.example only; policy B blocks two.example only. A decision that mixed
        // them would block both or neither for the same version.
        Map<String, String> blockedByVersion = new ConcurrentHashMap<>();
        blockedByVersion.put(holder.current().version(), "one.example");
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<String> failure = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try {
                check(blockedByVersion, done, failure);
            } catch (RuntimeException | Error e) {
                failure.set(e.toString());
            }
        });
        reader.start();
        for (int i = 0; i < 20; i++) {
            String blocked = i % 2 == 0 ? "two.example" : "one.example";
            write("allow", blocked, "reload " + i); // a new version each time
            PolicyHolder.ReloadResult result = holder.reload();
            assertTrue(result.applied(), result.toString());
            blockedByVersion.put(result.version(), blocked);
        }
        done.set(true);
        reader.join();
        assertEquals(null, failure.get());
    }

    private void check(Map<String, String> blockedByVersion, AtomicBoolean done, AtomicReference<String> failure) {
        while (!done.get() && failure.get() == null) {
            Policy policy = holder.current();
            Decision one = policy.decide(PolicyFixtures.facts("GET", "http://one.example/", null, null, null, null));
            Decision two = policy.decide(PolicyFixtures.facts("GET", "http://two.example/", null, null, null, null));
            String expected = blockedByVersion.get(one.policyVersion());
            boolean oneBlocked = one.action() == Action.BLOCK;
            boolean twoBlocked = two.action() == Action.BLOCK;
            if (!one.policyVersion().equals(two.policyVersion()) || oneBlocked == twoBlocked
                    || (expected != null && oneBlocked != expected.equals("one.example"))) {
                failure.set(one + " / " + two);
            }
        }
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
