package io.chainring.ring.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainring.ring.Chain;
import io.chainring.ring.HostPort;
import io.chainring.ring.NodeId;
import io.chainring.ring.NodeInfo;
import io.chainring.ring.NodeState;
import io.chainring.ring.Ring;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Worked examples of {@link BalancedPlanner}; the properties are in {@link BalancedPlannerPropertyTest}. */
class BalancedPlannerTest {
    private final BalancedPlanner planner = new BalancedPlanner();

    private static NodeInfo node(String id, String zone, NodeState state) {
        return new NodeInfo(NodeId.of(id), new HostPort("127.0.0.1", 7101), zone, state);
    }

    private static NodeInfo active(String id) {
        return node(id, "z-" + id, NodeState.ACTIVE);
    }

    @Test
    void answersNoPlanWithoutAnEligibleNode() {
        Ring empty = Ring.empty("c", 8, 3);
        assertThat(planner.plan(empty, List.of())).isInstanceOfSatisfying(NoPlan.class,
                none -> assertThat(none.reason()).contains("no JOINING or ACTIVE node"));
        PlanResult none = planner.plan(empty, List.of(node("a", "z", NodeState.NEW),
                node("b", "z", NodeState.DECOMMISSIONING), node("c", "z", NodeState.REMOVED)));
        assertThat(none).isInstanceOfSatisfying(NoPlan.class,
                n -> assertThat(n.reason()).contains("among 3 registered nodes", "would drop every replica"));
        assertThatThrownBy(none::orElseThrow).isInstanceOf(IllegalStateException.class).hasMessageContaining("no plan is possible");
    }

    @Test
    void rejectsANodeListedTwice() {
        assertThatThrownBy(() -> planner.plan(Ring.empty("c", 8, 3), List.of(active("a"), active("a"))).orElseThrow())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("node a is listed twice");
    }

    @Test
    void firstPlacementOfThreeNodesWithRThree() {
        Ring empty = Ring.empty("c", 6, 3);
        Plan plan = planner.plan(empty, List.of(active("a"), active("b"), active("c"))).orElseThrow();

        assertThat(plan.moves()).as("no data yet, nothing to move").isEmpty();
        assertThat(plan.targetChains()).allSatisfy(c -> assertThat(c.members())
                .containsExactlyInAnyOrder(NodeId.of("a"), NodeId.of("b"), NodeId.of("c")));
        Ring placed = empty.next(List.of(active("a"), active("b"), active("c")), plan.targetChains());
        assertThat(placed.roleCounts().values()).allSatisfy(c -> assertThat(c).containsExactly(6, 2, 2));
    }

    @Test
    void newAndLeavingNodesGetNothingJoiningNodesGetTheirShare() {
        List<NodeInfo> nodes = List.of(active("a"), node("j", "z", NodeState.JOINING), node("n", "z", NodeState.NEW),
                node("d", "z", NodeState.DECOMMISSIONING));
        Plan plan = planner.plan(Ring.empty("c", 16, 1), nodes).orElseThrow();
        Set<NodeId> used = plan.targetChains().stream().flatMap(c -> c.members().stream()).collect(Collectors.toSet());
        assertThat(used).containsExactlyInAnyOrder(NodeId.of("a"), NodeId.of("j"));
    }

    @Test
    void chainsAreShortWhileNodesAreFewAndGrowWithoutASourceWhenOneJoins() {
        List<NodeInfo> two = List.of(active("a"), active("b"));
        Ring empty = Ring.empty("c", 4, 3);
        Ring ring = empty.next(two, planner.plan(empty, two).orElseThrow().targetChains());
        assertThat(ring.chains()).allSatisfy(c -> assertThat(c.length()).isEqualTo(2));

        List<NodeInfo> three = List.of(active("a"), active("b"), active("c"));
        Plan plan = planner.plan(ring, three).orElseThrow();

        assertThat(plan.targetChains()).allSatisfy(c -> assertThat(c.length()).isEqualTo(3));
        assertThat(plan.moves()).hasSize(4).allSatisfy(m -> {
            assertThat(m.from()).as("copied from the chain, nobody gives it up").isEmpty();
            assertThat(m.to()).contains(NodeId.of("c"));
        });
    }

    @Test
    void aLeaverBelowRDropsItsReplicasWithoutATarget() {
        List<NodeInfo> three = List.of(active("a"), active("b"), active("c"));
        Ring empty = Ring.empty("c", 4, 3);
        Ring ring = empty.next(three, planner.plan(empty, three).orElseThrow().targetChains());

        Plan plan = planner.plan(ring, List.of(active("a"), active("b"), node("c", "z-c", NodeState.REMOVED))).orElseThrow();

        assertThat(plan.moves()).hasSize(4).allSatisfy(m -> {
            assertThat(m.from()).contains(NodeId.of("c"));
            assertThat(m.to()).as("no third node to take it").isEmpty();
        });
    }

    @Test
    void aNodeMissingFromTheListIsDrainedLikeADecommissionedOne() {
        List<NodeInfo> four = List.of(active("a"), active("b"), active("c"), active("d"));
        Ring empty = Ring.empty("c", 16, 2);
        Ring ring = empty.next(four, planner.plan(empty, four).orElseThrow().targetChains());
        List<NodeInfo> decommissioned = new ArrayList<>(four);
        decommissioned.set(3, four.get(3).withState(NodeState.DECOMMISSIONING));

        Plan drained = planner.plan(ring, decommissioned).orElseThrow();
        Plan vanished = planner.plan(ring, four.subList(0, 3)).orElseThrow();

        assertThat(vanished).isEqualTo(drained);
        assertThat(drained.moves()).hasSize(8)
                .allSatisfy(m -> assertThat(m.from()).contains(NodeId.of("d")));
    }

    @Test
    void movesRestoreShortChainsFirstThenDrainThenBalance() {
        // p0 lost its only other replica (short chain), p1 holds a decommissioning node
        List<NodeInfo> nodes = List.of(active("a"), active("b"), active("c"), node("x", "z-x", NodeState.DECOMMISSIONING));
        Ring ring = new Ring("c", 5, 4, 2, Ring.index(nodes), List.of(
                new io.chainring.ring.Partition(0, Chain.of(NodeId.of("a")), 1),
                new io.chainring.ring.Partition(1, Chain.of(NodeId.of("x"), NodeId.of("b")), 2),
                new io.chainring.ring.Partition(2, Chain.of(NodeId.of("a"), NodeId.of("b")), 3),
                new io.chainring.ring.Partition(3, Chain.of(NodeId.of("a"), NodeId.of("b")), 4)));

        Plan plan = planner.plan(ring, nodes).orElseThrow();

        List<Move> moves = plan.moves();
        assertThat(moves).isNotEmpty();
        assertThat(moves.get(0)).isEqualTo(new Move(0, Optional.empty(), moves.get(0).to()));
        assertThat(moves.get(1).partition()).isEqualTo(1);
        assertThat(moves.get(1).from()).contains(NodeId.of("x"));
        assertThat(moves.subList(2, moves.size())).allSatisfy(m -> assertThat(m.from()).isPresent()
                .get().isIn(NodeId.of("a"), NodeId.of("b")));
        Ring next = ring.next(nodes, plan.targetChains());
        assertThat(next.roleCounts().get(NodeId.of("c"))[0]).isIn(2, 3);
    }

    /** A chain one longer than R: a move between its promote and drop steps (DESIGN §7). */
    @Test
    void trimsAChainCaughtMidMove() {
        List<NodeInfo> nodes = List.of(active("a"), active("b"), active("c"));
        List<io.chainring.ring.Partition> partitions = List.of(
                new io.chainring.ring.Partition(0, Chain.of(NodeId.of("a"), NodeId.of("b"), NodeId.of("c")), 2),
                new io.chainring.ring.Partition(1, Chain.of(NodeId.of("b"), NodeId.of("c")), 1),
                new io.chainring.ring.Partition(2, Chain.of(NodeId.of("c"), NodeId.of("a")), 1));
        Ring ring;
        try {
            ring = new Ring("c", 2, 3, 2, Ring.index(nodes), partitions);
        } catch (IllegalArgumentException e) {
            org.junit.jupiter.api.Assumptions.abort("this ring model rejects chains longer than R: " + e.getMessage());
            return;
        }

        Plan plan = planner.plan(ring, nodes).orElseThrow();

        assertThat(plan.targetChains()).allSatisfy(c -> assertThat(c.length()).isEqualTo(2));
        assertThat(plan.moves()).containsExactly(Move.of(0, NodeId.of("c"), null));
        assertThat(planner.plan(ring.next(nodes, plan.targetChains()), nodes).orElseThrow().moves()).isEmpty();
    }

    @Test
    void keepsAChainsOrderWhenRolesAreAlreadyBalanced() {
        List<NodeInfo> nodes = List.of(active("a"), active("b"));
        Ring ring = new Ring("c", 1, 2, 2, Ring.index(nodes), List.of(
                new io.chainring.ring.Partition(0, Chain.of(NodeId.of("b"), NodeId.of("a")), 1),
                new io.chainring.ring.Partition(1, Chain.of(NodeId.of("a"), NodeId.of("b")), 1)));
        Plan plan = planner.plan(ring, nodes).orElseThrow();
        assertThat(plan.targetChains()).isEqualTo(ring.chains());
        assertThat(plan.isEmpty()).isTrue();
    }

    @Test
    void reordersMembersToSpreadHeadsWithoutMovingData() {
        List<NodeInfo> nodes = List.of(active("a"), active("b"));
        Ring ring = new Ring("c", 1, 2, 2, Ring.index(nodes), List.of(
                new io.chainring.ring.Partition(0, Chain.of(NodeId.of("a"), NodeId.of("b")), 1),
                new io.chainring.ring.Partition(1, Chain.of(NodeId.of("a"), NodeId.of("b")), 1)));
        Plan plan = planner.plan(ring, nodes).orElseThrow();
        assertThat(plan.moves()).isEmpty();
        assertThat(plan.targetChains()).extracting(Chain::head).containsExactlyInAnyOrder(NodeId.of("a"), NodeId.of("b"));
    }

    @Test
    void evenZonesGiveEveryChainOneReplicaPerZone() {
        List<NodeInfo> nodes = new ArrayList<>();
        for (String zone : List.of("east", "west", "north")) {
            for (int i = 0; i < 2; i++) {
                nodes.add(node(zone + i, zone, NodeState.ACTIVE));
            }
        }
        Plan plan = planner.plan(Ring.empty("c", 64, 3), nodes).orElseThrow();
        for (Chain c : plan.targetChains()) {
            assertThat(c.members().stream().map(id -> id.value().replaceAll("\\d", "")).distinct()).hasSize(3);
        }
    }
}
