package dev.gatehouse.policy;

import dev.gatehouse.policy.normalize.Scheme;
import java.util.Set;

/**
 * Matches the traffic kind: {@code http}, {@code ftp}, {@code https} (intercepted TLS only) or
 * {@code CONNECT} (a tunnel).
 *
 * @param schemes the accepted kinds
 */
public record SchemeCondition(Set<Scheme> schemes) implements Condition {

    public SchemeCondition {
        schemes = Set.copyOf(schemes);
    }

    @Override
    public Outcome test(Evaluation evaluation) {
        return Outcome.of(schemes.contains(evaluation.target().scheme()));
    }

    @Override
    public String describe() {
        return "scheme " + schemes.stream().map(Scheme::label).sorted().toList();
    }
}
