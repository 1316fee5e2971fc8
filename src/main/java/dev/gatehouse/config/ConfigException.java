package dev.gatehouse.config;

import java.util.List;

/** A config file that cannot be used, with every problem found in it. */
public final class ConfigException extends Exception {
    private final List<ConfigProblem> problems;

    public ConfigException(List<ConfigProblem> problems) {
        super(problems.size() + " problem(s) in configuration:\n  " + String.join("\n  ",
                problems.stream().map(ConfigProblem::toString).toList()));
        this.problems = List.copyOf(problems);
    }

    public List<ConfigProblem> problems() { return problems; }
}
