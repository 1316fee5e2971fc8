package dev.gatehouse.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the engine pure (ARCHITECTURE.md): no server types, no Gatehouse package but the shared
 * vocabulary ({@code http}, {@code config}), and the sub-packages layered
 * {@code normalize <- category <- policy <- load}.
 */
class PackageDependencyTest {

    @Test
    void importsRespectTheLayers() throws IOException {
        Path root = PolicyFixtures.repo().resolve("src/main/java/dev/gatehouse/policy");
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".java"))::iterator) {
                String pkg = root.relativize(file.getParent()).toString();
                for (String line : Files.readAllLines(file)) {
                    if (line.startsWith("import ") && !allowed(pkg, line)) {
                        violations.add(root.relativize(file) + ": " + line);
                    }
                }
            }
        }
        assertEquals(List.of(), violations);
    }

    private static boolean allowed(String pkg, String line) {
        if (line.contains("io.undertow") || line.contains("org.xnio")) {
            return false;
        }
        if (!line.contains("dev.gatehouse.") || line.contains("dev.gatehouse.http.") || line.contains("dev.gatehouse.config.")) {
            return true;
        }
        List<String> below = switch (pkg) {
            case "normalize" -> List.of("dev.gatehouse.policy.normalize.");
            case "category" -> List.of("dev.gatehouse.policy.normalize.", "dev.gatehouse.policy.category.");
            case "" -> List.of("dev.gatehouse.policy.normalize.", "dev.gatehouse.policy.category.");
            default -> List.of("dev.gatehouse.policy.");
        };
        return below.stream().anyMatch(line::contains) && !(pkg.isEmpty() && line.contains("policy.load."));
    }
}
