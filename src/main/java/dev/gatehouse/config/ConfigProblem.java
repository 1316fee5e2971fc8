package dev.gatehouse.config;

/** One thing wrong with a config file: where (file, line, column, JSON pointer) and why. */
public record ConfigProblem(String file, int line, int column, String pointer, String message) {

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(file);
        if (line > 0) s.append(':').append(line).append(':').append(column);
        s.append(": ");
        if (!pointer.isEmpty()) s.append(pointer).append(": ");
        return s.append(message).toString();
    }
}
