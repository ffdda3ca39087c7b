package io.chainring.controller.migration;

import io.chainring.ring.NodeId;
import io.chainring.ring.NodeState;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a leader pass writes besides the ring, after it: registrations' states, move records,
 * and the plan (compare-and-set on {@code planZkVersion}; -1 = create it).
 */
public record MigrationEffects(SortedMap<NodeId, NodeState> nodeStates, List<MoveRecord> records,
                               Optional<PlanRecord> plan, int planZkVersion, List<String> actions) {
    public MigrationEffects {
        nodeStates = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(nodeStates));
        records = List.copyOf(records);
        actions = List.copyOf(actions);
    }

    public static MigrationEffects none() {
        return new MigrationEffects(new TreeMap<>(), List.of(), Optional.empty(), -1, List.of());
    }

    public boolean isEmpty() {
        return nodeStates.isEmpty() && records.isEmpty() && plan.isEmpty();
    }
}
