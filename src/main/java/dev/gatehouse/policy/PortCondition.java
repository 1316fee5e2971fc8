package dev.gatehouse.policy;

import java.util.List;

/**
 * Matches the effective destination port against single ports and ranges.
 *
 * @param ranges inclusive {@code [from, to]} pairs
 */
public record PortCondition(List<int[]> ranges) implements Condition {

    public PortCondition {
        ranges = List.copyOf(ranges);
    }

    @Override
    public Outcome test(Evaluation evaluation) {
        int port = evaluation.target().port();
        for (int[] range : ranges) {
            if (port >= range[0] && port <= range[1]) {
                return Outcome.MATCH;
            }
        }
        return Outcome.NO_MATCH;
    }

    @Override
    public String describe() {
        return "port " + ranges.stream().map(r -> r[0] == r[1] ? "" + r[0] : r[0] + "-" + r[1]).toList();
    }
}
