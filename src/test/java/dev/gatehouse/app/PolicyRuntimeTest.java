package dev.gatehouse.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.policy.PolicyHolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** A refused reload keeps the running policy and reports every problem in one log event. */
class PolicyRuntimeTest {
    private static final String GOOD = """
            {"schemaVersion": 1, "name": "t", "defaultAction": {"action": "allow"},
             "rules": [{"id": "r1", "match": {"domain": ["blocked.example"]}, "action": "block"}]}
            """;
    /** Two problems: an unknown action and a rule without an id. */
    private static final String BAD = """
            {"schemaVersion": 1, "name": "t", "defaultAction": {"action": "allow"},
             "rules": [{"id": "r1", "match": {"domain": ["blocked.example"]}, "action": "explode"},
                       {"match": {"domain": ["other.example"]}, "action": "block"}]}
            """;

    @TempDir
    Path dir;
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeEach
    void capture() {
        logger().addAppender(logs);
        logs.start();
    }

    @AfterEach
    void release() {
        logger().detachAppender(logs);
    }

    private static Logger logger() {
        return (Logger) LoggerFactory.getLogger(PolicyRuntime.class);
    }

    @Test
    void aRefusedReloadKeepsTheRunningVersionAndLogsOneEventWithEveryProblem() throws Exception {
        Path file = Files.writeString(dir.resolve("policy.json"), GOOD);
        try (PolicyRuntime runtime = PolicyRuntime.start(new GatehouseConfig.PolicySettings(file.toString(), false,
                Duration.ofMinutes(10)))) {
            String running = runtime.holder().current().version();
            Files.writeString(file, BAD);
            logs.list.clear();

            PolicyHolder.ReloadResult result = runtime.reload("test");

            assertFalse(result.applied());
            assertTrue(result.problems().size() >= 2, "both problems found: " + result.problems());
            assertEquals(running, runtime.holder().current().version());
            List<ILoggingEvent> errors = logs.list.stream().filter(e -> e.getLevel() == Level.ERROR).toList();
            assertEquals(1, errors.size(), "one event for the refused reload: " + logs.list);
            assertEquals(1, logs.list.size(), "nothing logged beside it: " + logs.list);
            String message = errors.get(0).getFormattedMessage();
            assertTrue(message.startsWith("policy reload (test) failed; still running version " + running + ":"), message);
            for (var problem : result.problems()) {
                assertTrue(message.contains("\n  " + problem), "problem '" + problem + "' in: " + message);
            }
        }
    }
}
