package dev.gatehouse.policy.load;

import dev.gatehouse.policy.PolicyProblem;
import dev.gatehouse.policy.PolicyProblem.Severity;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects the errors and warnings of one policy file, located by JSON pointer. */
final class Problems {
    private final String file;
    private final List<PolicyProblem> problems = new ArrayList<>();
    private JsonDocument document;

    Problems(String file) {
        this.file = file;
    }

    void locateWith(JsonDocument document) {
        this.document = document;
    }

    void error(String pointer, String message) {
        add(Severity.ERROR, pointer, message);
    }

    void warning(String pointer, String message) {
        add(Severity.WARNING, pointer, message);
    }

    void errorAt(String pointer, int line, int column, String message) {
        record(new PolicyProblem(Severity.ERROR, file, line, column, pointer, message));
    }

    /** Records a problem of another file (a list file) at a line. */
    void inFile(Severity severity, String otherFile, int line, String message) {
        record(new PolicyProblem(severity, otherFile, line, line > 0 ? 1 : 0, "", message));
    }

    private void add(Severity severity, String pointer, String message) {
        JsonDocument.Position at = document == null ? new JsonDocument.Position(0, 0) : document.positionOf(pointer);
        record(new PolicyProblem(severity, file, at.line(), at.column(), pointer, message));
    }

    /** Keeps one copy of each problem: a list used by several rules is checked once per use. */
    private void record(PolicyProblem problem) {
        if (!problems.contains(problem)) {
            problems.add(problem);
        }
    }

    /** @return {@code file:line:column} of a pointer, for rule locations */
    String where(String pointer) {
        JsonDocument.Position at = document == null ? new JsonDocument.Position(0, 0) : document.positionOf(pointer);
        return file + ":" + at.line() + ":" + at.column();
    }

    boolean hasErrors() {
        return problems.stream().anyMatch(PolicyProblem::isError);
    }

    /** @return all problems, this file's in line order, then other files' */
    List<PolicyProblem> all() {
        List<PolicyProblem> sorted = new ArrayList<>(problems);
        sorted.sort(Comparator.comparing((PolicyProblem p) -> !p.file().equals(file))
                .thenComparing(PolicyProblem::file).thenComparingInt(PolicyProblem::line)
                .thenComparingInt(PolicyProblem::column));
        return sorted;
    }
}
