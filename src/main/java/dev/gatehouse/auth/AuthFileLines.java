package dev.gatehouse.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The meaningful lines of an Apache-style auth file (htpasswd, AuthGroupFile): blank lines and {@code #} comments
 * dropped; and whether a file is among those a watcher saw change.
 */
final class AuthFileLines {
    /** One line and its 1-based number, for messages of the form {@code file:line: problem}. */
    record Line(Path file, int number, String text) {
        AuthLoadException problem(String message) {
            return new AuthLoadException(file + ":" + number + ": " + message);
        }
    }

    private AuthFileLines() {}

    static List<Line> read(Path file) throws AuthLoadException {
        List<String> raw;
        try {
            raw = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AuthLoadException(file + ": cannot read: " + e, e);
        }
        List<Line> lines = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            String text = raw.get(i).strip(); // also drops the CR of a file edited on Windows
            if (!text.isEmpty() && !text.startsWith("#")) lines.add(new Line(file, i + 1, text));
        }
        return lines;
    }

    /** Whether {@code file}, as configured (maybe relative), is among {@code changed} (absolute, normalised). */
    static boolean changed(Set<Path> changed, Path file) {
        return changed.contains(file.toAbsolutePath().normalize());
    }
}
