package dev.gatehouse.policy;

/**
 * Matches when the destination is (or, with {@code false}, is not) an IP literal: domain
 * categories never match bare addresses, so this closes the obvious bypass (ufdbGuard's
 * {@code enforce-https-with-hostname}, squidGuard's {@code in-addr}).
 *
 * @param expected the value written in the policy
 */
public record HostIsIpLiteralCondition(boolean expected) implements Condition {

    @Override
    public Outcome test(Evaluation evaluation) {
        return Outcome.of(evaluation.target().host().isIpLiteral() == expected);
    }

    @Override
    public String describe() {
        return "hostIsIpLiteral " + expected;
    }
}
