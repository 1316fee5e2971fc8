package dev.gatehouse.policy.category;

/**
 * An entry of a list that could not be used (it is skipped, the rest of the list loads).
 *
 * @param source the file or inline origin
 * @param line 1-based line, or entry index + 1 for inline entries
 * @param message what is wrong
 */
public record LoadProblem(String source, int line, String message) {
    @Override
    public String toString() {
        return source + ":" + line + ": " + message;
    }
}
