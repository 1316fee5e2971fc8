package dev.gatehouse.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderWatcherTest {
    @TempDir
    Path dir;

    @Test
    void aFileWatcherCallsBackForItsFilesOnlyAndSaysWhichChanged() throws Exception {
        Path htpasswd = Files.writeString(dir.resolve("htpasswd"), "").toAbsolutePath();
        Path groups = Files.writeString(dir.resolve("groups"), "").toAbsolutePath();
        LinkedBlockingQueue<Set<Path>> calls = new LinkedBlockingQueue<>();
        try (FolderWatcher watcher = FolderWatcher.ofFiles(dir, Set.of(htpasswd, groups), Duration.ofMillis(100), calls::add)) {
            watcher.start();
            Files.writeString(dir.resolve("gatehouse.json"), "{}"); // the main config beside them
            Files.createDirectory(dir.resolve("sub"));
            Files.writeString(dir.resolve("sub").resolve("htpasswd"), "");
            // Nothing relevant changed: no callback (bounded wait; a late one would be caught below).
            assertNull(calls.poll(1, TimeUnit.SECONDS));
            Files.writeString(groups, "staff: alice\n");
            assertEquals(Set.of(groups), calls.poll(10, TimeUnit.SECONDS), "only the group file changed");
            Files.writeString(htpasswd, "alice:x\n");
            Files.writeString(groups, "staff: bob\n");
            // Usually one callback for both; two if the box stalled between the writes. Either way, both reported.
            Set<Path> reported = new HashSet<>(calls.poll(10, TimeUnit.SECONDS));
            if (reported.size() < 2) reported.addAll(calls.poll(10, TimeUnit.SECONDS));
            assertEquals(Set.of(htpasswd, groups), reported);
        }
    }
}
