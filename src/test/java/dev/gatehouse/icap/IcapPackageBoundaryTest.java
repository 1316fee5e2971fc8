package dev.gatehouse.icap;

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
 * The ICAP client is its own concern: it uses the shared vocabulary ({@code http}), its settings ({@code config}) and
 * the response type it adapts with the HTTP readers it reuses ({@code upstream}), and no server types, so the listener
 * depends on it and never the other way round.
 */
class IcapPackageBoundaryTest {
    private static final Path SOURCES = Path.of(System.getProperty("gatehouse.repo", "."), "src/main/java/dev/gatehouse/icap");
    private static final List<String> ALLOWED = List.of("dev.gatehouse.icap.", "dev.gatehouse.http.", "dev.gatehouse.config.",
            "dev.gatehouse.upstream.");

    @Test
    void importsOnlyWhatTheArchitectureAllows() throws IOException {
        List<String> violations = new ArrayList<>();
        List<Path> sources;
        try (Stream<Path> files = Files.list(SOURCES)) {
            sources = files.filter(p -> p.toString().endsWith(".java")).toList();
        }
        assertTrue(sources.size() > 5, "the icap sources were not found under " + SOURCES);
        for (Path file : sources) {
            for (String line : Files.readAllLines(file)) {
                if (!line.startsWith("import ")) continue;
                String imported = line.substring(line.startsWith("import static ") ? 14 : 7);
                boolean foreign = imported.startsWith("dev.gatehouse.") && ALLOWED.stream().noneMatch(imported::startsWith)
                        || imported.startsWith("dev.gatehouse.upstream.ftp.");
                boolean server = imported.startsWith("io.undertow.") || imported.startsWith("org.xnio.");
                if (foreign || server) violations.add(file.getFileName() + ": " + line);
            }
        }
        assertEquals(List.of(), violations);
    }
}
