package dev.gatehouse.admin;

import dev.gatehouse.policy.PolicyHolder;
import java.util.function.Supplier;

/** The live policy as {@code /stats} and the metrics show it, read from the holder at each look. */
public final class PolicyStatusView implements Supplier<StatsSnapshot.PolicyStatus> {
    private final PolicyHolder holder;

    public PolicyStatusView(PolicyHolder holder) {
        this.holder = holder;
    }

    @Override
    public StatsSnapshot.PolicyStatus get() {
        PolicyHolder.ReloadResult last = holder.lastReload();
        var policy = holder.current();
        return new StatsSnapshot.PolicyStatus(policy.name(), policy.version(), policy.rules().size(), last.applied(),
                last.problems().size());
    }
}
