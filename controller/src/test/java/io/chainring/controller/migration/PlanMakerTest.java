package io.chainring.controller.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainring.controller.state.ClusterSnapshot;
import io.chainring.metadata.VersionedRing;
import io.chainring.ring.HostPort;
import io.chainring.ring.NodeId;
import io.chainring.ring.NodeInfo;
import io.chainring.ring.NodeState;
import io.chainring.ring.Ring;
import io.chainring.ring.plan.BalancedPlanner;
import io.chainring.ring.plan.PlanSummary;
import io.chainring.thrift.PlanAction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlanMakerTest {
    private static final PlanMaker MAKER = new PlanMaker(new BalancedPlanner());

    private static NodeInfo node(String id, NodeState state) {
        return new NodeInfo(NodeId.of(id), new HostPort("127.0.0.1", 7000 + id.hashCode() % 100), "z1", state);
    }

    /** A balanced 3-node ring (Q = 12, R = 3) plus the given extra registrations. */
    private static ClusterSnapshot cluster(List<NodeInfo> extra, Set<String> down) {
        List<NodeInfo> active = List.of(node("a", NodeState.ACTIVE), node("b", NodeState.ACTIVE), node("c", NodeState.ACTIVE));
        Ring empty = Ring.empty("t", 12, 3);
        Ring ring = empty.next(active, new BalancedPlanner().plan(empty, active).orElseThrow().targetChains());
        List<NodeInfo> registered = new ArrayList<>(active);
        registered.addAll(extra);
        Set<NodeId> live = new java.util.TreeSet<>();
        registered.stream().map(NodeInfo::id).filter(id -> !down.contains(id.value())).forEach(live::add);
        return new ClusterSnapshot(Optional.of(new VersionedRing(ring, 0)), registered, live);
    }

    @Test
    void aJoinMovesTheNewNodesShareAndPredictsItTakesEveryMovedReplicaAsTail() throws Exception {
        PlanPreview p = MAKER.preview(cluster(List.of(node("d", NodeState.NEW)), Set.of()), PlanAction.ADD,
                List.of(NodeId.of("d")), Map.of());
        assertThat(p.moves()).hasSize(9).allMatch(m -> m.to().equals(Optional.of(NodeId.of("d"))));
        assertThat(p.lowerBound()).isEqualTo(9);
        PlanSummary.RoleCounts d = p.summary().after().get(NodeId.of("d"));
        // a newcomer enters every chain at the tail: the preview shows the roles the moves produce
        assertThat(d).isEqualTo(new PlanSummary.RoleCounts(9, 0, 9));
        assertThat(p.summary().after().values().stream().mapToInt(PlanSummary.RoleCounts::heads).sum()).isEqualTo(12);
        assertThat(p.id()).isEqualTo(MAKER.preview(cluster(List.of(node("d", NodeState.NEW)), Set.of()), PlanAction.ADD,
                List.of(NodeId.of("d")), Map.of()).id());
    }

    @Test
    void refusalsSayWhatIsWrong() {
        ClusterSnapshot state = cluster(List.of(node("d", NodeState.NEW)), Set.of("c"));
        assertThatThrownBy(() -> MAKER.preview(state, PlanAction.ADD, List.of(NodeId.of("x")), Map.of()))
                .isInstanceOfSatisfying(PlanRefusedException.class,
                        e -> assertThat(e.reason()).isEqualTo(PlanRefusedException.Reason.NOT_FOUND))
                .hasMessageContaining("unknown node x");
        assertThatThrownBy(() -> MAKER.preview(state, PlanAction.ADD, List.of(NodeId.of("a")), Map.of()))
                .hasMessageContaining("a is ACTIVE, not NEW");
        assertThatThrownBy(() -> MAKER.preview(state, PlanAction.REMOVE, List.of(NodeId.of("a")), Map.of()))
                .hasMessageContaining("a is alive: decommission it");
        assertThatThrownBy(() -> MAKER.preview(state, PlanAction.DECOMMISSION, List.of(NodeId.of("c")), Map.of()))
                .hasMessageContaining("c is down");
        assertThatThrownBy(() -> MAKER.preview(state, PlanAction.DECOMMISSION,
                List.of(NodeId.of("a"), NodeId.of("b")), Map.of()))
                .hasMessageContaining("only 1 nodes would hold replicas");
    }

    @Test
    void removingTheLastLiveReplicasOfAPartitionIsRefused() {
        // R = 3 over a, b, c: every partition has a replica on each; with b and c down, removing a loses data
        ClusterSnapshot state = cluster(List.of(node("d", NodeState.ACTIVE)), Set.of("a", "b", "c"));
        assertThatThrownBy(() -> MAKER.preview(state, PlanAction.REMOVE, List.of(NodeId.of("a")), Map.of()))
                .isInstanceOfSatisfying(PlanRefusedException.class,
                        e -> assertThat(e.reason()).isEqualTo(PlanRefusedException.Reason.CONFLICT))
                .hasMessageContaining("12 partitions have no live replica outside [a]")
                .hasMessageContaining("bring one of their nodes back");
    }

    @Test
    void aDecommissionMovesExactlyTheLeaversReplicas() throws Exception {
        PlanPreview p = MAKER.preview(cluster(List.of(node("d", NodeState.ACTIVE)), Set.of()), PlanAction.DECOMMISSION,
                List.of(NodeId.of("a")), Map.of());
        // d holds nothing yet in this ring, so a's 12 replicas all go to d
        assertThat(p.moves()).hasSize(12).allMatch(m -> m.from().equals(Optional.of(NodeId.of("a"))));
        assertThat(p.lowerBound()).isEqualTo(12);
        assertThat(p.summary().after().get(NodeId.of("a")).replicas()).isZero();
    }
}
