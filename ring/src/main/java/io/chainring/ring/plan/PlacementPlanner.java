package io.chainring.ring.plan;

import io.chainring.ring.NodeInfo;
import io.chainring.ring.Ring;
import java.util.Collection;

/**
 * DESIGN §5: a pure, deterministic function from the current ring and the registered nodes
 * (with zones and states) to the target chains and the moves that reach them.
 */
public interface PlacementPlanner {
    /**
     * @param current the ring as it is (chains may be empty: the first placement)
     * @param nodes   every registered node; only those whose state {@code holdsReplicas()} get replicas
     * @return the plan, or {@link NoPlan} when no node may hold replicas
     */
    PlanResult plan(Ring current, Collection<NodeInfo> nodes);
}
