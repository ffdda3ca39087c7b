package io.chainring.controller.migration;

import io.chainring.controller.state.ClusterSnapshot;
import io.chainring.ring.NodeId;
import io.chainring.ring.NodeState;
import io.chainring.thrift.PlanAction;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The registration states a plan implies for its nodes: JOINING / DECOMMISSIONING / REMOVED
 * while it is active, then ACTIVE or REMOVED when it is done; after a cancel an added node that
 * holds nothing is NEW again and a decommissioning one ACTIVE.
 */
final class PlanNodeStates {
    private PlanNodeStates() {
    }

    /** The states that differ from the registrations, for the plan's nodes only. */
    static SortedMap<NodeId, NodeState> changes(PlanRecord plan, ClusterSnapshot state, Predicate<NodeId> holdsAny) {
        SortedMap<NodeId, NodeState> out = new TreeMap<>();
        for (NodeId id : plan.nodes()) {
            Optional<NodeState> current = state.registration(id).map(n -> n.state());
            if (current.isEmpty()) {
                continue;
            }
            NodeState wanted = switch (plan.state()) {
                case RUNNING, PAUSED, CANCELLING -> MigrationExecutor.activeStateOf(plan.action());
                case DONE -> plan.action() == PlanAction.ADD ? NodeState.ACTIVE : NodeState.REMOVED;
                case CANCELLED -> switch (plan.action()) {
                    case ADD -> holdsAny.test(id) ? NodeState.ACTIVE : NodeState.NEW;
                    case DECOMMISSION -> NodeState.ACTIVE;
                    case REMOVE -> NodeState.REMOVED;
                };
            };
            // only the transitions the plan owns: never revive a node someone else retired
            if (current.get() != wanted && current.get() != NodeState.REMOVED) {
                out.put(id, wanted);
            }
        }
        return out;
    }
}
