package dev.gatehouse.policy;

import java.util.Set;

/**
 * Matches the request method (upper case; a tunnel's method is {@code CONNECT}).
 *
 * @param methods the accepted methods
 */
public record MethodCondition(Set<String> methods) implements Condition {

    public MethodCondition {
        methods = Set.copyOf(methods);
    }

    @Override
    public Outcome test(Evaluation evaluation) {
        return Outcome.of(methods.contains(evaluation.facts().method()));
    }

    @Override
    public String describe() {
        return "method " + methods;
    }
}
