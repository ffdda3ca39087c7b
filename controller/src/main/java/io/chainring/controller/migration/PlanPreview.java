package io.chainring.controller.migration;

import io.chainring.ring.Chain;
import io.chainring.ring.NodeId;
import io.chainring.ring.plan.Move;
import io.chainring.ring.plan.PlanSummary;
import io.chainring.thrift.PlanAction;
import java.util.List;
import java.util.Objects;

/**
 * A plan as previewed: what the planner would do for an action on some nodes, from one ring.
 *
 * @param id            identifies this plan for this ring and these nodes (a digest of both)
 * @param estimates     per move, estimated keys and bytes to copy (same order as {@code moves})
 * @param lowerBound    the fewest replica moves any plan for this change needs
 */
public record PlanPreview(String id, PlanAction action, List<NodeId> nodes, long ringEpoch, List<Chain> target,
                          List<Move> moves, List<long[]> estimates, PlanSummary summary, int lowerBound) {
    public PlanPreview {
        Objects.requireNonNull(id, "id");
        nodes = List.copyOf(nodes);
        target = List.copyOf(target);
        moves = List.copyOf(moves);
        estimates = List.copyOf(estimates);
    }

    public long estimatedKeys() {
        return estimates.stream().mapToLong(e -> e[0]).sum();
    }

    public long estimatedBytes() {
        return estimates.stream().mapToLong(e -> e[1]).sum();
    }
}
