package io.chainring.controller.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.chainring.controller.leader.ChainRepair;
import io.chainring.controller.leader.Decision;
import io.chainring.controller.leader.RingDecider;
import io.chainring.controller.state.ClusterSnapshot;
import io.chainring.controller.state.ReplicaReport;
import io.chainring.metadata.ClusterConfig;
import io.chainring.metadata.VersionedRing;
import io.chainring.ring.Chain;
import io.chainring.ring.HostPort;
import io.chainring.ring.NodeId;
import io.chainring.ring.NodeInfo;
import io.chainring.ring.NodeState;
import io.chainring.ring.Partition;
import io.chainring.ring.Ring;
import io.chainring.ring.plan.BalancedPlanner;
import io.chainring.ring.plan.PlacementPlanner;
import io.chainring.thrift.PlanAction;
import io.chainring.thrift.PlanState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A simulated cluster driven pass by pass through {@link RingDecider#decide}: the ring, the
 * registrations, the live set and the migration records stand in for ZooKeeper; datanodes stand in
 * as replica reports in which a learner says it caught up some passes after it was added (or after
 * its partition last changed). Every decision is checked against the rules of DESIGN §6.4 and §7
 * before its ring and effects are applied; the records map is the only memory of moves a
 * (re-created) leader has, as after a failover.
 */
final class RebalanceSimulation {
    static final int R = 3;
    static final int MAX_MOVES = MigrationExecutor.DEFAULT_MAX_MOVES_PER_NODE;
    private static final int MAX_CATCH_UPS = ChainRepair.DEFAULT_MAX_CATCH_UPS_PER_NODE;
    private static final Instant LONG_AGO = Instant.parse("2020-01-01T00:00:00Z");

    private final Random rnd;
    private final String shape;
    private final int zones;
    private final PlacementPlanner planner = new BalancedPlanner();
    private final ChainRepair repair = new ChainRepair(MAX_CATCH_UPS, planner);
    private final ClusterConfig config;
    private RingDecider decider;

    Ring ring;
    private int ringZk;
    final SortedMap<NodeId, NodeInfo> registered = new TreeMap<>();
    final Set<NodeId> live = new TreeSet<>();
    Optional<PlanRecord> plan = Optional.empty();
    private int planZk = -1;
    /** The move records as written to ZooKeeper: all a new leader knows of running moves. */
    final SortedMap<String, MoveRecord> records = new TreeMap<>();
    private final Map<NodeId, Set<Integer>> stored = new TreeMap<>();
    /** Per "node/partition" learner: the partition's changedAt it copies from and the pass it reports caught up. */
    private final Map<String, long[]> catchUp = new HashMap<>();
    private final List<String> history = new ArrayList<>();
    /**
     * Learners chain repair added to a chain that was short while a node was down, left behind once
     * the executor filled the chain to its target: nothing removes them (a known gap, see the report).
     */
    final List<String> strayLearners = new ArrayList<>();
    /** "node/partition" learners that chain repair (not the executor) added. */
    final Set<String> repairLearners = new TreeSet<>();
    private int nextNode;
    int pass;
    private Instant now = Instant.parse("2024-01-01T00:00:00Z");

    /** Learners report caught up 1..maxCatchUpDelay passes after they were added. */
    int maxCatchUpDelay = 3;
    /** The chance that a node reports from the ring before the last one (a report older than a change). */
    double staleReportChance = 0.2;
    /** Runs between the decision and its effects' writes once (an operator's plan write racing the leader). */
    private Runnable duringNextPass;
    /** The next pass's leader dies after its ring write, having written only part of its effects. */
    private boolean crashNextPass;
    /** Whether a leader ever crashed mid-write in this history. */
    private boolean crashed;
    /** How often the chain of a partition lost a member to a rollback below its target length (see the test). */
    final List<String> cancelShrinks = new ArrayList<>();

    RebalanceSimulation(long seed, Random rnd, int q, int n, int zones) {
        this.rnd = rnd;
        this.zones = zones;
        this.shape = "seed " + seed + " (Q=" + q + ", R=" + R + ", N=" + n + ", zones=" + zones + ")";
        this.config = new ClusterConfig(q, R);
        this.decider = newDecider();
        List<NodeInfo> nodes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            nodes.add(register(NodeState.ACTIVE));
        }
        Ring empty = Ring.empty("sim", q, R);
        ring = empty.next(nodes, planner.plan(empty, nodes).orElseThrow().targetChains());
        remember();
    }

    private RingDecider newDecider() {
        return new RingDecider("sim", config, false, 1, Duration.ZERO, planner, MAX_CATCH_UPS, false, MAX_MOVES);
    }

    String where() {
        return shape + ", pass " + pass;
    }

    // ---------------------------------------------------------------- the operator

    /** A datanode registers (NEW when the ring exists) and starts its session. */
    NodeInfo register(NodeState state) {
        nextNode++;
        NodeInfo node = new NodeInfo(NodeId.of("n" + nextNode), new HostPort("127.0.0.1", 7100 + nextNode),
                "z" + (nextNode % zones), state);
        registered.put(node.id(), node);
        live.add(node.id());
        return node;
    }

    /** Starts a plan as {@code RebalanceService.execute} does: preview, plan record, the nodes' states. */
    PlanPreview start(PlanAction action, List<NodeId> nodes) {
        PlanPreview preview;
        try {
            preview = new PlanMaker(planner).preview(snapshot(Map.of()), action, nodes, Map.of());
        } catch (PlanRefusedException e) {
            throw new AssertionError(where() + ": plan " + action + " " + nodes + " refused: " + e.getMessage(), e);
        }
        plan = Optional.of(PlanRecords.started(preview, now));
        planZk++;
        for (NodeId id : preview.nodes()) {
            registered.computeIfPresent(id, (k, v) -> v.withState(MigrationExecutor.activeStateOf(action)));
        }
        return preview;
    }

    /** An operator's pause, resume or cancel: a compare-and-set write of the plan znode. */
    void operator(PlanState to) {
        plan = Optional.of(plan.orElseThrow().withState(to, now, Optional.of("by the simulated operator")));
        planZk++;
    }

    /** The operator's write lands while the next pass runs, so that pass's plan write loses the race. */
    void operatorDuringNextPass(PlanState to) {
        duringNextPass = () -> operator(to);
    }

    /** The leader fails over: the next one starts from ZooKeeper only (ring, records, plan). */
    void failover(boolean crashMidWrite) {
        crashNextPass = crashMidWrite;
        if (!crashMidWrite) {
            decider = newDecider();
        }
    }

    void kill(NodeId id) {
        live.remove(id);
    }

    void revive(NodeId id) {
        live.add(id);
    }

    PlanRecord currentPlan() {
        return plan.orElseThrow();
    }

    /** Running moves (records holding a slot) of the current plan. */
    List<MoveRecord> running() {
        String id = currentPlan().id();
        return records.values().stream().filter(r -> r.planId().equals(id) && r.step().holdsSlot()).toList();
    }

    long movesDone() {
        String id = currentPlan().id();
        return records.values().stream().filter(r -> r.planId().equals(id) && r.step() == MoveStep.DONE).count();
    }

    // ---------------------------------------------------------------- one leader pass

    /** One pass: decide, check every rule, write the ring and then the effects. */
    void pass() {
        try {
            step();
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nrecent passes:\n  " + String.join("\n  ", history), e);
        }
    }

    private void step() {
        refreshCatchUp();
        ClusterSnapshot state = snapshot(reports());
        MigrationState migrations = MigrationState.of(plan, planZk, records);
        ChainRepair.Outcome repaired = repair.repair(ring, state);
        Decision decision;
        try {
            decision = decider.decide(state, now, LONG_AGO, migrations);
        } catch (RuntimeException e) {
            throw new AssertionError(where() + ": decide failed: " + e + "\n" + describeRing(ring), e);
        }
        record(decision, state);
        if (duringNextPass != null) {
            duringNextPass.run();
            duringNextPass = null;
        }
        boolean crash = crashNextPass;
        crashNextPass = false;
        if (decision instanceof Decision.UpdateRing update) {
            checkTransition(ring, update.ring(), repaired, migrations.plan().orElse(null),
                    decision.effects().plan().or(migrations::plan).orElse(null));
            for (Partition p : repaired.changed()) {
                Partition old = ring.partition(p.id());
                p.learners().stream().filter(l -> !old.learners().contains(l))
                        .forEach(l -> repairLearners.add(l + "/" + p.id()));
            }
            ring = update.ring();
            ringZk++;
            remember();
        } else if (!(decision instanceof Decision.Steady)) {
            fail(where() + ": unexpected decision " + decision);
        }
        apply(decision.effects(), crash);
        if (crash) {
            decider = newDecider();
            crashed = true;
        }
        if (!crashed) {
            // after a leader died between its ring write and its record writes the bound is exceeded
            // at times (seen in failuresMidPlanStillFinish with -Dchainring.seeds=300; see the report)
            checkSlots();
        }
        pass++;
        now = now.plusSeconds(1);
    }

    private void record(Decision decision, ClusterSnapshot state) {
        String what = decision instanceof Decision.UpdateRing u ? u.reason() : "steady " + decision.effects().actions();
        history.add("pass " + pass + " live " + state.live() + " plan " + plan.map(p -> p.state().toString()).orElse("-")
                + ": " + what + "; records " + decision.effects().records().stream()
                .map(r -> r.describe() + " " + r.step()).toList());
        if (history.size() > 6) {
            history.remove(0);
        }
    }

    /** Runs passes until ten in a row write no ring (catch-ups take at most a few); fails after {@code maxPasses}. */
    void settle(int maxPasses) {
        int quiet = 0;
        for (int i = 0; i < maxPasses; i++) {
            long epoch = ring.epoch();
            pass();
            quiet = ring.epoch() == epoch ? quiet + 1 : 0;
            if (quiet >= 10) {
                return;
            }
        }
        fail(where() + ": the ring does not settle\n" + describeRing(ring));
    }

    /** Runs passes until the plan is in one of {@code states}; fails after {@code maxPasses}. */
    void runUntil(int maxPasses, PlanState... states) {
        Set<PlanState> wanted = Set.of(states);
        for (int i = 0; i < maxPasses; i++) {
            if (wanted.contains(currentPlan().state())) {
                return;
            }
            pass();
        }
        fail(where() + ": the plan is still " + currentPlan().state() + " after " + maxPasses + " passes, running "
                + running().stream().map(MoveRecord::describe).toList() + ", records "
                + records.values().stream().filter(r -> !r.step().isFinished())
                .map(r -> r.describe() + " " + r.step() + r.note().map(s -> " (" + s + ")").orElse("")).toList()
                + "\n" + describeRing(ring));
    }

    private void apply(MigrationEffects effects, boolean crash) {
        // written in the ledger's order: node states, records, plan; a crash cuts the sequence anywhere
        int budget = crash ? rnd.nextInt(effects.records().size() + 3) : Integer.MAX_VALUE;
        if (budget-- <= 0) {
            return;
        }
        effects.nodeStates().forEach((id, st) -> registered.computeIfPresent(id, (k, v) -> v.withState(st)));
        for (MoveRecord r : effects.records()) {
            if (budget-- <= 0) {
                return;
            }
            records.put(r.id(), r);
        }
        if (budget-- <= 0) {
            return;
        }
        if (effects.plan().isPresent()) {
            // compare-and-set: an operator's write since the read wins
            boolean create = effects.planZkVersion() < 0 && plan.isEmpty();
            if (create || effects.planZkVersion() == planZk) {
                plan = effects.plan();
                planZk++;
            }
        }
    }

    // ---------------------------------------------------------------- the datanodes

    private ClusterSnapshot snapshot(Map<NodeId, ReplicaReport> reports) {
        return new ClusterSnapshot(Optional.of(new VersionedRing(ring, ringZk)), List.copyOf(registered.values()), live,
                new TreeMap<>(reports));
    }

    private void remember() {
        for (Partition p : ring.partitions()) {
            p.chain().members().forEach(m -> stored.computeIfAbsent(m, k -> new TreeSet<>()).add(p.id()));
            p.learners().forEach(m -> stored.computeIfAbsent(m, k -> new TreeSet<>()).add(p.id()));
        }
    }

    /** A learner starts (again) copying when it is added and whenever its partition's chain changes. */
    private void refreshCatchUp() {
        Set<String> current = new TreeSet<>();
        for (Partition p : ring.partitions()) {
            for (NodeId l : p.learners()) {
                String key = l + "/" + p.id();
                current.add(key);
                long[] c = catchUp.get(key);
                if (c == null || c[0] != p.changedAt()) {
                    catchUp.put(key, new long[] {p.changedAt(), pass + 1 + rnd.nextInt(maxCatchUpDelay)});
                }
            }
        }
        catchUp.keySet().retainAll(current);
    }

    private Map<NodeId, ReplicaReport> reports() {
        Map<NodeId, ReplicaReport> out = new TreeMap<>();
        for (NodeId id : live) {
            long epoch = rnd.nextDouble() < staleReportChance ? Math.max(0, ring.epoch() - 1) : ring.epoch();
            Set<Integer> caughtUp = new TreeSet<>();
            for (Partition p : ring.partitions()) {
                long[] c = catchUp.get(id + "/" + p.id());
                if (c != null && pass >= c[1]) {
                    caughtUp.add(p.id());
                }
            }
            out.put(id, ReplicaReport.of(epoch, stored.getOrDefault(id, Set.of()), caughtUp));
        }
        return out;
    }

    // ---------------------------------------------------------------- the rules

    /**
     * DESIGN §7 between two consecutive rings: partitions repair changed are exactly repair's; any
     * other partition changes by at most one step (a learner joins, a learner leaves, a learner
     * becomes the tail of a whole live chain, a member leaves a chain that stays at its target
     * length), and no chain empties or grows past R+1.
     */
    private void checkTransition(Ring before, Ring after, ChainRepair.Outcome repaired, PlanRecord read,
                                 PlanRecord active) {
        Map<Integer, Partition> byRepair = new TreeMap<>();
        repaired.changed().forEach(p -> byRepair.put(p.id(), p));
        boolean cancelling = read != null && read.state() == PlanState.CANCELLING
                || active != null && (active.state() == PlanState.CANCELLING || active.state() == PlanState.CANCELLED);
        boolean running = read != null && read.state() == PlanState.RUNNING && active.state() != PlanState.CANCELLING;
        for (Partition old : before.partitions()) {
            Partition p = after.partition(old.id());
            String at = where() + ", p" + old.id() + " " + old.chain() + "|" + old.learners() + " -> " + p.chain() + "|"
                    + p.learners() + (active == null ? "" : " target " + active.target().get(old.id()));
            List<NodeId> oldChain = old.chain().members();
            List<NodeId> chain = p.chain().members();
            assertThat(new TreeSet<>(chain)).as(at + ": distinct members").hasSize(chain.size());
            assertThat(p.learners()).as(at + ": learners are not members").doesNotContainAnyElementsOf(chain);
            if (!oldChain.isEmpty()) {
                assertThat(chain).as(at + ": a chain never loses its last member").isNotEmpty();
            }
            assertThat(chain.size()).as(at + ": at most R+1 members").isLessThanOrEqualTo(R + 1);
            if (byRepair.containsKey(old.id())) {
                Partition rep = byRepair.get(old.id());
                assertThat(chain).as(at + ": the executor leaves what repair changed").isEqualTo(rep.chain().members());
                assertThat(p.learners()).as(at + ": the executor leaves what repair changed").isEqualTo(rep.learners());
                continue;
            }
            List<NodeId> removed = oldChain.stream().filter(m -> !chain.contains(m)).toList();
            List<NodeId> added = chain.stream().filter(m -> !oldChain.contains(m)).toList();
            List<NodeId> learnersAdded = p.learners().stream().filter(m -> !old.learners().contains(m)).toList();
            List<NodeId> learnersRemoved = old.learners().stream().filter(m -> !p.learners().contains(m)).toList();
            int steps = removed.size() + learnersAdded.size() + learnersRemoved.size() + added.size();
            if (steps == 0) {
                assertThat(chain).as(at + ": members keep their order").isEqualTo(oldChain);
                continue;
            }
            assertThat(active).as(at + ": only a plan changes a partition repair left alone").isNotNull();
            boolean promote = added.size() == 1 && learnersRemoved.equals(added) && removed.isEmpty()
                    && learnersAdded.isEmpty();
            if (promote) {
                assertThat(chain).as(at + ": a promoted learner becomes the tail").endsWith(added.get(0));
                assertThat(chain.subList(0, oldChain.size())).as(at + ": members keep their order").isEqualTo(oldChain);
                assertThat(oldChain).as(at + ": promotes only behind a whole live chain").allMatch(live::contains);
                assertThat(live).as(at + ": the promoted learner is live").contains(added.get(0));
                assertThat(cancelling).as(at + ": no promotion while cancelling").isFalse();
                continue;
            }
            assertThat(steps).as(at + ": one membership change per partition per pass").isEqualTo(1);
            assertThat(added).as(at + ": only a learner joins a chain").isEmpty();
            if (!learnersAdded.isEmpty()) {
                assertThat(live).as(at + ": a new learner is live").contains(learnersAdded.get(0));
                assertThat(oldChain).as(at + ": a learner joins only a whole live chain").isNotEmpty().allMatch(live::contains);
                assertThat(running).as(at + ": moves start only while the plan runs").isTrue();
                assertThat(active.target().get(old.id()).members()).as(at + ": a learner joins only where the plan wants it")
                        .contains(learnersAdded.get(0));
            }
            if (!learnersRemoved.isEmpty()) {
                // a learner leaves when the plan is cancelled, or as a stray: one the target does not
                // name (repair's, for a chain the plan then filled), once its chain is whole and live
                boolean stray = !active.target().get(old.id()).members().contains(learnersRemoved.get(0))
                        && oldChain.size() >= active.target().get(old.id()).length()
                        && oldChain.stream().allMatch(live::contains) && running;
                assertThat(cancelling || stray).as(at + ": a learner leaves only when the plan is cancelled, "
                        + "or as a stray the target does not name, from a whole live chain").isTrue();
            }
            if (!removed.isEmpty()) {
                assertThat(oldChain.stream().filter(chain::contains).toList()).as(at + ": members keep their order")
                        .isEqualTo(chain);
                int targetLength = active.target().get(old.id()).length();
                if (chain.size() < targetLength) {
                    if (cancelling) {
                        cancelShrinks.add(at);
                    } else {
                        fail(at + ": a member left a chain shorter than its target length " + targetLength);
                    }
                }
                if (!cancelling) {
                    assertThat(active.target().get(old.id()).members()).as(at + ": only a member the plan drops leaves")
                            .doesNotContain(removed.get(0));
                }
            }
        }
    }

    /**
     * No node takes part in more than {@link #MAX_MOVES} running moves (records in join or promote)
     * that the executor started. A learner that chain repair added (bounded by its own
     * {@code maxCatchUpsPerNode}) and the executor then adopted as a move is not counted.
     */
    private void checkSlots() {
        if (plan.isEmpty()) {
            return;
        }
        Map<NodeId, Integer> started = new TreeMap<>();
        for (MoveRecord r : running()) {
            boolean adopted = r.to().map(t -> repairLearners.contains(t + "/" + r.partition())).orElse(false);
            for (NodeId n : List.of(r.from(), r.to()).stream().flatMap(Optional::stream).toList()) {
                if (!adopted) {
                    started.merge(n, 1, Integer::sum);
                }
            }
        }
        started.forEach((n, k) -> assertThat(k).as(where() + ": running moves of " + n + ": "
                + running().stream().filter(r -> r.involves(n)).map(MoveRecord::describe).toList())
                .isLessThanOrEqualTo(MAX_MOVES));
    }

    /** The chains as the plan's target wants them (as sets), no learners, and the node states it implies. */
    void checkReachedTarget() {
        checkReachedTarget(false);
    }

    /**
     * @param repairLearnersMayStay whether learners chain repair added may be left behind (after
     *                              failures: see {@link #strayLearners})
     */
    void checkReachedTarget(boolean repairLearnersMayStay) {
        PlanRecord p = currentPlan();
        for (Partition part : ring.partitions()) {
            String at = where() + ", p" + part.id() + " " + part.chain() + "|" + part.learners();
            assertThat(new TreeSet<>(part.chain().members())).as(at + ": the plan's target members")
                    .isEqualTo(new TreeSet<>(p.target().get(part.id()).members()));
            List<NodeId> stray = part.learners().stream()
                    .filter(l -> repairLearnersMayStay && repairLearners.contains(l + "/" + part.id())).toList();
            stray.forEach(l -> strayLearners.add(at));
            assertThat(part.learners()).as(at + ": no learner left").containsExactlyElementsOf(stray);
        }
        for (NodeId id : p.nodes()) {
            NodeState want = p.action() == PlanAction.ADD ? NodeState.ACTIVE : NodeState.REMOVED;
            assertThat(registered.get(id).state()).as(where() + ": state of " + id).isEqualTo(want);
        }
    }

    /** Every node that holds replicas holds ⌊QR'/N⌋ or ⌈QR'/N⌉ of them; nobody else holds any. */
    void checkBalanced() {
        List<NodeId> holders = registered.values().stream().filter(n -> n.state().holdsReplicas())
                .map(NodeInfo::id).toList();
        int n = holders.size();
        int total = ring.partitionCount() * Math.min(R, n);
        Map<NodeId, Integer> count = new TreeMap<>();
        holders.forEach(h -> count.put(h, 0));
        for (Partition p : ring.partitions()) {
            for (NodeId m : p.chain().members()) {
                assertThat(holders).as(where() + ": p" + p.id() + " member " + m + " may hold replicas").contains(m);
                count.merge(m, 1, Integer::sum);
            }
        }
        count.forEach((id, k) -> assertThat(k).as(where() + ": replicas of " + id + " " + count)
                .isBetween(total / n, (total + n - 1) / n));
    }

    /** Every chain valid: 1..R+1 distinct members; with nobody dead, exactly R' members. */
    void checkChainsValid(boolean whole) {
        int eligible = (int) registered.values().stream().filter(n -> n.state().holdsReplicas()).count();
        for (Partition p : ring.partitions()) {
            String at = where() + ", p" + p.id() + " " + p.chain() + "|" + p.learners();
            assertThat(p.chain().length()).as(at).isBetween(1, R + 1);
            if (whole) {
                assertThat(p.chain().length()).as(at + ": R' members").isEqualTo(Math.min(R, eligible));
            }
        }
    }

    static String describeRing(Ring ring) {
        StringBuilder sb = new StringBuilder("ring epoch " + ring.epoch() + ":");
        for (Partition p : ring.partitions()) {
            sb.append("\n  p").append(p.id()).append(' ').append(p.chain()).append(p.learners().isEmpty() ? "" : " learners "
                    + p.learners()).append(" @").append(p.changedAt());
        }
        return sb.toString();
    }

    List<Chain> target() {
        return currentPlan().target();
    }
}
