package io.chainring.controller.leader;

import io.chainring.controller.migration.MigrationEffects;
import io.chainring.controller.migration.MigrationExecutor;
import io.chainring.controller.migration.MigrationState;
import io.chainring.controller.migration.MoveRecord;
import io.chainring.controller.migration.PlanRecords;
import io.chainring.controller.migration.PlanMaker;
import io.chainring.controller.migration.PlanPreview;
import io.chainring.controller.migration.PlanRecord;
import io.chainring.controller.migration.PlanRefusedException;
import io.chainring.controller.state.ClusterSnapshot;
import io.chainring.ring.Partition;
import io.chainring.thrift.PlanAction;
import io.chainring.thrift.PlanState;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import io.chainring.metadata.ClusterConfig;
import io.chainring.metadata.VersionedRing;
import io.chainring.ring.NodeId;
import io.chainring.ring.NodeInfo;
import io.chainring.ring.NodeState;
import io.chainring.ring.Ring;
import io.chainring.ring.plan.NoPlan;
import io.chainring.ring.plan.PlacementPlanner;
import io.chainring.ring.plan.Plan;
import io.chainring.ring.plan.PlanResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The decide stage: a pure function from a {@link ClusterSnapshot} (and the time of the last
 * registration change) to the ring that should be written. The rules:
 * <ul>
 *   <li>no ring, auto-join on, at least {@code minNodes} registered nodes live and no
 *       registration change for {@code settle}: plan the first ring over those nodes (epoch 1),
 *       chains of min(R, N) replicas, with the cluster's min chain for writes;</li>
 *   <li>no ring otherwise: wait;</li>
 *   <li>a ring: follow address changes of its nodes (a restart on another port) and repair its
 *       chains ({@link ChainRepair}: drop dead nodes, promote caught-up learners, add learners
 *       to chains below R), all in one ring write, together with the next steps of the active plan's
 *       moves (when there is one). Nodes registered after the ring stay NEW until a plan adds
 *       them: an operator's ADD plan, or, with {@code autoAdd}, one of the controller's own once
 *       registrations settle and no plan runs.</li>
 * </ul>
 */
public final class RingDecider {
    /** Registered states that may form the first ring. */
    private static final Set<NodeState> FIRST_RING_STATES = Set.of(NodeState.NEW, NodeState.JOINING, NodeState.ACTIVE);

    private final String cluster;
    private final ClusterConfig shape;
    private final boolean autoJoin;
    private final int minNodes;
    private final Duration settle;
    private final PlacementPlanner planner;
    private final ChainRepair repair;
    private final MigrationExecutor executor;
    private final PlanMaker planMaker;
    private final boolean autoAdd;

    public RingDecider(String cluster, ClusterConfig shape, boolean autoJoin, int minNodes, Duration settle,
                       PlacementPlanner planner) {
        this(cluster, shape, autoJoin, minNodes, settle, planner, ChainRepair.DEFAULT_MAX_CATCH_UPS_PER_NODE);
    }

    public RingDecider(String cluster, ClusterConfig shape, boolean autoJoin, int minNodes, Duration settle,
                       PlacementPlanner planner, int maxCatchUpsPerNode) {
        this(cluster, shape, autoJoin, minNodes, settle, planner, maxCatchUpsPerNode, false,
                MigrationExecutor.DEFAULT_MAX_MOVES_PER_NODE);
    }

    /**
     * @param autoAdd         whether NEW nodes that register after the first ring are added by a plan
     *                        of the controller's own (once registrations settle and no plan runs)
     * @param maxMovesPerNode running partition moves per node at most
     */
    public RingDecider(String cluster, ClusterConfig shape, boolean autoJoin, int minNodes, Duration settle,
                       PlacementPlanner planner, int maxCatchUpsPerNode, boolean autoAdd, int maxMovesPerNode) {
        this.executor = new MigrationExecutor(maxMovesPerNode);
        this.planMaker = new PlanMaker(planner);
        this.autoAdd = autoAdd;
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.shape = Objects.requireNonNull(shape, "shape");
        this.autoJoin = autoJoin;
        if (minNodes < 1) {
            throw new IllegalArgumentException("minNodes must be at least 1: " + minNodes);
        }
        this.minNodes = minNodes;
        this.settle = Objects.requireNonNull(settle, "settle");
        this.planner = Objects.requireNonNull(planner, "planner");
        this.repair = new ChainRepair(maxCatchUpsPerNode, planner);
    }

    /**
     * @param now        the time of this pass
     * @param lastChange when the registrations or the live set last changed, as observed
     */
    public Decision decide(ClusterSnapshot state, Instant now, Instant lastChange) {
        return decide(state, now, lastChange, MigrationState.none());
    }

    /** With the rebalancing state: the active plan's moves advance in the same ring write as repair. */
    public Decision decide(ClusterSnapshot state, Instant now, Instant lastChange, MigrationState migrations) {
        return state.ring().map(read -> update(state, read, migrations, now, lastChange))
                .orElseGet(() -> firstRing(state, now, lastChange));
    }

    public MigrationExecutor executor() {
        return executor;
    }

    /** Registered nodes the ring does not name (NEW nodes waiting for an ADD plan). */
    public Set<NodeId> outsideRing(ClusterSnapshot state) {
        Set<NodeId> out = new TreeSet<>();
        state.ring().ifPresent(v -> state.registered().stream()
                .map(NodeInfo::id)
                .filter(id -> !v.ring().nodes().containsKey(id))
                .forEach(out::add));
        return out;
    }

    private Decision firstRing(ClusterSnapshot state, Instant now, Instant lastChange) {
        if (!autoJoin) {
            return new Decision.Wait("no ring yet and auto-join is off: the first ring is not formed automatically");
        }
        List<NodeInfo> candidates = state.registered().stream()
                .filter(n -> state.isLive(n.id()) && FIRST_RING_STATES.contains(n.state()))
                .toList();
        if (candidates.size() < minNodes) {
            return new Decision.Wait("no ring yet: " + candidates.size() + " of " + minNodes
                    + " required nodes are registered and live " + ids(candidates));
        }
        Duration quiet = Duration.between(lastChange, now);
        if (quiet.compareTo(settle) < 0) {
            return new Decision.Wait("no ring yet: waiting for registrations to settle (" + settle.toMillis()
                    + " ms without a change) before forming the first ring over " + ids(candidates));
        }
        List<NodeInfo> active = candidates.stream().map(n -> n.withState(NodeState.ACTIVE)).toList();
        Ring unassigned = Ring.empty(cluster, shape.partitionCount(), shape.replication());
        Ring empty = new Ring(cluster, 0, unassigned.partitionCount(), unassigned.replication(), unassigned.nodes(),
                unassigned.partitions(), shape.minChainForWrites());
        PlanResult result = planner.plan(empty, active);
        if (result instanceof NoPlan none) {
            return new Decision.Wait("no ring yet: no plan is possible over " + ids(active) + " (" + none.reason() + ")");
        }
        Plan plan = (Plan) result;
        Ring first = empty.next(active, plan.targetChains());
        if (!first.isAssigned()) {
            throw new IllegalStateException("planner left partitions without a replica in the first ring over "
                    + ids(active) + "; not writing it");
        }
        return new Decision.CreateRing(first, ids(active), "first ring over " + active.size() + " nodes " + ids(active));
    }

    private Decision update(ClusterSnapshot state, VersionedRing read, MigrationState migrations, Instant now,
                            Instant lastChange) {
        Ring ring = read.ring();
        List<String> moved = new ArrayList<>();
        for (NodeInfo inRing : ring.nodes().values()) {
            state.registration(inRing.id())
                    .filter(reg -> !reg.address().equals(inRing.address()))
                    .ifPresent(reg -> moved.add(inRing.id() + " " + inRing.address() + " -> " + reg.address()));
        }
        ChainRepair.Outcome repaired = repair.repair(ring, state);
        List<Partition> working = new ArrayList<>(ring.partitions());
        Set<Integer> frozen = new TreeSet<>();
        for (Partition p : repaired.changed()) {
            working.set(p.id(), p);
            frozen.add(p.id());
        }
        MigrationEffects effects = MigrationEffects.none();
        Set<Integer> migrated = Set.of();
        Optional<PlanRecord> active = migrations.activePlan();
        if (active.isEmpty() && autoAdd) {
            effects = autoAddPlan(state, migrations, now, lastChange);
        } else if (active.isPresent()) {
            PlanRecord plan = replanIfNeeded(active.get(), state, ring, working, now);
            MigrationExecutor.Outcome step = executor.step(working, frozen, state, plan,
                    planRecords(migrations, plan), now);
            working = new ArrayList<>(step.partitions());
            migrated = step.changed();
            Optional<PlanRecord> planWrite = step.plan().or(() -> plan == active.get() ? Optional.empty() : Optional.of(plan));
            effects = new MigrationEffects(step.nodeStates(), step.records(), planWrite, migrations.planZkVersion(),
                    step.actions());
        }
        List<NodeInfo> nodes = nodeTable(ring, state, working, effects);
        boolean tableChanged = !Ring.index(nodes).equals(ring.nodes());
        List<Partition> changed = new ArrayList<>();
        for (Partition p : working) {
            if (frozen.contains(p.id()) || migrated.contains(p.id())) {
                changed.add(p);
            }
        }
        if (changed.isEmpty() && !tableChanged) {
            return new Decision.Steady(repaired.stuck(), effects);
        }
        List<String> reasons = new ArrayList<>();
        if (!moved.isEmpty()) {
            reasons.add("new address of " + String.join(", ", moved));
        }
        reasons.addAll(repaired.actions());
        reasons.addAll(effects.actions());
        if (reasons.isEmpty()) {
            reasons.add("node table: " + describeStates(ring, nodes));
        }
        // only the node table changed: chains and their change epochs stay, so no request is made stale
        Ring next = changed.isEmpty() ? ring.withNodes(nodes) : ring.nextWithPartitions(nodes, changed);
        return new Decision.UpdateRing(next, read.zkVersion(), String.join("; ", reasons), repaired.stuck(), effects);
    }

    /** The ring's node table: every node a chain or learner list names, with its registered address and state. */
    private static List<NodeInfo> nodeTable(Ring ring, ClusterSnapshot state, List<Partition> working,
                                            MigrationEffects effects) {
        Set<NodeId> named = new TreeSet<>();
        for (Partition p : working) {
            named.addAll(p.chain().members());
            named.addAll(p.learners());
        }
        SortedMap<NodeId, NodeInfo> table = new TreeMap<>();
        for (NodeInfo inRing : ring.nodes().values()) {
            NodeInfo reg = state.registration(inRing.id()).orElse(inRing);
            NodeState st = effects.nodeStates().getOrDefault(inRing.id(), reg.state());
            // a retired node that no chain names any more leaves the table
            if (st == NodeState.REMOVED && !named.contains(inRing.id())) {
                continue;
            }
            table.put(inRing.id(), inRing.withAddress(reg.address()).withState(st));
        }
        for (NodeId id : named) {
            if (!table.containsKey(id)) {
                state.registration(id).ifPresent(reg ->
                        table.put(id, reg.withState(effects.nodeStates().getOrDefault(id, reg.state()))));
            }
        }
        return List.copyOf(table.values());
    }

    private static String describeStates(Ring ring, List<NodeInfo> nodes) {
        List<String> out = new ArrayList<>();
        for (NodeInfo n : nodes) {
            NodeInfo old = ring.nodes().get(n.id());
            if (old == null || old.state() != n.state()) {
                out.add(n.id() + " " + (old == null ? "-" : old.state()) + " -> " + n.state());
            }
        }
        ring.nodes().keySet().stream().filter(id -> nodes.stream().noneMatch(n -> n.id().equals(id)))
                .forEach(id -> out.add(id + " left the table"));
        return String.join(", ", out);
    }

    private static SortedMap<String, MoveRecord> planRecords(MigrationState migrations, PlanRecord plan) {
        SortedMap<String, MoveRecord> out = new TreeMap<>();
        migrations.records().forEach((id, r) -> {
            if (r.planId().equals(plan.id())) {
                out.put(id, r);
            }
        });
        return out;
    }

    /**
     * A plan whose target names a node that may no longer hold replicas (it was decommissioned,
     * removed or unregistered meanwhile) is planned again from the ring as it is now.
     */
    private PlanRecord replanIfNeeded(PlanRecord plan, ClusterSnapshot state, Ring ring, List<Partition> working,
                                      Instant now) {
        Set<NodeId> eligible = new TreeSet<>();
        NodeState planned = MigrationExecutor.activeStateOf(plan.action());
        for (NodeInfo n : state.registered()) {
            NodeState st = plan.nodes().contains(n.id()) ? planned : n.state();
            if (st.holdsReplicas()) {
                eligible.add(n.id());
            }
        }
        Set<NodeId> lost = new TreeSet<>();
        plan.target().forEach(c -> c.members().stream().filter(m -> !eligible.contains(m)).forEach(lost::add));
        if (lost.isEmpty()) {
            return plan;
        }
        List<NodeInfo> hypothetical = state.registered().stream()
                .map(n -> plan.nodes().contains(n.id()) ? n.withState(planned) : n).toList();
        Ring current = new Ring(ring.cluster(), ring.epoch(), ring.partitionCount(), ring.replication(), ring.nodes(),
                working.stream().map(p -> new Partition(p.id(), p.chain(), p.changedAt())).toList(),
                ring.minChainForWrites());
        PlanResult replanned = planner.plan(current, hypothetical);
        if (replanned instanceof NoPlan none) {
            return plan.withState(PlanState.CANCELLING, now,
                    Optional.of("cancelling: no plan is possible without " + lost + " (" + none.reason() + ")"));
        }
        return plan.withTarget(((Plan) replanned).targetChains(), "re-planned: " + lost + " can no longer hold replicas");
    }

    /** With auto-add: live NEW nodes outside the ring get an ADD plan once registrations settle. */
    private MigrationEffects autoAddPlan(ClusterSnapshot state, MigrationState migrations, Instant now,
                                         Instant lastChange) {
        List<NodeId> waiting = state.registered().stream()
                .filter(n -> n.state() == NodeState.NEW && state.isLive(n.id()))
                .map(NodeInfo::id)
                .filter(id -> state.ring().map(v -> !v.ring().nodes().containsKey(id)).orElse(false))
                .toList();
        if (waiting.isEmpty() || Duration.between(lastChange, now).compareTo(settle) < 0) {
            return MigrationEffects.none();
        }
        try {
            PlanPreview preview = planMaker.preview(state, PlanAction.ADD, waiting, Map.of());
            PlanRecord plan = PlanRecords.started(preview, now);
            return new MigrationEffects(new TreeMap<>(), List.of(), Optional.of(plan), migrations.planZkVersion(),
                    List.of("auto-add: " + plan.describe() + " with " + preview.moves().size() + " moves"));
        } catch (PlanRefusedException e) {
            return MigrationEffects.none();
        }
    }

    private static List<NodeId> ids(List<NodeInfo> nodes) {
        return nodes.stream().map(NodeInfo::id).toList();
    }
}
