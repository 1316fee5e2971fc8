package dev.gatehouse.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.config.FolderWatcher;
import dev.gatehouse.policy.load.PolicyLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A policy edited on disk is reloaded once the folder watcher sees the change settle. */
class PolicyReloadOnChangeTest {

    private static String policy(String action) {
        return "{\"schemaVersion\": 1, \"defaultAction\": {\"action\": \"" + action + "\"}, \"rules\": []}";
    }

    @Test
    void aChangedFileReloadsThePolicy(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("policy.json"), policy("allow"));
        PolicyHolder holder = new PolicyHolder(PolicyLoader.load(file), () -> PolicyLoader.load(file));
        LinkedBlockingQueue<PolicyHolder.ReloadResult> reloads = new LinkedBlockingQueue<>();
        try (FolderWatcher watcher = new FolderWatcher(dir, Duration.ofMillis(100),
                () -> reloads.add(holder.reload()))) {
            watcher.start();
            Files.writeString(file, policy("block"));

            PolicyHolder.ReloadResult result = reloads.poll(30, TimeUnit.SECONDS);

            assertTrue(result != null && result.applied(), String.valueOf(result));
            assertEquals(Action.BLOCK, holder.decide(PolicyFixtures.facts("GET", "http://a.example/", null, null,
                    null, null)).action());
        }
    }
}
