package dev.gatehouse.policy;

import java.util.List;

/**
 * Matches when any of the named schedules is active at the request's instant.
 *
 * @param schedules the schedules
 */
public record ScheduleCondition(List<Schedule> schedules) implements Condition {

    public ScheduleCondition {
        schedules = List.copyOf(schedules);
    }

    @Override
    public Outcome test(Evaluation evaluation) {
        for (Schedule schedule : schedules) {
            if (schedule.isActive(evaluation.facts().instant())) {
                return Outcome.MATCH;
            }
        }
        return Outcome.NO_MATCH;
    }

    @Override
    public String describe() {
        return "schedule " + schedules.stream().map(Schedule::name).toList();
    }
}
