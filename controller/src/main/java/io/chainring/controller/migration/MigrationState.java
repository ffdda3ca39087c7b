package io.chainring.controller.migration;

import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The rebalancing state a leader pass reads: the plan with its znode version (to
 * compare-and-set against) and every move record by id.
 */
public record MigrationState(Optional<PlanRecord> plan, int planZkVersion, SortedMap<String, MoveRecord> records) {
    public MigrationState {
        records = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(records));
    }

    public static MigrationState none() {
        return new MigrationState(Optional.empty(), -1, new TreeMap<>());
    }

    public static MigrationState of(Optional<PlanRecord> plan, int planZkVersion, Map<String, MoveRecord> records) {
        return new MigrationState(plan, planZkVersion, new TreeMap<>(records));
    }

    public Optional<PlanRecord> activePlan() {
        return plan.filter(PlanRecord::isActive);
    }
}
