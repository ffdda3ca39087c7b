package io.chainring.controller.leader;

import io.chainring.controller.state.ClusterSnapshot;
import io.chainring.metadata.ClusterConfig;
import io.chainring.metadata.VersionedRing;
import io.chainring.ring.NodeId;
import io.chainring.ring.NodeInfo;
import io.chainring.ring.NodeState;
import io.chainring.ring.Ring;
import io.chainring.ring.plan.PlacementPlanner;
import io.chainring.ring.plan.Plan;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The decide stage: a pure function from a {@link ClusterSnapshot} (and the time of the last
 * registration change) to the ring that should be written. The rules of this version (no
 * migration yet):
 * <ul>
 *   <li>no ring, auto-join on, at least {@code minNodes} registered nodes live and no
 *       registration change for {@code settle}: plan the first ring over those nodes (epoch 1),
 *       chains of min(R, N) replicas, with the cluster's min chain for writes;</li>
 *   <li>no ring otherwise: wait;</li>
 *   <li>a ring: follow address changes of its nodes (a restart on another port) and repair its
 *       chains ({@link ChainRepair}: drop dead nodes, promote caught-up learners, add learners
 *       to chains below R), all in one ring write. Nodes registered after the ring stay NEW,
 *       since joining a serving ring needs partition migration.</li>
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

    public RingDecider(String cluster, ClusterConfig shape, boolean autoJoin, int minNodes, Duration settle,
                       PlacementPlanner planner) {
        this(cluster, shape, autoJoin, minNodes, settle, planner, ChainRepair.DEFAULT_MAX_CATCH_UPS_PER_NODE);
    }

    public RingDecider(String cluster, ClusterConfig shape, boolean autoJoin, int minNodes, Duration settle,
                       PlacementPlanner planner, int maxCatchUpsPerNode) {
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
        return state.ring().map(read -> update(state, read)).orElseGet(() -> firstRing(state, now, lastChange));
    }

    /** Registered nodes the ring does not name: they stay out until migration exists. */
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
        Plan plan = planner.plan(empty, active);
        Ring first = empty.next(active, plan.targetChains());
        if (!first.isAssigned()) {
            throw new IllegalStateException("planner left partitions without a replica in the first ring over "
                    + ids(active) + "; not writing it");
        }
        return new Decision.CreateRing(first, ids(active), "first ring over " + active.size() + " nodes " + ids(active));
    }

    private Decision update(ClusterSnapshot state, VersionedRing read) {
        Ring ring = read.ring();
        List<NodeInfo> nodes = new ArrayList<>();
        List<String> moved = new ArrayList<>();
        for (NodeInfo inRing : ring.nodes().values()) {
            NodeInfo updated = state.registration(inRing.id())
                    .filter(reg -> !reg.address().equals(inRing.address()))
                    .map(reg -> inRing.withAddress(reg.address()))
                    .orElse(inRing);
            if (updated != inRing) {
                moved.add(inRing.id() + " " + inRing.address() + " -> " + updated.address());
            }
            nodes.add(updated);
        }
        ChainRepair.Outcome repaired = repair.repair(ring, state);
        if (moved.isEmpty() && repaired.isEmpty()) {
            return new Decision.Steady(repaired.stuck());
        }
        nodes.addAll(repaired.newNodes());
        List<String> reasons = new ArrayList<>();
        if (!moved.isEmpty()) {
            reasons.add("new address of " + String.join(", ", moved));
        }
        reasons.addAll(repaired.actions());
        // only the node table changed: chains and their change epochs stay, so no request is made stale
        Ring next = repaired.isEmpty() ? ring.withNodes(nodes) : ring.nextWithPartitions(nodes, repaired.changed());
        return new Decision.UpdateRing(next, read.zkVersion(), String.join("; ", reasons), repaired.stuck());
    }

    private static List<NodeId> ids(List<NodeInfo> nodes) {
        return nodes.stream().map(NodeInfo::id).toList();
    }
}
