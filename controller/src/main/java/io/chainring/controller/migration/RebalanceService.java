package io.chainring.controller.migration;

import io.chainring.controller.state.ClusterSnapshot;
import io.chainring.controller.state.ClusterStateReader;
import io.chainring.controller.state.ReplicaReport;
import io.chainring.metadata.MigrationStore;
import io.chainring.metadata.NodeRegistry;
import io.chainring.metadata.PlanConflictException;
import io.chainring.metadata.ThrottleStore;
import io.chainring.ring.HostPort;
import io.chainring.ring.NodeId;
import io.chainring.ring.NodeInfo;
import io.chainring.thrift.PlanAction;
import io.chainring.thrift.PlanState;
import io.chainring.thrift.TMigration;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's side of rebalancing, served by any controller: previews plans, starts, pauses,
 * resumes and cancels them by compare-and-set writes of the plan znode (the leader's pipeline
 * carries them out), lists migrations and sets the throttle.
 */
public final class RebalanceService {
    private static final Logger log = LoggerFactory.getLogger(RebalanceService.class);
    /** Recent (finished) moves listed by {@link #migrations()}. */
    public static final int RECENT = 100;

    private final ClusterStateReader reader;
    private final Function<Map<NodeId, HostPort>, SortedMap<NodeId, ReplicaReport>> poll;
    private final PlanMaker maker;
    private final MigrationStore store;
    private final NodeRegistry registry;
    private final ThrottleStore throttle;
    private final int maxMovesPerNode;
    private final Clock clock;

    public RebalanceService(ClusterStateReader reader, Function<Map<NodeId, HostPort>, SortedMap<NodeId, ReplicaReport>> poll,
                            PlanMaker maker, MigrationStore store, NodeRegistry registry, ThrottleStore throttle,
                            int maxMovesPerNode, Clock clock) {
        this.reader = Objects.requireNonNull(reader, "reader");
        this.poll = Objects.requireNonNull(poll, "poll");
        this.maker = Objects.requireNonNull(maker, "maker");
        this.store = Objects.requireNonNull(store, "store");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.throttle = Objects.requireNonNull(throttle, "throttle");
        this.maxMovesPerNode = maxMovesPerNode;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** What the action would do, with size estimates from the live nodes' reports. */
    public PlanPreview preview(PlanAction action, List<NodeId> nodes) throws PlanRefusedException {
        ClusterSnapshot state = reader.read();
        Map<NodeId, HostPort> targets = new TreeMap<>();
        for (NodeInfo n : state.registered()) {
            if (state.isLive(n.id())) {
                targets.put(n.id(), n.address());
            }
        }
        return maker.preview(state, action, nodes, poll.apply(targets));
    }

    /**
     * Starts the plan for the action, if no plan is active and (when {@code planId} is not empty)
     * the plan is still the one previewed. Sets the nodes' states, which also wakes the leader.
     */
    public PlanRecord execute(PlanAction action, List<NodeId> nodes, String planId) throws PlanRefusedException {
        Optional<MigrationStore.VersionedPlan> current = store.readPlan();
        if (current.isPresent()) {
            PlanRecord running = MigrationCodec.fromThrift(current.get().plan());
            if (running.isActive()) {
                throw new PlanRefusedException(PlanRefusedException.Reason.CONFLICT, running.describe() + " is "
                        + running.state() + ": wait for it to finish, or cancel it (chainring plan cancel)");
            }
        }
        PlanPreview preview = maker.preview(reader.read(), action, nodes, Map.of());
        if (planId != null && !planId.isBlank() && !planId.equals(preview.id())) {
            throw new PlanRefusedException(PlanRefusedException.Reason.CONFLICT, "the cluster changed since plan "
                    + planId + " was previewed (the plan is now " + preview.id() + "): preview it again");
        }
        PlanRecord plan = PlanRecords.started(preview, clock.instant());
        try {
            store.writePlan(MigrationCodec.toThrift(plan), current.map(MigrationStore.VersionedPlan::zkVersion));
        } catch (PlanConflictException e) {
            throw new PlanRefusedException(PlanRefusedException.Reason.CONFLICT,
                    "another plan was started at the same time; look at chainring migrations");
        }
        for (NodeId id : plan.nodes()) {
            registry.setState(id, MigrationExecutor.activeStateOf(action));
        }
        log.info("started {}: {} moves (lower bound {}), about {} bytes", plan.describe(), preview.moves().size(),
                preview.lowerBound(), preview.estimatedBytes());
        return plan;
    }

    /** Cancels the active plan: the leader rolls running moves back. */
    public PlanRecord cancel() throws PlanRefusedException {
        return transition(PlanState.CANCELLING, "cancelled by an operator",
                List.of(PlanState.RUNNING, PlanState.PAUSED, PlanState.CANCELLING));
    }

    public PlanRecord pause() throws PlanRefusedException {
        return transition(PlanState.PAUSED, "paused by an operator: running moves finish, no new ones start",
                List.of(PlanState.RUNNING, PlanState.PAUSED));
    }

    public PlanRecord resume() throws PlanRefusedException {
        return transition(PlanState.RUNNING, "resumed by an operator", List.of(PlanState.PAUSED, PlanState.RUNNING));
    }

    private PlanRecord transition(PlanState to, String note, List<PlanState> from) throws PlanRefusedException {
        for (int attempt = 0; attempt < 5; attempt++) {
            MigrationStore.VersionedPlan current = store.readPlan().orElseThrow(() -> new PlanRefusedException(
                    PlanRefusedException.Reason.CONFLICT, "no plan has been started"));
            PlanRecord plan = MigrationCodec.fromThrift(current.plan());
            if (!from.contains(plan.state())) {
                throw new PlanRefusedException(PlanRefusedException.Reason.CONFLICT, plan.describe() + " is "
                        + plan.state() + "; it cannot become " + to);
            }
            if (plan.state() == to) {
                return plan;
            }
            PlanRecord next = plan.withState(to, clock.instant(), Optional.of(note));
            try {
                store.writePlan(MigrationCodec.toThrift(next), Optional.of(current.zkVersion()));
                log.info("{} is now {}", plan.describe(), to);
                return next;
            } catch (PlanConflictException raced) {
                // the leader wrote progress meanwhile: read again
            }
        }
        throw new PlanRefusedException(PlanRefusedException.Reason.CONFLICT, "the plan kept changing; try again");
    }

    /** Running moves (not finished), the most recent finished ones, the plan and the throttle. */
    public View migrations() {
        // the plan first: the leader writes records before the plan, so a plan read as DONE
        // comes with every record it counted
        Optional<PlanRecord> plan = store.readPlan().map(v -> MigrationCodec.fromThrift(v.plan()));
        List<MoveRecord> all = new ArrayList<>();
        for (TMigration t : store.migrations()) {
            all.add(MigrationCodec.fromThrift(t));
        }
        List<MoveRecord> running = all.stream().filter(r -> !r.step().isFinished())
                .sorted(Comparator.comparing(MoveRecord::started).thenComparing(MoveRecord::id)).toList();
        List<MoveRecord> recent = all.stream().filter(r -> r.step().isFinished())
                .sorted(Comparator.comparing((MoveRecord r) -> r.finished().orElse(r.updated())).reversed()
                        .thenComparing(MoveRecord::id))
                .limit(RECENT).toList();
        long done = plan.map(p -> all.stream().filter(r -> r.planId().equals(p.id()) && r.step() == MoveStep.DONE)
                .count()).orElse(0L);
        int belowR = 0;
        int copying = 0;
        Optional<io.chainring.ring.Ring> ring = reader.readRing().map(io.chainring.metadata.VersionedRing::ring);
        if (ring.isPresent()) {
            for (io.chainring.ring.Partition p : ring.get().partitions()) {
                if (p.chain().length() < ring.get().replication()) {
                    belowR++;
                    copying += p.learners().isEmpty() ? 0 : 1;
                }
            }
        }
        return new View(running, recent, plan, done, throttle.read(), maxMovesPerNode,
                new Repair(ThrottleStore.REPAIR_BYTES_PER_SECOND, belowR, copying));
    }

    /**
     * Re-replication as the ring shows it (it has no records: chain repair re-derives it every pass).
     *
     * @param bytesPerSecond the per-node repair budget
     * @param chainsBelowR   partitions whose chain has fewer than R members
     * @param copying        of those, how many have a learner copying (a repair in progress)
     */
    public record Repair(long bytesPerSecond, int chainsBelowR, int copying) {
    }

    /** @throws IllegalArgumentException when negative */
    public long setThrottle(long bytesPerSecond) {
        throttle.set(bytesPerSecond);
        log.info("catch-up throttle set to {} bytes/s per node{}", bytesPerSecond, bytesPerSecond == 0 ? " (unlimited)" : "");
        return bytesPerSecond;
    }

    /** What {@link #migrations()} answers. */
    public record View(List<MoveRecord> running, List<MoveRecord> recent, Optional<PlanRecord> plan, long movesDone,
                       long throttleBytesPerSecond, int maxMovesPerNode, Repair repair) {
        public View {
            running = List.copyOf(running);
            recent = List.copyOf(recent);
        }
    }
}
