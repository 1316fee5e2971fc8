package dev.gatehouse.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** ARCHITECTURE.md: a feature package uses only {@code http} and {@code config} of Gatehouse, and no server types. */
class AuthPackageBoundaryTest {
    private static final Pattern FORBIDDEN =
            Pattern.compile("^import (static )?(io\\.undertow|org\\.xnio|dev\\.gatehouse\\.(?!auth\\.|config\\.|http\\.)).*");

    @Test
    void authImportsOnlyConfigHttpAndLibraries() throws Exception {
        Path root = Path.of(System.getProperty("gatehouse.repo", "."), "src/main/java/dev/gatehouse/auth");
        try (Stream<Path> files = Files.list(root)) {
            List<String> violations = files.flatMap(file -> {
                try {
                    return Files.readAllLines(file).stream().filter(l -> FORBIDDEN.matcher(l).matches())
                            .map(l -> file.getFileName() + ": " + l);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
            assertEquals(List.of(), violations);
        }
    }
}
