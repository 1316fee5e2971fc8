package dev.gatehouse.policy;

import dev.gatehouse.policy.category.EntryOrigin;
import java.util.List;

/**
 * What happened to one rule during an {@code explain}.
 *
 * @param ruleId the rule
 * @param status what happened
 * @param detail why: the failing condition, or every condition that matched
 * @param origins for a matching rule, the list entries its conditions matched
 */
public record RuleTrace(String ruleId, Status status, String detail, List<EntryOrigin> origins) {

    /** The fate of a rule. */
    public enum Status {
        MATCHED,
        NOT_MATCHED,
        /** A condition needs what the request lacks (a path, for a tunnel). */
        NOT_APPLICABLE,
        /** An earlier terminal rule decided. */
        NOT_REACHED
    }

    public RuleTrace {
        origins = List.copyOf(origins);
    }
}
