package dev.gatehouse.policy;

/**
 * The negation of a condition ({@code notDomain}, {@code notCategory}...). A condition that does
 * not apply (a path test on a tunnel) stays not applicable: "not under /admin" is not known for
 * a CONNECT, so the rule does not match.
 *
 * @param inner the negated condition
 */
public record NotCondition(Condition inner) implements Condition {

    @Override
    public Outcome test(Evaluation evaluation) {
        return switch (inner.test(evaluation)) {
            case MATCH -> Outcome.NO_MATCH;
            case NO_MATCH -> Outcome.MATCH;
            case NOT_APPLICABLE -> Outcome.NOT_APPLICABLE;
        };
    }

    @Override
    public String describe() {
        return "not (" + inner.describe() + ")";
    }

    @Override
    public boolean appliesToTunnels() {
        return inner.appliesToTunnels();
    }
}
