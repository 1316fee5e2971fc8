package dev.gatehouse.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderWatcherTest {
    @TempDir
    Path dir;

    @Test
    void aFileWatcherCallsBackForItsFilesOnly() throws Exception {
        Path htpasswd = Files.writeString(dir.resolve("htpasswd"), "");
        LinkedBlockingQueue<String> calls = new LinkedBlockingQueue<>();
        try (FolderWatcher watcher = FolderWatcher.ofFiles(dir, Set.of(htpasswd.toAbsolutePath()), Duration.ofMillis(100),
                () -> calls.add("reload"))) {
            watcher.start();
            Files.writeString(dir.resolve("gatehouse.json"), "{}"); // the main config beside it
            Files.createDirectory(dir.resolve("sub"));
            Files.writeString(dir.resolve("sub").resolve("htpasswd"), "");
            // Nothing relevant changed: no callback (bounded wait; a late one would be caught below).
            assertNull(calls.poll(1, TimeUnit.SECONDS));
            Files.writeString(htpasswd, "alice:x\n");
            assertNotNull(calls.poll(10, TimeUnit.SECONDS), "the watched file changed");
            assertEquals(0, calls.size());
        }
    }
}
