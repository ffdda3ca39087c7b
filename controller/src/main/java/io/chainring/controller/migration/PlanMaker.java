package io.chainring.controller.migration;

import io.chainring.controller.state.ClusterSnapshot;
import io.chainring.controller.state.ReplicaReport;
import io.chainring.ring.Chain;
import io.chainring.ring.NodeId;
import io.chainring.ring.NodeInfo;
import io.chainring.ring.NodeState;
import io.chainring.ring.Partition;
import io.chainring.ring.Ring;
import io.chainring.ring.plan.Move;
import io.chainring.ring.plan.NoPlan;
import io.chainring.ring.plan.Plan;
import io.chainring.ring.plan.PlanResult;
import io.chainring.ring.plan.PlacementPlanner;
import io.chainring.ring.plan.PlanSummary;
import io.chainring.thrift.PlanAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Makes plans for the operator's actions with the placement planner (DESIGN §5, §7): the same
 * function previews a plan and starts it, so what runs is what was shown. Validates the action
 * against the nodes' states first and refuses with a reason an operator can act on.
 */
public final class PlanMaker {
    private final PlacementPlanner planner;

    public PlanMaker(PlacementPlanner planner) {
        this.planner = Objects.requireNonNull(planner, "planner");
    }

    /**
     * @param state   the ring and registrations (reports, when present, give size estimates)
     * @param reports replica reports for estimates (may be empty)
     */
    public PlanPreview preview(ClusterSnapshot state, PlanAction action, List<NodeId> requested,
                               Map<NodeId, ReplicaReport> reports) throws PlanRefusedException {
        Ring ring = state.ring().orElseThrow(() -> new PlanRefusedException(PlanRefusedException.Reason.CONFLICT,
                "the cluster has no ring yet: start datanodes and let the controller form the first ring")).ring();
        List<NodeId> nodes = List.copyOf(new TreeSet<>(requested));
        if (nodes.isEmpty()) {
            throw new PlanRefusedException(PlanRefusedException.Reason.INVALID, "name at least one node");
        }
        for (NodeId id : nodes) {
            validate(state, ring, action, id);
        }
        if (action == PlanAction.REMOVE) {
            refuseDataLoss(state, ring, nodes);
        }
        NodeState next = MigrationExecutor.activeStateOf(action);
        List<NodeInfo> hypothetical = state.registered().stream()
                .map(n -> nodes.contains(n.id()) ? n.withState(next) : n)
                .toList();
        long eligibleAfter = hypothetical.stream().filter(n -> n.state().holdsReplicas()).count();
        if (eligibleAfter < ring.minChainForWrites()) {
            throw new PlanRefusedException(PlanRefusedException.Reason.CONFLICT, "after " + verb(action) + " " + nodes
                    + " only " + eligibleAfter + " nodes would hold replicas, fewer than the " + ring.minChainForWrites()
                    + " a chain needs to take writes");
        }
        Ring members = membersOnly(ring);
        PlanResult result = planner.plan(members, hypothetical);
        if (result instanceof NoPlan none) {
            throw new PlanRefusedException(PlanRefusedException.Reason.CONFLICT, "no plan: " + none.reason());
        }
        Plan plan = (Plan) result;
        List<long[]> estimates = new ArrayList<>();
        for (Move m : plan.moves()) {
            estimates.add(m.to().isEmpty() ? new long[] {0, 0} : estimate(ring.partition(m.partition()), reports));
        }
        // the balance as the moves will leave it: a target joins at the tail and a source leaves
        // wherever it is, so heads and tails differ from the planner's ideal order
        PlanSummary summary = PlanSummary.of(members, new Plan(predictedChains(ring, plan.targetChains()), plan.moves()));
        return new PlanPreview(digest(ring.epoch(), action, nodes, plan.targetChains()), action, nodes, ring.epoch(),
                plan.targetChains(), plan.moves(), estimates, summary, lowerBound(ring, action, nodes, hypothetical));
    }

    /** Each partition's chain after its moves: members that stay keep their order, newcomers follow at the tail. */
    static List<Chain> predictedChains(Ring ring, List<Chain> target) {
        List<Chain> out = new ArrayList<>();
        for (Partition p : ring.partitions()) {
            List<NodeId> wanted = target.get(p.id()).members();
            List<NodeId> chain = new ArrayList<>(p.chain().members().stream().filter(wanted::contains).toList());
            wanted.stream().filter(n -> !chain.contains(n)).forEach(chain::add);
            out.add(new Chain(chain));
        }
        return out;
    }

    private static void validate(ClusterSnapshot state, Ring ring, PlanAction action, NodeId id)
            throws PlanRefusedException {
        Optional<NodeInfo> reg = state.registration(id);
        if (reg.isEmpty()) {
            throw new PlanRefusedException(PlanRefusedException.Reason.NOT_FOUND, "unknown node " + id
                    + "; registered: " + state.registered().stream().map(NodeInfo::id).toList());
        }
        NodeState s = reg.get().state();
        boolean live = state.isLive(id);
        switch (action) {
            case ADD -> {
                if (s != NodeState.NEW) {
                    throw conflict(id + " is " + s + ", not NEW: only a NEW node can be added");
                }
                if (!live) {
                    throw conflict(id + " is down: start it before adding it");
                }
            }
            case DECOMMISSION -> {
                if (!s.holdsReplicas()) {
                    throw conflict(id + " is " + s + ": only an ACTIVE or JOINING node can be decommissioned");
                }
                if (!live) {
                    throw conflict(id + " is down: a dead node cannot hand its data over; remove it instead");
                }
            }
            case REMOVE -> {
                if (s == NodeState.REMOVED) {
                    throw conflict(id + " is REMOVED already");
                }
                if (live) {
                    throw conflict(id + " is alive: decommission it to move its data away, or stop it first");
                }
            }
        }
    }

    /** Removing nodes must leave every partition a live replica to copy from; else its data would be gone. */
    private static void refuseDataLoss(ClusterSnapshot state, Ring ring, List<NodeId> removed) throws PlanRefusedException {
        List<String> lost = new ArrayList<>();
        for (Partition p : ring.partitions()) {
            List<NodeId> members = p.chain().members();
            if (!members.isEmpty() && members.stream().allMatch(m -> removed.contains(m) || !state.isLive(m))) {
                lost.add("p" + p.id() + " " + members);
            }
        }
        if (!lost.isEmpty()) {
            throw conflict(lost.size() + " partitions have no live replica outside " + removed + " ("
                    + String.join(", ", lost.subList(0, Math.min(8, lost.size()))) + (lost.size() > 8 ? ", ..." : "")
                    + "): removing would lose their data; bring one of their nodes back first");
        }
    }

    private static PlanRefusedException conflict(String message) {
        return new PlanRefusedException(PlanRefusedException.Reason.CONFLICT, message);
    }

    /** The ring with learners folded away: plans are about chain members (learners are still copying). */
    static Ring membersOnly(Ring ring) {
        List<Partition> partitions = ring.partitions().stream()
                .map(p -> new Partition(p.id(), p.chain(), p.changedAt())).toList();
        return new Ring(ring.cluster(), ring.epoch(), ring.partitionCount(), ring.replication(), ring.nodes(),
                partitions, ring.minChainForWrites());
    }

    /** Keys and bytes of a partition, from its tail's report (else any member's). */
    private static long[] estimate(Partition p, Map<NodeId, ReplicaReport> reports) {
        List<NodeId> members = new ArrayList<>(p.chain().members());
        java.util.Collections.reverse(members);
        for (NodeId m : members) {
            Optional<ReplicaReport.PartitionFigures> f = ReplicaReport.figures(reports, m, p.id());
            if (f.isPresent()) {
                return new long[] {f.get().keys(), f.get().dataBytes()};
            }
        }
        return new long[] {0, 0};
    }

    /**
     * The fewest replica moves any balanced plan needs: per partition, the larger of the replicas
     * leaving it and the replicas missing below R'; for a join at least every newcomer's ⌊QR'/N⌋
     * share plus the Q·R' mod N extra replicas the nodes already holding some cannot take.
     */
    static int lowerBound(Ring ring, PlanAction action, List<NodeId> nodes, List<NodeInfo> after) {
        int n = (int) after.stream().filter(x -> x.state().holdsReplicas()).count();
        int rPrime = Math.min(ring.replication(), n);
        int perPartition = 0;
        for (Partition p : ring.partitions()) {
            List<NodeId> members = p.chain().members();
            long kept = members.stream().filter(m -> action == PlanAction.ADD || !nodes.contains(m)).count();
            long removed = members.size() - kept;
            long missing = Math.max(0, rPrime - kept);
            perPartition += (int) Math.max(removed, missing);
        }
        if (action == PlanAction.ADD) {
            // every newcomer gets at least the floor share; the Q·R' mod N extra replicas go to the
            // nodes that hold replicas already, and only what they cannot take falls to newcomers
            int total = ring.partitionCount() * rPrime;
            int extras = total % n;
            int newcomerExtras = Math.max(0, extras - (n - nodes.size()));
            return Math.max(perPartition, nodes.size() * (total / n) + newcomerExtras);
        }
        return perPartition;
    }

    private static String verb(PlanAction action) {
        return switch (action) {
            case ADD -> "adding";
            case DECOMMISSION -> "decommissioning";
            case REMOVE -> "removing";
        };
    }

    /** A short stable id of (ring epoch, action, nodes, target chains). */
    static String digest(long epoch, PlanAction action, List<NodeId> nodes, List<Chain> target) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((epoch + "|" + action + "|" + nodes + "|").getBytes(StandardCharsets.UTF_8));
            for (Chain c : target) {
                sha.update((c.members() + ";").getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha.digest(), 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
