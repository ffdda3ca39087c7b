package io.chainring.controller.leader;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainring.controller.state.ClusterSnapshot;
import io.chainring.controller.state.ReplicaReport;
import io.chainring.metadata.VersionedRing;
import io.chainring.ring.Chain;
import io.chainring.ring.HostPort;
import io.chainring.ring.NodeId;
import io.chainring.ring.NodeInfo;
import io.chainring.ring.NodeState;
import io.chainring.ring.Partition;
import io.chainring.ring.Ring;
import io.chainring.ring.plan.BalancedPlanner;
import io.chainring.ring.plan.Plan;
import io.chainring.ring.plan.PlacementPlanner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The repair rules of DESIGN §6.4 on hand-made rings. */
class ChainRepairTest {
    static final long EPOCH = 7;
    static final long CHANGED_AT = 5;

    static NodeInfo node(String id, String zone) {
        return new NodeInfo(NodeId.of(id), new HostPort("127.0.0.1", 7100 + Integer.parseInt(id.substring(1))), zone,
                NodeState.ACTIVE);
    }

    static List<NodeInfo> nodes(int n) {
        List<NodeInfo> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add(node("n" + i, "z1"));
        }
        return out;
    }

    static List<NodeId> ids(String csv) {
        return csv.isEmpty() ? List.of() : Arrays.stream(csv.split(",")).map(NodeId::of).toList();
    }

    static Set<NodeId> live(String... ids) {
        return Arrays.stream(ids).map(NodeId::of).collect(Collectors.toCollection(TreeSet::new));
    }

    /** A ring at {@link #EPOCH}; {@code parts} are "chain|learners", e.g. "n1,n2,n3|n4". */
    static Ring ring(int r, List<NodeInfo> nodes, String... parts) {
        List<Partition> ps = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            String[] cl = parts[i].split("\\|", -1);
            ps.add(new Partition(i, new Chain(ids(cl[0])), CHANGED_AT, cl.length > 1 ? ids(cl[1]) : List.of()));
        }
        return new Ring("c1", EPOCH, parts.length, r, Ring.index(nodes), ps);
    }

    static ClusterSnapshot state(Ring ring, List<NodeInfo> registered, Set<NodeId> live, Map<NodeId, ReplicaReport> reports) {
        return new ClusterSnapshot(Optional.of(new VersionedRing(ring, 3)), registered, live, new TreeMap<>(reports));
    }

    static ChainRepair.Outcome repair(Ring ring, List<NodeInfo> registered, Set<NodeId> live) {
        return repair(ring, registered, live, Map.of());
    }

    static ChainRepair.Outcome repair(Ring ring, List<NodeInfo> registered, Set<NodeId> live,
                                      Map<NodeId, ReplicaReport> reports) {
        return new ChainRepair(4, new BalancedPlanner()).repair(ring, state(ring, registered, live, reports));
    }

    /** The partition after repair (the ring's own when repair left it alone). */
    static Partition after(Ring ring, ChainRepair.Outcome out, int id) {
        return out.changed().stream().filter(p -> p.id() == id).findFirst().orElse(ring.partition(id));
    }

    static ReplicaReport caughtUp(long epoch, Integer... partitions) {
        return ReplicaReport.of(epoch, Set.of(partitions), Set.of(partitions));
    }

    static ReplicaReport stores(Integer... partitions) {
        return ReplicaReport.of(EPOCH, Set.of(partitions), Set.of());
    }

    @Test
    void headLostMakesTheSuccessorHead() {
        Ring ring = ring(3, nodes(3), "n1,n2,n3");
        ChainRepair.Outcome out = repair(ring, nodes(3), live("n2", "n3"));
        assertThat(after(ring, out, 0).chain().members()).isEqualTo(ids("n2,n3"));
        assertThat(out.actions()).anySatisfy(a -> assertThat(a).contains("n1 is down").contains("head of 1"));
    }

    @Test
    void middleLostLinksThePredecessorToTheSuccessor() {
        Ring ring = ring(3, nodes(3), "n1,n2,n3");
        ChainRepair.Outcome out = repair(ring, nodes(3), live("n1", "n3"));
        assertThat(after(ring, out, 0).chain().members()).isEqualTo(ids("n1,n3"));
    }

    @Test
    void tailLostMakesThePredecessorTail() {
        Ring ring = ring(3, nodes(3), "n1,n2,n3");
        ChainRepair.Outcome out = repair(ring, nodes(3), live("n1", "n2"));
        assertThat(after(ring, out, 0).chain().members()).isEqualTo(ids("n1,n2"));
        assertThat(out.actions()).anySatisfy(a -> assertThat(a).contains("n3 is down").contains("tail of 1"));
    }

    @Test
    void deadLearnersAreDroppedToo() {
        Ring ring = ring(3, nodes(4), "n1,n2|n4");
        ChainRepair.Outcome out = repair(ring, nodes(4), live("n1", "n2"));
        Partition p = after(ring, out, 0);
        assertThat(p.chain().members()).isEqualTo(ids("n1,n2"));
        assertThat(p.learners()).doesNotContain(NodeId.of("n4"));
    }

    @Test
    void theLastMemberIsNeverDropped() {
        Ring ring = ring(3, nodes(3), "n2", "n1,n2,n3");
        ChainRepair.Outcome out = repair(ring, nodes(3), live("n1", "n3"));
        assertThat(after(ring, out, 0)).isEqualTo(ring.partition(0));
        assertThat(out.stuck()).anySatisfy(s -> assertThat(s).contains("every chain member down").contains("p0 (n2)"));
    }

    @Test
    void aChainWhoseMembersAllDieTogetherKeepsItsHead() {
        Ring ring = ring(3, nodes(4), "n1,n2,n3");
        ChainRepair.Outcome out = repair(ring, nodes(4), live("n4"));
        Partition p = after(ring, out, 0);
        assertThat(p.chain().members()).isEqualTo(ids("n1"));
        // no learner behind a dead tail: there is nothing to copy from
        assertThat(p.learners()).isEmpty();
    }

    @Test
    void aChainThatShrankToOneAndLostItDoesNotComeBackFromAStaleReplica() {
        List<NodeInfo> three = nodes(3);
        Ring ring = ring(3, three, "n1,n2,n3");
        // n1 and n3 die one after the other: the chain shrinks to n2
        ring = next(ring, repair(ring, three, live("n2", "n3")));
        ring = next(ring, repair(ring, three, live("n2")));
        assertThat(ring.partition(0).chain().members()).isEqualTo(ids("n2"));
        // n2 dies too; n1 and n3 come back, even claiming to be caught up on partition 0
        Map<NodeId, ReplicaReport> claims = Map.of(NodeId.of("n1"), caughtUp(ring.epoch(), 0),
                NodeId.of("n3"), caughtUp(ring.epoch(), 0));
        for (int pass = 0; pass < 3; pass++) {
            ChainRepair.Outcome out = repair(ring, three, live("n1", "n3"), claims);
            assertThat(out.changed()).isEmpty();
            ring = next(ring, out);
        }
        assertThat(ring.partition(0).chain().members()).isEqualTo(ids("n2"));
        assertThat(ring.partition(0).learners()).isEmpty();

        // n2 returns: it is the chain again, and the others rejoin only as learners behind it
        ChainRepair.Outcome back = repair(ring, three, live("n1", "n2", "n3"), claims);
        Partition p = after(ring, back, 0);
        assertThat(p.chain().members()).isEqualTo(ids("n2"));
        assertThat(p.learners()).containsExactlyInAnyOrder(NodeId.of("n1"), NodeId.of("n3"));
    }

    @Test
    void aShortChainGetsALearnerBehindTheTail() {
        List<NodeInfo> four = nodes(4);
        Ring ring = ring(3, four, "n1,n2,n3", "n2,n3,n4", "n3,n4,n1", "n4,n1,n2");
        ChainRepair.Outcome out = repair(ring, four, live("n1", "n2", "n4"));
        // every chain n3 was in lost it and got the one node it lacks as a learner
        assertThat(after(ring, out, 0).chain().members()).isEqualTo(ids("n1,n2"));
        assertThat(after(ring, out, 0).learners()).isEqualTo(ids("n4"));
        assertThat(after(ring, out, 1).chain().members()).isEqualTo(ids("n2,n4"));
        assertThat(after(ring, out, 1).learners()).isEqualTo(ids("n1"));
        assertThat(after(ring, out, 2).chain().members()).isEqualTo(ids("n4,n1"));
        assertThat(after(ring, out, 2).learners()).isEqualTo(ids("n2"));
        assertThat(after(ring, out, 3)).isEqualTo(ring.partition(3));
    }

    @Test
    void prefersALiveNodeThatStillStoresThePartition() {
        List<NodeInfo> five = nodes(5);
        // n5 is the most loaded candidate, but it stores partition 0 (it was there before it restarted)
        Ring ring = ring(3, five, "n1,n2", "n5,n3,n4", "n5,n4,n3", "n5,n1,n2");
        ChainRepair.Outcome out = repair(ring, five, live("n1", "n2", "n3", "n4", "n5"),
                Map.of(NodeId.of("n5"), stores(0, 1, 2, 3)));
        assertThat(after(ring, out, 0).learners()).isEqualTo(ids("n5"));
        assertThat(out.actions()).anySatisfy(a -> assertThat(a).contains("p0 n5 (stores it)"));
    }

    @Test
    void amongHoldersPrefersAZoneTheChainLacks() {
        List<NodeInfo> nodes = List.of(node("n1", "z1"), node("n2", "z2"), node("n3", "z1"), node("n4", "z3"));
        Ring ring = ring(3, nodes, "n1,n2");
        ChainRepair.Outcome out = repair(ring, nodes, live("n1", "n2", "n3", "n4"),
                Map.of(NodeId.of("n3"), stores(0), NodeId.of("n4"), stores(0)));
        assertThat(after(ring, out, 0).learners()).isEqualTo(ids("n4"));
    }

    @Test
    void takesThePlannersChoiceForANewReplica() {
        List<NodeInfo> five = nodes(5);
        Ring ring = ring(3, five, "n1,n2");
        PlacementPlanner wantsN4 = (current, ns) -> new Plan(List.of(Chain.of(NodeId.of("n1"), NodeId.of("n2"),
                NodeId.of("n4"))), List.of());
        ChainRepair.Outcome out = new ChainRepair(4, wantsN4).repair(ring, state(ring, five, live("n1", "n2", "n3", "n4", "n5"),
                Map.of()));
        assertThat(after(ring, out, 0).learners()).isEqualTo(ids("n4"));
    }

    @Test
    void withoutAPlannerChoiceTakesTheLeastLoadedNodeInAZoneTheChainLacks() {
        List<NodeInfo> nodes = List.of(node("n1", "z1"), node("n2", "z2"), node("n3", "z1"), node("n4", "z2"),
                node("n5", "z3"), node("n6", "z3"));
        Ring ring = ring(3, nodes, "n1,n2", "n5,n3,n4", "n6,n3,n4");
        PlacementPlanner noOpinion = (current, ns) -> new Plan(current.chains(), List.of());
        ChainRepair.Outcome out = new ChainRepair(4, noOpinion).repair(ring,
                state(ring, nodes, live("n1", "n2", "n3", "n4", "n5", "n6"), Map.of()));
        // n3 and n4 are in zones the chain has; n5 and n6 are equally loaded: the lower id wins
        assertThat(after(ring, out, 0).learners()).isEqualTo(ids("n5"));
    }

    @Test
    void aFailingPlannerDoesNotHoldUpRepair() {
        List<NodeInfo> four = nodes(4);
        Ring ring = ring(3, four, "n1,n2,n3");
        PlacementPlanner broken = (current, ns) -> {
            throw new IllegalStateException("boom");
        };
        ChainRepair.Outcome out = new ChainRepair(4, broken).repair(ring, state(ring, four, live("n1", "n3", "n4"), Map.of()));
        assertThat(after(ring, out, 0).chain().members()).isEqualTo(ids("n1,n3"));
        assertThat(after(ring, out, 0).learners()).isEqualTo(ids("n4"));
        assertThat(out.stuck()).anySatisfy(s -> assertThat(s).contains("planner failed").contains("boom"));
    }

    @Test
    void promotesACaughtUpLearnerToTail() {
        List<NodeInfo> four = nodes(4);
        Ring ring = ring(3, four, "n1,n2|n4", "n2,n3|n4");
        ChainRepair.Outcome out = repair(ring, four, live("n1", "n2", "n3", "n4"),
                Map.of(NodeId.of("n4"), caughtUp(CHANGED_AT, 0)));
        assertThat(after(ring, out, 0).chain().members()).isEqualTo(ids("n1,n2,n4"));
        assertThat(after(ring, out, 0).learners()).isEmpty();
        // not caught up on partition 1: stays a learner
        assertThat(after(ring, out, 1)).isEqualTo(ring.partition(1));
    }

    @Test
    void ignoresACaughtUpReportFromBeforeTheChainLastChanged() {
        List<NodeInfo> four = nodes(4);
        Ring ring = ring(3, four, "n1,n2|n4");
        ChainRepair.Outcome out = repair(ring, four, live("n1", "n2", "n3", "n4"),
                Map.of(NodeId.of("n4"), caughtUp(CHANGED_AT - 1, 0)));
        assertThat(out.changed()).isEmpty();
    }

    @Test
    void doesNotPromoteWhenTheTailItCopiedFromIsGone() {
        List<NodeInfo> four = nodes(4);
        Ring ring = ring(3, four, "n1,n2|n4");
        ChainRepair.Outcome out = repair(ring, four, live("n1", "n4"), Map.of(NodeId.of("n4"), caughtUp(EPOCH, 0)));
        Partition p = after(ring, out, 0);
        assertThat(p.chain().members()).isEqualTo(ids("n1"));
        assertThat(p.learners()).isEqualTo(ids("n4"));
    }

    @Test
    void promotesOneLearnerPerPassAndNeverPastR() {
        List<NodeInfo> five = nodes(5);
        Ring ring = ring(3, five, "n1|n4,n5", "n1,n2,n3|n4");
        Map<NodeId, ReplicaReport> all = Map.of(NodeId.of("n4"), caughtUp(EPOCH, 0, 1), NodeId.of("n5"), caughtUp(EPOCH, 0));
        ChainRepair.Outcome out = repair(ring, five, live("n1", "n2", "n3", "n4", "n5"), all);
        assertThat(after(ring, out, 0).chain().members()).isEqualTo(ids("n1,n4"));
        assertThat(after(ring, out, 0).learners()).isEqualTo(ids("n5"));
        // a full chain's learner (a move, §7) is not promoted by repair
        assertThat(after(ring, out, 1)).isEqualTo(ring.partition(1));
    }

    @Test
    void boundsConcurrentCatchUpsPerNode() {
        List<NodeInfo> three = nodes(3);
        String[] parts = new String[10];
        Arrays.fill(parts, "n1,n2");
        Ring ring = ring(3, three, parts);
        ChainRepair.Outcome out = new ChainRepair(4, new BalancedPlanner()).repair(ring,
                state(ring, three, live("n1", "n2", "n3"), Map.of()));
        // n3 is the only candidate for every partition: it takes four, the shortest chains/lowest ids first
        assertThat(out.changed()).extracting(Partition::id).containsExactly(0, 1, 2, 3);
        assertThat(out.changed()).allSatisfy(p -> assertThat(p.learners()).isEqualTo(ids("n3")));
        assertThat(out.stuck()).anySatisfy(s -> assertThat(s).contains("6 partitions below replication 3 wait for a catch-up slot"));
    }

    @Test
    void theShortestChainsGetCatchUpSlotsFirst() {
        List<NodeInfo> three = nodes(3);
        Ring ring = ring(3, three, "n1,n2", "n1,n2", "n1", "n2");
        ChainRepair.Outcome out = new ChainRepair(2, new BalancedPlanner()).repair(ring,
                state(ring, three, live("n1", "n2", "n3"), Map.of()));
        // partitions 2 and 3 have one copy: n3 (two slots) goes there, not to the older ids
        assertThat(out.changed()).extracting(Partition::id).contains(2, 3);
        assertThat(after(ring, out, 0).learners()).isEmpty();
        assertThat(after(ring, out, 1).learners()).isEmpty();
    }

    @Test
    void aReturningNodeWithoutAChainPositionBecomesALearnerOfShortChains() {
        List<NodeInfo> three = nodes(3);
        Ring ring = ring(3, three, "n1,n2,n3", "n2,n3,n1");
        ring = next(ring, repair(ring, three, live("n1", "n2")));
        assertThat(ring.partitionsInvolving(NodeId.of("n3"))).isEmpty();
        // n3 comes back with its data
        ChainRepair.Outcome out = repair(ring, three, live("n1", "n2", "n3"), Map.of(NodeId.of("n3"), stores(0, 1)));
        assertThat(after(ring, out, 0).learners()).isEqualTo(ids("n3"));
        assertThat(after(ring, out, 1).learners()).isEqualTo(ids("n3"));
    }

    @Test
    void nodesThatMayNotHoldReplicasAreNotAdded() {
        List<NodeInfo> nodes = new ArrayList<>(nodes(3));
        nodes.add(new NodeInfo(NodeId.of("n4"), new HostPort("127.0.0.1", 7104), "z1", NodeState.NEW));
        nodes.add(new NodeInfo(NodeId.of("n5"), new HostPort("127.0.0.1", 7105), "z1", NodeState.DECOMMISSIONING));
        Ring ring = ring(3, nodes(3), "n1,n2,n3");
        ChainRepair.Outcome out = repair(ring, nodes, live("n1", "n2", "n4", "n5"));
        assertThat(after(ring, out, 0).chain().members()).isEqualTo(ids("n1,n2"));
        assertThat(after(ring, out, 0).learners()).isEmpty();
        assertThat(out.stuck()).anySatisfy(s -> assertThat(s).contains("no live eligible node"));
    }

    @Test
    void aHealthyRingNeedsNothing() {
        List<NodeInfo> three = nodes(3);
        Ring ring = ring(3, three, "n1,n2,n3", "n2,n3,n1");
        ChainRepair.Outcome out = repair(ring, three, live("n1", "n2", "n3"));
        assertThat(out.changed()).isEmpty();
        assertThat(out.stuck()).isEmpty();
        assertThat(ChainRepair.needsReports(ring, state(ring, three, live("n1", "n2", "n3"), Map.of()))).isFalse();
    }

    @Test
    void asksForReportsOnlyWhenALearnerWaitsOrAShortChainCanGrow() {
        List<NodeInfo> four = nodes(4);
        Ring withLearner = ring(3, four, "n1,n2,n3|n4");
        assertThat(ChainRepair.needsReports(withLearner, state(withLearner, four, live("n1", "n2", "n3", "n4"), Map.of())))
                .isTrue();
        Ring shortOfNodes = ring(3, nodes(2), "n1,n2");
        assertThat(ChainRepair.needsReports(shortOfNodes, state(shortOfNodes, nodes(2), live("n1", "n2"), Map.of())))
                .isFalse();
        Ring canGrow = ring(3, four, "n1,n2");
        assertThat(ChainRepair.needsReports(canGrow, state(canGrow, four, live("n1", "n2", "n3"), Map.of()))).isTrue();
    }

    /** The ring after writing the outcome, as the decider would. */
    static Ring next(Ring ring, ChainRepair.Outcome out) {
        List<NodeInfo> table = new ArrayList<>(ring.nodes().values());
        table.addAll(out.newNodes());
        return ring.nextWithPartitions(table, out.changed());
    }

    // ---------------------------------------------------------------- nodes that refuse writes (issue 12 defect 5)

    static ChainRepair.Outcome repairRefusing(Ring ring, List<NodeInfo> registered, Set<NodeId> live, String... refusing) {
        TreeMap<NodeId, String> refusals = new TreeMap<>();
        for (String id : refusing) {
            refusals.put(NodeId.of(id), "node " + id + " is at its free-disk limit");
        }
        return new ChainRepair(4, new BalancedPlanner()).repair(ring,
                state(ring, registered, live, Map.of()).withWriteRefusals(refusals));
    }

    @Test
    void aLiveMemberThatRefusesWritesLeavesItsChainsWhenTheRestCanStillWrite() {
        Ring ring = ring(3, nodes(4), "n1,n2,n3", "n2,n3,n1", "n3,n1,n2");
        ChainRepair.Outcome out = repairRefusing(ring, nodes(4), live("n1", "n2", "n3", "n4"), "n2");
        assertThat(after(ring, out, 0).chain().members()).containsExactly(NodeId.of("n1"), NodeId.of("n3"));
        assertThat(after(ring, out, 1).chain().members()).containsExactly(NodeId.of("n3"), NodeId.of("n1"));
        assertThat(after(ring, out, 2).chain().members()).containsExactly(NodeId.of("n3"), NodeId.of("n1"));
        // restore R on the node that takes writes, never on the refuser
        for (int p = 0; p < 3; p++) {
            assertThat(after(ring, out, p).learners()).containsExactly(NodeId.of("n4"));
        }
        assertThat(out.actions()).anyMatch(a -> a.startsWith("n2 refuses writes (node n2 is at its free-disk limit)"));
    }

    @Test
    void aChainThatCannotWriteWithoutItsRefusersKeepsThemAndSaysWhy() {
        Ring ring = ring(3, nodes(3), "n1,n2", "n1,n2,n3");
        ChainRepair.Outcome out = repairRefusing(ring, nodes(3), live("n1", "n2", "n3"), "n2", "n3");
        // p0: without n2 one member is left, fewer than the 2 writes need: kept (writes refused with the reason)
        assertThat(after(ring, out, 0).chain().members()).containsExactly(NodeId.of("n1"), NodeId.of("n2"));
        assertThat(after(ring, out, 1).chain().members()).containsExactly(NodeId.of("n1"), NodeId.of("n2"), NodeId.of("n3"));
        assertThat(out.stuck()).anyMatch(s -> s.contains("refuses writes") && s.contains("p0 (n2)") && s.contains("p1 (n2, n3)"));
        assertThat(after(ring, out, 0).learners()).isEmpty();
    }

    @Test
    void aDeadLastMemberIsNotTakenForARefuser() {
        Ring ring = ring(3, nodes(3), "n1,n2,n3");
        ChainRepair.Outcome out = repairRefusing(ring, nodes(3), live());
        assertThat(after(ring, out, 0).chain().members()).containsExactly(NodeId.of("n1"));
        assertThat(out.stuck()).noneMatch(s -> s.contains("refuses writes"));
    }
}
