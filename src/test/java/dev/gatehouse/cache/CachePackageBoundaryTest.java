package dev.gatehouse.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The cache stays pure (ARCHITECTURE.md): no Undertow or XNIO types, no other Gatehouse package but the
 * shared vocabulary in {@code http} (the request target it keys by), and the tiers depend on {@code cache},
 * never the other way round.
 */
class CachePackageBoundaryTest {
    private static final Path SOURCES = Path.of(System.getProperty("gatehouse.repo", "."), "src/main/java/dev/gatehouse/cache");

    @Test
    void importsOnlyWhatTheArchitectureAllows() throws IOException {
        List<String> violations = new ArrayList<>();
        List<Path> sources;
        try (Stream<Path> files = Files.walk(SOURCES)) {
            sources = files.filter(p -> p.toString().endsWith(".java")).toList();
        }
        assertTrue(sources.size() > 20, "the cache sources were not found under " + SOURCES);
        for (Path file : sources) {
            boolean inTier = !file.getParent().equals(SOURCES);
            for (String line : Files.readAllLines(file)) {
                if (!line.startsWith("import ")) {
                    continue;
                }
                String imported = line.substring(line.startsWith("import static ") ? 14 : 7);
                boolean foreignGatehouse = imported.startsWith("dev.gatehouse.") && !imported.startsWith("dev.gatehouse.cache.")
                        && !imported.startsWith("dev.gatehouse.http.");
                boolean server = imported.startsWith("io.undertow.") || imported.startsWith("org.xnio.");
                boolean upward = !inTier && (imported.startsWith("dev.gatehouse.cache.memory.") || imported.startsWith("dev.gatehouse.cache.disk."));
                if (foreignGatehouse || server || upward) {
                    violations.add(SOURCES.relativize(file) + ": " + line);
                }
            }
        }
        assertEquals(List.of(), violations);
    }
}
