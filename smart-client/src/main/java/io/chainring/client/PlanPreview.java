package io.chainring.client;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a plan would do, computed by the same planner that carries it out
 * ({@link AdminClient#previewPlan}). Changes nothing. Passing {@link #planId()} to
 * {@link AdminClient#executePlan} runs exactly this plan, or fails with a {@link ConflictException}
 * if the cluster changed since the preview.
 *
 * @param planId         identifies this plan for this ring and these nodes
 * @param action         what the plan does
 * @param nodes          the nodes it names
 * @param ringEpoch      the ring epoch it was computed from
 * @param moves          every partition replica that changes hands, in the order the plan runs them
 * @param estimatedKeys  keys to copy, summed over the moves
 * @param estimatedBytes bytes to copy, summed over the moves
 * @param balance        every node's share of the ring before and after
 * @param lowerBound     the fewest replica moves any plan for this change needs
 */
public record PlanPreview(String planId, PlanAction action, List<String> nodes, long ringEpoch, List<Move> moves,
                          long estimatedKeys, long estimatedBytes, List<Balance> balance, int lowerBound) {
    public PlanPreview {
        Objects.requireNonNull(planId, "planId");
        Objects.requireNonNull(action, "action");
        nodes = List.copyOf(nodes);
        moves = List.copyOf(moves);
        balance = List.copyOf(balance);
    }

    /**
     * One replica of one partition changing hands.
     *
     * @param partition      the partition id
     * @param from           the node that gives the replica up; empty when a replica is added
     *                       (e.g. replacing one of a dead node)
     * @param to             the node that receives it; empty when a replica is only dropped
     * @param estimatedKeys  keys to copy
     * @param estimatedBytes bytes to copy
     */
    public record Move(int partition, Optional<String> from, Optional<String> to, long estimatedKeys, long estimatedBytes) {
        public Move {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
        }
    }

    /**
     * One node's share of the ring before and after the plan.
     *
     * @param node           the node id
     * @param replicasBefore partition replicas it holds now
     * @param headsBefore    chains it heads now
     * @param tailsBefore    chains it ends now
     * @param replicasAfter  partition replicas it holds once the plan is done
     * @param headsAfter     chains it heads then
     * @param tailsAfter     chains it ends then
     */
    public record Balance(String node, int replicasBefore, int headsBefore, int tailsBefore,
                          int replicasAfter, int headsAfter, int tailsAfter) {
        public Balance {
            Objects.requireNonNull(node, "node");
        }
    }
}
