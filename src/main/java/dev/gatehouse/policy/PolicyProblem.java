package dev.gatehouse.policy;

/**
 * An error or warning found while loading a policy, located precisely enough to fix it.
 *
 * @param severity error (the policy is refused) or warning (it loads)
 * @param file the file
 * @param line 1-based line, or 0 when unknown
 * @param column 1-based column, or 0 when unknown
 * @param pointer the JSON pointer (RFC 6901) of the offending value, or empty
 * @param message what is wrong, and where possible what to do
 */
public record PolicyProblem(Severity severity, String file, int line, int column, String pointer, String message) {

    /** How bad a problem is. */
    public enum Severity { ERROR, WARNING }

    /** @return true for an error */
    public boolean isError() {
        return severity == Severity.ERROR;
    }

    @Override
    public String toString() {
        String where = line > 0 ? file + ":" + line + ":" + column : file;
        String at = pointer.isEmpty() ? "" : " (at " + pointer + ")";
        return where + ": " + severity.name().toLowerCase(java.util.Locale.ROOT) + ": " + message + at;
    }
}
