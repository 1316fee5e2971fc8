package dev.gatehouse.policy;

import java.util.List;

/** A policy could not be built; carries every problem found, errors and warnings. */
public final class PolicyLoadException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient List<PolicyProblem> problems;

    /** @param problems all problems, at least one of them an error */
    public PolicyLoadException(List<PolicyProblem> problems) {
        super(summary(problems));
        this.problems = List.copyOf(problems);
    }

    /** @return every problem, in file order */
    public List<PolicyProblem> problems() {
        return problems;
    }

    private static String summary(List<PolicyProblem> problems) {
        long errors = problems.stream().filter(PolicyProblem::isError).count();
        StringBuilder out = new StringBuilder(errors + " error(s) in policy");
        for (PolicyProblem problem : problems) {
            out.append('\n').append(problem);
        }
        return out.toString();
    }
}
