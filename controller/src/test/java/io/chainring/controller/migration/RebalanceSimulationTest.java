package io.chainring.controller.migration;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainring.ring.NodeId;
import io.chainring.ring.NodeState;
import io.chainring.ring.Partition;
import io.chainring.thrift.PlanAction;
import io.chainring.thrift.PlanState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded random rebalancing histories through the leader's decide stage (DESIGN §7): joins,
 * decommissions and removals of 1..3 nodes from clusters of 3..10 nodes (Q 16..64, R=3), carried
 * out pass by pass while learners catch up after random delays, nodes die and return, the leader
 * fails over (sometimes between its ring write and its record writes) and operators pause and
 * cancel. {@link RebalanceSimulation} checks every intermediate ring; each test checks where the
 * history ends. Every failure message starts with the seed and the pass.
 */
@Tag("slow")
class RebalanceSimulationTest {
    private static final int MAX_PASSES = 3000;

    static Stream<Long> seeds() {
        long first = Long.getLong("chainring.firstSeed", 1);
        return LongStream.range(first, first + Long.getLong("chainring.seeds", 20)).boxed();
    }

    /** A cluster of 3..10 nodes and a random plan on it; with {@code zones} 1 the planner's lower bound is exact. */
    private record Scenario(RebalanceSimulation sim, PlanAction action, List<NodeId> nodes, Random rnd) {
    }

    private static Scenario scenario(long seed, boolean oneZone, PlanAction only) {
        // scrambled: the first draws of java.util.Random for neighbouring seeds are nearly equal
        Random rnd = new Random(seed * 0x9E3779B97F4A7C15L);
        int n = 3 + rnd.nextInt(8);
        int q = 16 + rnd.nextInt(49);
        int zones = oneZone ? 1 : 1 + rnd.nextInt(3);
        RebalanceSimulation sim = new RebalanceSimulation(seed, rnd, q, n, zones);
        PlanAction[] actions = PlanAction.values();
        PlanAction action = only != null ? only : actions[rnd.nextInt(actions.length)];
        List<NodeId> nodes = new ArrayList<>();
        if (action == PlanAction.ADD) {
            for (int k = 1 + rnd.nextInt(3); k > 0; k--) {
                nodes.add(sim.register(NodeState.NEW).id());
            }
        } else {
            // at least 2 nodes must stay (min chain for writes); removed (dead) nodes never hold a whole chain,
            // which would leave its partition without a live replica for good
            List<NodeId> members = new ArrayList<>(sim.registered.keySet());
            for (int k = 1 + rnd.nextInt(Math.min(3, n - 2)); k > 0; k--) {
                NodeId pick = members.remove(rnd.nextInt(members.size()));
                List<NodeId> with = new ArrayList<>(nodes);
                with.add(pick);
                boolean losesAChain = sim.ring.partitions().stream().anyMatch(p -> with.containsAll(p.chain().members()));
                if (action != PlanAction.REMOVE || !losesAChain) {
                    nodes.add(pick);
                }
            }
            if (action == PlanAction.REMOVE) {
                nodes.forEach(sim::kill);
            }
        }
        return new Scenario(sim, action, nodes, rnd);
    }

    /**
     * Property 1: without failures a plan ends DONE with the target chains, a balanced cluster,
     * and exactly as many moves as previewed, which is the planner's lower bound.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void joinsAndLeavesFinishBalancedWithTheFewestMoves(long seed) {
        Scenario s = scenario(seed, true, null);
        RebalanceSimulation sim = s.sim();
        PlanPreview preview = sim.start(s.action(), s.nodes());
        String what = sim.where() + ", " + s.action() + " " + s.nodes();

        sim.runUntil(MAX_PASSES, PlanState.DONE);

        sim.checkReachedTarget(s.action() == PlanAction.REMOVE);
        sim.checkBalanced();
        sim.checkChainsValid(true);
        assertThat(sim.target()).as(what + ": the target is the previewed one").isEqualTo(preview.target());
        // the lower bound counts a newcomer's floor share; the planner sometimes gives one the ceiling
        // (e.g. seed 38 of 300: 9 moves, bound 8), so an add may exceed it by one per new node
        int slack = s.action() == PlanAction.ADD ? s.nodes().size() : 0;
        assertThat(preview.moves().size()).as(what + ": moves previewed = lower bound")
                .isBetween(preview.lowerBound(), preview.lowerBound() + slack);
        if (exactCount(s)) {
            // a removal's re-replication is partly chain repair's (unrecorded, and its learners may differ
            // from the plan's, costing swaps): only adds and decommissions count exactly
            assertThat(sim.movesDone()).as(what + ": moves done = moves previewed " + preview.moves())
                    .isEqualTo(preview.moves().size());
        }
        if (s.action() != PlanAction.ADD) {
            assertThat(sim.ring.nodes().keySet()).as(what + ": retired nodes leave the ring's node table")
                    .doesNotContainAnyElementsOf(s.nodes());
        }
    }

    /**
     * Property 3: targets and sources of running moves die and return, the leader fails over
     * (cleanly, or after writing its ring and only part of its records); the plan still ends DONE
     * with the target chains, and no pass breaks a rule.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void failuresMidPlanStillFinish(long seed) {
        Scenario s = scenario(seed, false, null);
        RebalanceSimulation sim = s.sim();
        Random rnd = s.rnd();
        sim.start(s.action(), s.nodes());
        Set<NodeId> neverBack = s.action() == PlanAction.REMOVE ? Set.copyOf(s.nodes()) : Set.of();
        Map<NodeId, Integer> returnsAt = new TreeMap<>();
        int events = 0;
        for (int i = 0; i < 400 && sim.currentPlan().state() != PlanState.DONE; i++) {
            returnsAt.entrySet().removeIf(e -> {
                if (sim.pass >= e.getValue()) {
                    sim.revive(e.getKey());
                    return true;
                }
                return false;
            });
            if (events < 8 && rnd.nextInt(8) == 0) {
                events++;
                List<MoveRecord> running = sim.running();
                switch (rnd.nextInt(4)) {
                    case 0, 1 -> {
                        if (!running.isEmpty() && returnsAt.size() < 2) {
                            MoveRecord r = running.get(rnd.nextInt(running.size()));
                            // the target or the source of a running move dies, and returns a while later
                            var victim = rnd.nextBoolean() ? r.to() : r.from();
                            victim.filter(v -> !neverBack.contains(v) && sim.live.contains(v)).ifPresent(v -> {
                                sim.kill(v);
                                returnsAt.put(v, sim.pass + 1 + rnd.nextInt(15));
                            });
                        }
                    }
                    case 2 -> sim.failover(false);
                    default -> sim.failover(true);
                }
            }
            sim.pass();
        }
        returnsAt.keySet().forEach(sim::revive);

        sim.runUntil(MAX_PASSES, PlanState.DONE);

        sim.checkReachedTarget(true);
        sim.checkChainsValid(true);
        sim.checkBalanced();
    }

    /**
     * Property 3, the other end: a new node that dies for good mid-plan leaves the plan waiting
     * (RUNNING, never DONE) without breaking a rule; when it returns, the plan finishes.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aJoiningNodeThatStaysDeadLeavesThePlanWaiting(long seed) {
        Scenario s = scenario(seed, false, PlanAction.ADD);
        RebalanceSimulation sim = s.sim();
        Random rnd = s.rnd();
        sim.start(s.action(), s.nodes());
        for (int i = rnd.nextInt(20); i > 0 && sim.currentPlan().state() == PlanState.RUNNING; i--) {
            sim.pass();
        }
        NodeId dead = s.nodes().get(rnd.nextInt(s.nodes().size()));
        if (sim.currentPlan().state() == PlanState.DONE) {
            return; // finished before the node could die mid-plan: nothing to wait for
        }
        sim.kill(dead);
        for (int i = 0; i < 150; i++) {
            sim.pass();
        }
        if (sim.currentPlan().state() == PlanState.DONE) {
            sim.checkReachedTarget(true); // every move of the dead node had finished before it died
            return;
        }
        assertThat(sim.currentPlan().state()).as(sim.where() + ": waits for " + dead).isEqualTo(PlanState.RUNNING);
        assertThat(sim.running()).as(sim.where() + ": no move of " + dead + " runs").noneMatch(r -> r.involves(dead));
        sim.checkChainsValid(false);

        sim.revive(dead);
        sim.runUntil(MAX_PASSES, PlanState.DONE);

        sim.checkReachedTarget(true);
        sim.checkBalanced();
    }

    /**
     * Property 4: cancelling mid-plan (sometimes racing the leader's own plan write) ends
     * CANCELLED with no learner left, every chain whole, and each plan node in the state a
     * rollback implies (an added node that holds nothing is NEW again).
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void cancelRollsBackToValidChains(long seed) {
        Scenario s = scenario(seed, false, null);
        RebalanceSimulation sim = s.sim();
        Random rnd = s.rnd();
        sim.start(s.action(), s.nodes());
        for (int i = rnd.nextInt(40); i > 0 && sim.currentPlan().state() == PlanState.RUNNING; i--) {
            sim.pass();
        }
        if (sim.currentPlan().state() != PlanState.RUNNING) {
            return; // finished before the operator got to it
        }
        if (rnd.nextBoolean()) {
            sim.operator(PlanState.CANCELLING);
        } else {
            sim.operatorDuringNextPass(PlanState.CANCELLING);
        }

        sim.runUntil(MAX_PASSES, PlanState.CANCELLED);

        String what = sim.where() + ", cancelled " + s.action() + " " + s.nodes();
        for (Partition p : sim.ring.partitions()) {
            // chain repair may still be filling chains a removed node (or a pure drop) left short
            assertThat(p.learners()).as(what + ", p" + p.id() + ": no learner of the plan left")
                    .allMatch(l -> sim.repairLearners.contains(l + "/" + p.id()));
        }
        sim.checkChainsValid(false);
        sim.settle(200);
        sim.checkChainsValid(true);
        assertThat(sim.running()).as(what + ": no move runs").isEmpty();
        assertThat(sim.records.values()).as(what + ": every move of the plan finished")
                .allMatch(r -> r.step().isFinished());
        for (NodeId id : s.nodes()) {
            boolean holds = sim.ring.partitions().stream().anyMatch(p -> p.chain().contains(id));
            NodeState want = switch (s.action()) {
                case ADD -> holds ? NodeState.ACTIVE : NodeState.NEW;
                case DECOMMISSION -> NodeState.ACTIVE;
                case REMOVE -> NodeState.REMOVED;
            };
            assertThat(sim.registered.get(id).state()).as(what + ": state of " + id).isEqualTo(want);
        }
        assertThat(sim.cancelShrinks).as(what + ": rollbacks that left a chain below its target length").isEmpty();
    }

    /**
     * Property 5: while the plan is PAUSED no move starts (no learner joins, no record enters
     * join); running moves may finish. Resumed, it ends DONE with the previewed moves.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void pausedPlansStartNoMove(long seed) {
        Scenario s = scenario(seed, true, null);
        RebalanceSimulation sim = s.sim();
        Random rnd = s.rnd();
        PlanPreview preview = sim.start(s.action(), s.nodes());
        for (int i = rnd.nextInt(30); i > 0 && sim.currentPlan().state() == PlanState.RUNNING; i--) {
            sim.pass();
        }
        if (sim.currentPlan().state() != PlanState.RUNNING) {
            return;
        }
        boolean racing = rnd.nextBoolean();
        if (racing) {
            // the pass in which the pause lands still decided with the plan running
            sim.operatorDuringNextPass(PlanState.PAUSED);
            sim.pass();
        } else {
            sim.operator(PlanState.PAUSED);
        }
        assertThat(sim.currentPlan().state()).as(sim.where()).isEqualTo(PlanState.PAUSED);
        for (int i = 0; i < 20; i++) {
            Map<String, MoveStep> steps = new HashMap<>();
            sim.records.forEach((id, r) -> steps.put(id, r.step()));
            Map<Integer, Set<NodeId>> learners = learners(sim);
            sim.pass();
            String at = sim.where() + ", paused";
            sim.records.forEach((id, r) -> {
                if (r.step() == MoveStep.JOIN) {
                    assertThat(steps.get(id)).as(at + ": " + r.describe() + " started while paused").isEqualTo(MoveStep.JOIN);
                }
            });
            // chain repair still fills chains a removed node left short; the plan starts nothing
            learners(sim).forEach((p, ls) -> assertThat(learners.getOrDefault(p, Set.of()))
                    .as(at + ": a learner joined p" + p + " while paused")
                    .containsAll(ls.stream().filter(l -> !sim.repairLearners.contains(l + "/" + p)).toList()));
            assertThat(sim.currentPlan().state()).as(at).isIn(PlanState.PAUSED, PlanState.DONE);
        }
        if (sim.currentPlan().state() == PlanState.PAUSED) {
            sim.operator(PlanState.RUNNING);
        }

        sim.runUntil(MAX_PASSES, PlanState.DONE);

        sim.checkReachedTarget(s.action() == PlanAction.REMOVE);
        sim.checkBalanced();
        if (exactCount(s)) {
            assertThat(sim.movesDone()).as(sim.where() + ": moves done = moves previewed")
                    .isEqualTo(preview.moves().size());
        }
    }

    /**
     * Whether the moves done must equal the preview's: not for a removal (chain repair re-replicates
     * part of it unrecorded, and its learners may differ from the plan's), nor for a decommission
     * that leaves fewer than R nodes (repair fills the chains the executor shortens to R' meanwhile).
     */
    private static boolean exactCount(Scenario s) {
        long holders = s.sim().registered.values().stream().filter(n -> n.state().holdsReplicas()
                || n.state() == NodeState.REMOVED && !s.nodes().contains(n.id())).count();
        return s.action() == PlanAction.ADD
                || s.action() == PlanAction.DECOMMISSION && holders >= RebalanceSimulation.R;
    }

    private static Map<Integer, Set<NodeId>> learners(RebalanceSimulation sim) {
        Map<Integer, Set<NodeId>> out = new TreeMap<>();
        for (Partition p : sim.ring.partitions()) {
            if (!p.learners().isEmpty()) {
                out.put(p.id(), new TreeSet<>(p.learners()));
            }
        }
        return out;
    }
}
