package io.chainring.ring.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainring.ring.HostPort;
import io.chainring.ring.NodeId;
import io.chainring.ring.NodeInfo;
import io.chainring.ring.NodeState;
import io.chainring.ring.Ring;
import io.chainring.ring.plan.PlanSummary.RoleCounts;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanSummaryTest {
    private final BalancedPlanner planner = new BalancedPlanner();

    private static NodeInfo active(String id) {
        return new NodeInfo(NodeId.of(id), new HostPort("127.0.0.1", 7101), "z", NodeState.ACTIVE);
    }

    @Test
    void summarisesAJoinBeforeAndAfter() {
        List<NodeInfo> three = List.of(active("a"), active("b"), active("c"));
        Ring empty = Ring.empty("c", 12, 2);
        Ring ring = empty.next(three, planner.plan(empty, three).orElseThrow().targetChains());
        List<NodeInfo> four = new ArrayList<>(three);
        four.add(active("d"));
        Plan plan = planner.plan(ring, four).orElseThrow();

        PlanSummary summary = PlanSummary.of(ring, plan);

        assertThat(summary.moves()).isEqualTo(plan.moves().size()).isEqualTo(6);
        assertThat(summary.before()).containsOnlyKeys(NodeId.of("a"), NodeId.of("b"), NodeId.of("c"), NodeId.of("d"));
        assertThat(summary.before().get(NodeId.of("d"))).isEqualTo(RoleCounts.NONE);
        assertThat(summary.before().get(NodeId.of("a"))).isEqualTo(new RoleCounts(8, 4, 4));
        assertThat(summary.after().values()).allSatisfy(c -> assertThat(c).isEqualTo(new RoleCounts(6, 3, 3)));
        assertThat(summary.changedPartitions()).isBetween(6, 12);
    }

    @Test
    void anEmptyPlanChangesNothing() {
        List<NodeInfo> nodes = List.of(active("a"), active("b"));
        Ring empty = Ring.empty("c", 4, 2);
        Ring ring = empty.next(nodes, planner.plan(empty, nodes).orElseThrow().targetChains());
        PlanSummary summary = PlanSummary.of(ring, planner.plan(ring, nodes).orElseThrow());
        assertThat(summary.moves()).isZero();
        assertThat(summary.changedPartitions()).isZero();
        assertThat(summary.after()).isEqualTo(summary.before());
    }

    @Test
    void rejectsAPlanForAnotherPartitionCount() {
        Ring ring = Ring.empty("c", 4, 2);
        Plan plan = planner.plan(Ring.empty("c", 8, 2), List.of(active("a"))).orElseThrow();
        assertThatThrownBy(() -> PlanSummary.of(ring, plan)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("plan has 8 chains, ring has 4 partitions");
    }
}
