package io.chainring.controller.leader;

import io.chainring.controller.state.ClusterSnapshot;
import io.chainring.ring.Chain;
import io.chainring.ring.NodeId;
import io.chainring.ring.NodeInfo;
import io.chainring.ring.Partition;
import io.chainring.ring.Ring;
import io.chainring.ring.plan.NoPlan;
import io.chainring.ring.plan.PlacementPlanner;
import io.chainring.ring.plan.Plan;
import io.chainring.ring.plan.PlanResult;
import io.chainring.ring.plan.RingDraft;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Chain repair (DESIGN §6.4) as a pure function of the ring and what the read stage saw. Three
 * steps, all landing in one ring write:
 * <ol>
 *   <li><b>Drop</b> every node whose live znode is gone (its session expired, so it stopped
 *       serving: the lease) from every chain and learner list, keeping the order of the rest:
 *       head lost → the successor is head; tail lost → the predecessor is tail; middle lost → the
 *       predecessor links to the successor. The last member of a chain is never dropped: a
 *       chain whose members are all down keeps its head (upstream holds a superset of
 *       downstream, so the head has every write any member had) and stays unavailable until it
 *       returns, rather than coming back from a stale replica.</li>
 *   <li><b>Promote</b> one learner per partition to tail when it reported itself caught up at a
 *       ring epoch no older than the partition's last change, the chain is below R, and every
 *       chain member is live (so the tail it copied from still stands). Only learners join a
 *       chain, always at its end; members keep their order.</li>
 *   <li><b>Restore R</b>: a partition whose chain and learners together are fewer than R gets a
 *       learner behind its live tail — a live eligible node that stores the partition already
 *       (a restarted node: cheap catch-up), else the node the placement planner would fill the
 *       chain with, else the least loaded; zones the chain lacks first. A node catches up on at
 *       most {@code maxCatchUpsPerNode} partitions at once; the shortest chains go first.</li>
 * </ol>
 * Deterministic: partitions in id order, candidates by a total order. Chains longer than R (a
 * move caught between promote and drop, §7) are left alone.
 */
public final class ChainRepair {
    /** A returning node catches up on this many partitions at once unless configured otherwise. */
    public static final int DEFAULT_MAX_CATCH_UPS_PER_NODE = 8;
    private static final int LISTED = 8;

    private final int maxCatchUpsPerNode;
    private final PlacementPlanner planner;

    public ChainRepair(int maxCatchUpsPerNode, PlacementPlanner planner) {
        if (maxCatchUpsPerNode < 1) {
            throw new IllegalArgumentException("maxCatchUpsPerNode must be at least 1: " + maxCatchUpsPerNode);
        }
        this.maxCatchUpsPerNode = maxCatchUpsPerNode;
        this.planner = Objects.requireNonNull(planner, "planner");
    }

    /**
     * What repair wants written.
     *
     * @param changed  partitions with new members (chain and learners), for {@link Ring#nextWithPartitions}
     * @param newNodes registered nodes used as learners that the ring's node table lacks
     * @param actions  what changed, for the log
     * @param stuck    what repair cannot do now and why (unchanged while the cluster is)
     */
    public record Outcome(List<Partition> changed, List<NodeInfo> newNodes, List<String> actions, List<String> stuck) {
        public Outcome {
            changed = List.copyOf(changed);
            newNodes = List.copyOf(newNodes);
            actions = List.copyOf(actions);
            stuck = List.copyOf(stuck);
        }

        public boolean isEmpty() {
            return changed.isEmpty();
        }
    }

    public Outcome repair(Ring ring, ClusterSnapshot state) {
        return new Pass(ring, state).run();
    }

    /** One repair computation: the working copy of every partition's members and the counters. */
    private final class Pass {
        private final Ring ring;
        private final ClusterSnapshot state;
        private final int r;
        private final RingDraft draft;
        /** Nodes that may take a replica: live, registered in a state that holds replicas. */
        private final SortedMap<NodeId, NodeInfo> eligible = new TreeMap<>();
        private final Map<NodeId, Integer> load = new TreeMap<>();
        private final Map<NodeId, Integer> catchUps = new TreeMap<>();
        private final List<String> actions = new ArrayList<>();
        private final List<String> stuck = new ArrayList<>();
        private List<Chain> plannedChains; // computed when first needed

        Pass(Ring ring, ClusterSnapshot state) {
            this.ring = ring;
            this.state = state;
            this.r = ring.replication();
            this.draft = RingDraft.of(ring.partitions());
            for (NodeInfo n : state.registered()) {
                // a node that refuses writes could not copy a replica: no new learners on it
                if (state.takesWrites(n.id()) && n.state().holdsReplicas()) {
                    eligible.put(n.id(), n);
                }
            }
        }

        Outcome run() {
            drop();
            promote();
            countLoad();
            restore();
            List<Partition> changed = draft.changed();
            SortedMap<NodeId, NodeInfo> added = new TreeMap<>();
            for (Partition p : changed) {
                for (NodeId id : p.learners()) {
                    if (!ring.nodes().containsKey(id)) {
                        added.put(id, eligible.get(id));
                    }
                }
            }
            return new Outcome(changed, List.copyOf(added.values()), actions, stuck);
        }

        // ---------------------------------------------------------------- drop

        private void drop() {
            Map<NodeId, int[]> dropped = new TreeMap<>(); // chains, heads, tails, learner lists
            List<String> keptLast = new ArrayList<>();
            List<String> refusersKept = new ArrayList<>();
            for (Partition p : ring.partitions()) {
                List<NodeId> chain = draft.chain(p.id());
                List<NodeId> alive = chain.stream().filter(state::isLive).toList();
                List<NodeId> kept = alive.isEmpty() && !chain.isEmpty() ? List.of(chain.get(0)) : alive;
                if (alive.isEmpty() && !chain.isEmpty()) {
                    keptLast.add("p" + p.id() + " (" + chain.get(0) + ")");
                }
                kept = withoutRefusers(p, kept, refusersKept);
                for (int i = 0; i < chain.size(); i++) {
                    NodeId m = chain.get(i);
                    if (!kept.contains(m)) {
                        int[] c = dropped.computeIfAbsent(m, k -> new int[4]);
                        c[0]++;
                        c[1] += i == 0 ? 1 : 0;
                        c[2] += i == chain.size() - 1 ? 1 : 0;
                    }
                }
                List<NodeId> ls = draft.learners(p.id());
                for (NodeId l : ls) {
                    if (!state.isLive(l)) {
                        dropped.computeIfAbsent(l, k -> new int[4])[3]++;
                    }
                }
                draft.retain(p.id(), new TreeSet<>(kept), ls.stream().filter(state::isLive).collect(Collectors.toSet()));
            }
            dropped.forEach((node, c) -> actions.add(node + (state.isLive(node) ? " refuses writes (" + state.writeRefusals().get(node)
                    + ")" : " is down") + ": dropped from " + c[0] + " chains (head of " + c[1] + ", tail of " + c[2] + ") and " + c[3]
                    + " learner lists"));
            if (!refusersKept.isEmpty()) {
                stuck.add(refusersKept.size() + " partitions keep a member that refuses writes (at its free-disk limit): "
                        + "without it they would have fewer than " + ring.minChainForWrites() + " members, so their writes "
                        + "are refused until it has disk space again: " + listed(refusersKept));
            }
            if (!keptLast.isEmpty()) {
                stuck.add(keptLast.size() + " partitions have every chain member down and stay unavailable until that "
                        + "member returns (never served from a stale replica): " + listed(keptLast));
            }
        }

        /**
         * A live member that refuses writes (at its free-disk limit) would stall every write of its
         * chain: it leaves the chain like a dead node, if the members that take writes are still
         * enough to write ({@code minChainForWrites}); otherwise the chain keeps it (fewer copies
         * would buy nothing: writes stay refused either way) and its head refuses writes with the reason.
         */
        private List<NodeId> withoutRefusers(Partition p, List<NodeId> kept, List<String> refusersKept) {
            // a dead member kept as a chain's last one is not a refuser: it is down
            List<NodeId> refusers = kept.stream().filter(m -> state.isLive(m) && !state.takesWrites(m)).toList();
            if (refusers.isEmpty()) {
                return kept;
            }
            List<NodeId> taking = kept.stream().filter(m -> !refusers.contains(m)).toList();
            if (taking.size() >= ring.minChainForWrites()) {
                return taking;
            }
            refusersKept.add("p" + p.id() + " (" + refusers.stream().map(NodeId::toString).collect(Collectors.joining(", ")) + ")");
            return kept;
        }

        // ---------------------------------------------------------------- promote

        private void promote() {
            List<String> promoted = new ArrayList<>();
            for (Partition p : ring.partitions()) {
                List<NodeId> chain = draft.chain(p.id());
                if (chain.isEmpty() || chain.size() >= r || !chain.equals(p.chain().members())
                        || !chain.stream().allMatch(state::isLive)) {
                    continue;
                }
                // one per pass: a second learner caught up from the old tail, not from the first one
                for (NodeId l : draft.learners(p.id())) {
                    boolean caughtUp = state.report(l).map(rep -> rep.caughtUpSince(p.id(), p.changedAt())).orElse(false);
                    if (caughtUp && eligible.containsKey(l)) {
                        draft.promote(p.id(), l);
                        promoted.add("p" + p.id() + " " + l);
                        break;
                    }
                }
            }
            if (!promoted.isEmpty()) {
                actions.add("promoted " + promoted.size() + " caught-up learners to tail: " + listed(promoted));
            }
        }

        // ---------------------------------------------------------------- restore R

        private void countLoad() {
            for (int p = 0; p < draft.size(); p++) {
                for (NodeId m : draft.chain(p)) {
                    load.merge(m, 1, Integer::sum);
                }
                for (NodeId l : draft.learners(p)) {
                    load.merge(l, 1, Integer::sum);
                    catchUps.merge(l, 1, Integer::sum);
                }
            }
        }

        private void restore() {
            List<Integer> order = new ArrayList<>();
            for (int p = 0; p < draft.size(); p++) {
                List<NodeId> chain = draft.chain(p);
                // a chain whose only member is down has no tail to copy from
                if (!chain.isEmpty() && state.isLive(chain.get(chain.size() - 1))
                        && chain.size() + draft.learners(p).size() < r) {
                    order.add(p);
                }
            }
            order.sort(Comparator.<Integer>comparingInt(p -> draft.chain(p).size()).thenComparingInt(p -> p));
            List<String> added = new ArrayList<>();
            List<String> noCandidate = new ArrayList<>();
            List<String> noSlot = new ArrayList<>();
            for (int p : order) {
                while (draft.chain(p).size() + draft.learners(p).size() < r) {
                    Choice choice = choose(p);
                    if (choice.node().isPresent()) {
                        NodeId n = choice.node().get();
                        draft.addLearner(p, n);
                        load.merge(n, 1, Integer::sum);
                        catchUps.merge(n, 1, Integer::sum);
                        added.add("p" + p + " " + n + choice.why());
                    } else {
                        (choice.slotsFull() ? noSlot : noCandidate).add("p" + p);
                        break;
                    }
                }
            }
            if (!added.isEmpty()) {
                actions.add("added " + added.size() + " learners: " + listed(added));
            }
            if (!noSlot.isEmpty()) {
                stuck.add(noSlot.size() + " partitions below replication " + r + " wait for a catch-up slot (at most "
                        + maxCatchUpsPerNode + " per node): " + listed(noSlot));
            }
            if (!noCandidate.isEmpty()) {
                stuck.add(noCandidate.size() + " partitions below replication " + r + " have no live eligible node "
                        + "left to add: " + listed(noCandidate));
            }
        }

        private record Choice(Optional<NodeId> node, String why, boolean slotsFull) {
        }

        private Choice choose(int p) {
            List<NodeId> chain = draft.chain(p);
            List<NodeId> ls = draft.learners(p);
            Set<String> zones = new TreeSet<>();
            chain.forEach(m -> zoneOf(m).ifPresent(zones::add));
            ls.forEach(m -> zoneOf(m).ifPresent(zones::add));
            List<NodeId> candidates = eligible.keySet().stream().filter(n -> !chain.contains(n) && !ls.contains(n)).toList();
            if (candidates.isEmpty()) {
                return new Choice(Optional.empty(), "", false);
            }
            List<NodeId> free = candidates.stream().filter(n -> catchUps.getOrDefault(n, 0) < maxCatchUpsPerNode).toList();
            Comparator<NodeId> best = Comparator.<NodeId>comparingInt(n -> zones.contains(zone(n)) ? 1 : 0)
                    .thenComparingInt(n -> load.getOrDefault(n, 0))
                    .thenComparing(Comparator.naturalOrder());
            Optional<NodeId> holder = free.stream()
                    .filter(n -> state.report(n).map(rep -> rep.stores(p)).orElse(false))
                    .min(best);
            if (holder.isPresent()) {
                return new Choice(holder, " (stores it)", false);
            }
            List<NodeId> planned = planned(p).stream().filter(candidates::contains).toList();
            if (!planned.isEmpty()) {
                // wait for the planner's node rather than unbalance the cluster with another
                Optional<NodeId> pick = planned.stream().filter(free::contains).findFirst();
                return new Choice(pick, "", pick.isEmpty());
            }
            Optional<NodeId> fallback = free.stream().min(best);
            return new Choice(fallback, "", fallback.isEmpty());
        }

        /** Nodes the planner would add to partition p's members, in its chain order. */
        private List<NodeId> planned(int p) {
            if (plannedChains == null) {
                plannedChains = plan();
            }
            List<Chain> plan = plannedChains;
            if (plan.isEmpty()) {
                return List.of();
            }
            return plan.get(p).members().stream().filter(n -> !draft.chain(p).contains(n) && !draft.learners(p).contains(n))
                    .toList();
        }

        /**
         * The planner's target chains for the cluster as it will be once every learner is
         * promoted (so learners count as the replicas they are becoming), over the eligible nodes.
         */
        private List<Chain> plan() {
            if (eligible.isEmpty()) {
                return List.of();
            }
            SortedMap<NodeId, NodeInfo> table = new TreeMap<>(ring.nodes());
            table.putAll(eligible);
            List<Partition> members = new ArrayList<>();
            for (Partition p : ring.partitions()) {
                List<NodeId> all = new ArrayList<>(draft.chain(p.id()));
                all.addAll(draft.learners(p.id()));
                members.add(new Partition(p.id(), new Chain(all.subList(0, Math.min(all.size(), r + 1))), p.changedAt()));
            }
            Ring future = new Ring(ring.cluster(), ring.epoch(), ring.partitionCount(), r, table, members,
                    ring.minChainForWrites());
            try {
                PlanResult result = planner.plan(future, eligible.values());
                if (result instanceof NoPlan none) {
                    stuck.add("no placement plan (" + none.reason() + "); new learners are the least loaded nodes");
                    return List.of();
                }
                return ((Plan) result).targetChains();
            } catch (RuntimeException e) {
                // a planner failure must not hold up drops and promotions; fill by load instead
                stuck.add("the placement planner failed (" + e + "); new learners are the least loaded nodes");
                return List.of();
            }
        }

        private Optional<String> zoneOf(NodeId id) {
            NodeInfo n = eligible.get(id);
            if (n == null) {
                n = ring.nodes().get(id);
            }
            return Optional.ofNullable(n).map(NodeInfo::zone);
        }

        private String zone(NodeId id) {
            return zoneOf(id).orElse(NodeInfo.DEFAULT_ZONE);
        }
    }

    private static String listed(List<String> items) {
        if (items.size() <= LISTED) {
            return String.join(", ", items);
        }
        return String.join(", ", items.subList(0, LISTED)) + ", ... (" + (items.size() - LISTED) + " more)";
    }

    /**
     * Used by the read stage: whether repair needs the datanodes' replica reports for this ring
     * (there is a learner to promote, or a short chain that some live eligible node could join).
     */
    public static boolean needsReports(Ring ring, ClusterSnapshot state) {
        Set<NodeId> eligible = new TreeSet<>();
        for (NodeInfo n : state.registered()) {
            if (state.takesWrites(n.id()) && n.state().holdsReplicas()) {
                eligible.add(n.id());
            }
        }
        for (Partition p : ring.partitions()) {
            // learners to promote, or a move's promoted target whose source waits to be dropped
            if (!p.learners().isEmpty() || p.chain().length() > ring.replication()) {
                return true;
            }
            List<NodeId> live = p.chain().members().stream().filter(state::isLive).toList();
            if (!live.isEmpty() && live.size() < ring.replication() && !live.containsAll(eligible)) {
                return true;
            }
        }
        return false;
    }

    /** The nodes worth asking for reports: the live ones that may hold replicas or that the ring names. */
    public static Set<NodeId> reportTargets(Ring ring, ClusterSnapshot state) {
        Set<NodeId> out = new TreeSet<>();
        for (NodeInfo n : state.registered()) {
            if (state.isLive(n.id()) && (n.state().holdsReplicas() || ring.nodes().containsKey(n.id()))) {
                out.add(n.id());
            }
        }
        return out;
    }
}
