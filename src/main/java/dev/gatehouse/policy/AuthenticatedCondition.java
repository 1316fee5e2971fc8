package dev.gatehouse.policy;

/**
 * Matches when the request is (or, with {@code false}, is not) authenticated.
 *
 * @param expected the value written in the policy
 */
public record AuthenticatedCondition(boolean expected) implements Condition {

    @Override
    public Outcome test(Evaluation evaluation) {
        return Outcome.of(evaluation.facts().authenticated() == expected);
    }

    @Override
    public String describe() {
        return "authenticated " + expected;
    }
}
