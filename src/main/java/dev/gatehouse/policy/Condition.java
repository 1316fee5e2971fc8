package dev.gatehouse.policy;

import dev.gatehouse.policy.category.EntryOrigin;
import java.io.IOException;
import java.util.List;

/**
 * One test of a rule's {@code match} object; a rule matches when all its conditions match.
 * Implementations are immutable and precompiled at load time (no per-request compilation).
 */
public interface Condition {

    /** The result of a test; {@link #NOT_APPLICABLE} is never turned into a match by negation. */
    enum Outcome {
        MATCH, NO_MATCH,
        /** The request lacks what the condition needs (a path, for a CONNECT tunnel). */
        NOT_APPLICABLE;

        static Outcome of(boolean match) {
            return match ? MATCH : NO_MATCH;
        }
    }

    /** @return the outcome for one request */
    Outcome test(Evaluation evaluation);

    /** @return the condition as written in the policy, for explain output ({@code domain in corp-domains}) */
    String describe();

    /** @return false if the condition needs a URL path, so a CONNECT tunnel can never match it */
    default boolean appliesToTunnels() {
        return true;
    }

    /**
     * @return the list entries that made this condition match, for explain (may read list files)
     * @throws IOException if a list file cannot be read
     */
    default List<EntryOrigin> origins(Evaluation evaluation) throws IOException {
        return List.of();
    }
}
