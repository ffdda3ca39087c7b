package io.chainring.ring.plan;

import io.chainring.ring.Chain;
import java.util.List;

/**
 * What the planner wants: the target chain of every partition (index = partition id) and the
 * replica moves that lead from the current chains to it, in the order to run them.
 */
public record Plan(List<Chain> targetChains, List<Move> moves) implements PlanResult {
    public Plan {
        targetChains = List.copyOf(targetChains);
        moves = List.copyOf(moves);
    }

    public boolean isEmpty() {
        return moves.isEmpty();
    }

    @Override
    public Plan orElseThrow() {
        return this;
    }
}
