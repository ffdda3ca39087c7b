package io.chainring.controller.migration;

import io.chainring.metadata.MigrationStore;
import io.chainring.metadata.NodeRegistry;
import io.chainring.metadata.PlanConflictException;
import io.chainring.thrift.TMigration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's view of the rebalancing state in ZooKeeper. The plan is read on every pass (an
 * operator may pause or cancel it through any controller); move records are only written by the
 * leader, so they are cached and re-read when a leadership term starts. Keeps the last
 * {@value #KEEP_FINISHED} finished records and deletes older ones.
 */
public final class MigrationLedger {
    private static final Logger log = LoggerFactory.getLogger(MigrationLedger.class);
    static final int KEEP_FINISHED = 500;

    private final MigrationStore store;
    private final NodeRegistry registry;
    private final SortedMap<String, MoveRecord> records = new TreeMap<>();
    private boolean loaded;

    public MigrationLedger(MigrationStore store, NodeRegistry registry) {
        this.store = store;
        this.registry = registry;
    }

    /** Forgets the cache: the next read loads every record again (a new leadership term). */
    public synchronized void reset() {
        records.clear();
        loaded = false;
    }

    public synchronized MigrationState read() {
        if (!loaded) {
            for (TMigration t : store.migrations()) {
                try {
                    MoveRecord r = MigrationCodec.fromThrift(t);
                    records.put(r.id(), r);
                } catch (RuntimeException e) {
                    log.warn("ignoring an unreadable migration record {}: {}", t.getId(), e.toString());
                }
            }
            loaded = true;
        }
        Optional<MigrationStore.VersionedPlan> plan = store.readPlan();
        return MigrationState.of(plan.map(v -> MigrationCodec.fromThrift(v.plan())),
                plan.map(MigrationStore.VersionedPlan::zkVersion).orElse(-1), records);
    }

    /**
     * Writes node states, then records, then the plan. A plan that changed meanwhile (an operator
     * paused or cancelled it) is not overwritten: the next pass reads it.
     */
    public synchronized void apply(MigrationEffects effects) {
        effects.nodeStates().forEach(registry::setState);
        for (MoveRecord r : effects.records()) {
            store.writeMigration(MigrationCodec.toThrift(r));
            records.put(r.id(), r);
        }
        if (effects.plan().isPresent()) {
            try {
                store.writePlan(MigrationCodec.toThrift(effects.plan().get()),
                        effects.planZkVersion() < 0 ? Optional.empty() : Optional.of(effects.planZkVersion()));
            } catch (PlanConflictException e) {
                log.info("the plan changed while this pass ran (an operator's pause or cancel?); re-reading: {}",
                        e.getMessage());
            }
        }
        prune();
    }

    private void prune() {
        List<MoveRecord> finished = records.values().stream().filter(r -> r.step().isFinished())
                .sorted(Comparator.comparing((MoveRecord r) -> r.finished().orElse(r.updated())))
                .toList();
        for (int i = 0; i < finished.size() - KEEP_FINISHED; i++) {
            store.deleteMigration(finished.get(i).id());
            records.remove(finished.get(i).id());
        }
    }

    /** Records as cached (tests and metrics). */
    public synchronized Map<String, MoveRecord> cached() {
        return Map.copyOf(records);
    }
}
