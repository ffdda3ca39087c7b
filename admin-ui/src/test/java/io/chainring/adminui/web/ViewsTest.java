package io.chainring.adminui.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainring.adminui.cluster.ClusterSnapshot;
import io.chainring.adminui.cluster.NodeReport;
import io.chainring.adminui.cluster.WriteRates;
import io.chainring.client.ClusterStatus;
import io.chainring.client.NodeStatus;
import io.chainring.client.RingSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ViewsTest {
    private static final Instant T = Instant.ofEpochMilli(5_000);

    private static RingSnapshot.Node node(String id) {
        return new RingSnapshot.Node(id, "127.0.0.1:" + id.substring(1), "default", "ACTIVE");
    }

    /** R = 2 over n1..n3: partition 0 = n1→n2, 1 = n2→n3, 2 = n3 alone (short), 3 = n3→n1; n3 is down. */
    private static ClusterSnapshot snapshot() {
        RingSnapshot ring = new RingSnapshot("c", 7, 4, 2, List.of(node("n1"), node("n2"), node("n3")), List.of(
                new RingSnapshot.PartitionChain(0, List.of("n1", "n2"), 7),
                new RingSnapshot.PartitionChain(1, List.of("n2", "n3"), 3),
                new RingSnapshot.PartitionChain(2, List.of("n3"), 5),
                new RingSnapshot.PartitionChain(3, List.of("n1", "n2"), 6)));
        ClusterStatus status = new ClusterStatus("c", 7, 4, 2, "ctl:1", List.of(
                new NodeStatus("n1", "127.0.0.1:1", "default", "ACTIVE", true, 2, 2, 0),
                new NodeStatus("n2", "127.0.0.1:2", "default", "ACTIVE", true, 3, 1, 2),
                new NodeStatus("n3", "127.0.0.1:3", "default", "ACTIVE", false, 2, 1, 2),
                new NodeStatus("n4", "127.0.0.1:4", "default", "NEW", true, 0, 0, 0)));
        NodeReport n1 = NodeReport.ok("n1", T, Duration.ofMillis(2), new NodeReport.Stats("n1", "127.0.0.1:1", 7, true, 4096,
                1000, "write_no_sync", List.of(
                new NodeReport.PartitionStat(0, 0, 10, 100, 95, 5, 40, "HEAD", null),
                new NodeReport.PartitionStat(3, 0, 4, 20, 20, 0, 0, "HEAD", null))));
        NodeReport n2 = NodeReport.ok("n2", T, Duration.ofMillis(3), new NodeReport.Stats("n2", "127.0.0.1:2", 7, true, 4096,
                1000, "write_no_sync", List.of(
                new NodeReport.PartitionStat(0, 1, 10, 95, 95, 0, 0, "TAIL", null),
                new NodeReport.PartitionStat(1, 0, 1, 9, 9, 0, 0, "HEAD", null),
                new NodeReport.PartitionStat(3, 1, 4, 20, 20, 0, 0, "TAIL", null))));
        NodeReport n4 = NodeReport.ok("n4", T, Duration.ofMillis(1), new NodeReport.Stats("n4", "127.0.0.1:4", 7, true, 10,
                10, "write_no_sync", List.of(new NodeReport.PartitionStat(3, -1, 1, 12, 12, 0, 0, "LEARNER", false))));
        return new ClusterSnapshot(T, status, ring, Map.of("n1", n1, "n2", n2, "n4", n4), null, T);
    }

    @Test
    void overviewJudgesPartitionsAndNamesProblems() {
        Views.Overview o = Views.overview(snapshot(), new WriteRates(10));
        assertThat(o.health()).isEqualTo("unavailable");
        assertThat(o.nodesUp()).isEqualTo(3);
        assertThat(o.downNodes()).containsExactly("n3");
        assertThat(o.partitionsOk()).isEqualTo(2);
        assertThat(o.partitionsDegraded()).isEqualTo(1);
        assertThat(o.partitionsUnavailable()).isEqualTo(1);
        assertThat(o.unavailablePartitions()).containsExactly(2);
        // the words of ClusterHealth, the rule `chainring status` uses too
        assertThat(o.problems()).anyMatch(p -> p.startsWith("down: n3"))
                .anyMatch(p -> p.startsWith("1 partition(s) unavailable"));
        assertThat(o.writesPerSecond()).isNull(); // no rate measured yet, none made up
    }

    @Test
    void aRemovedNodeLeavesTheNodeListAndTheHealthRule() {
        RingSnapshot ring = new RingSnapshot("c", 3, 1, 1, List.of(), List.of(new RingSnapshot.PartitionChain(0, List.of("n1"), 3)));
        ClusterStatus status = new ClusterStatus("c", 3, 1, 1, "ctl:1", List.of(
                new NodeStatus("n1", "127.0.0.1:1", "default", "ACTIVE", true, 1, 1, 1),
                new NodeStatus("n2", "127.0.0.1:2", "default", "REMOVED", false, 0, 0, 0)));
        ClusterSnapshot s = new ClusterSnapshot(T, status, ring, Map.of(), null, T);
        assertThat(Views.nodes(s, new WriteRates(10)).nodes()).extracting(Views.Node::id).containsExactly("n1");
        Views.Overview o = Views.overview(s, new WriteRates(10));
        assertThat(o.health()).isEqualTo("ok");
        assertThat(o.downNodes()).isEmpty();
    }

    @Test
    void ringShowsLagAndLearners() {
        Views.Ring r = Views.ring(snapshot());
        Views.RingPartition p0 = r.partitions().get(0);
        assertThat(p0.health()).isEqualTo("ok");
        assertThat(p0.lastLsn()).isEqualTo(100);
        assertThat(p0.oldestInFlightMillis()).isEqualTo(40);
        assertThat(p0.replicas()).extracting(Views.Replica::role).containsExactly("head", "tail");
        assertThat(p0.replicas().get(1).lagLsns()).isEqualTo(5);
        Views.RingPartition p1 = r.partitions().get(1);
        assertThat(p1.health()).isEqualTo("degraded");
        assertThat(p1.replicas().get(1).lastLsn()).as("n3 did not answer").isNull();
        assertThat(r.partitions().get(3).learners()).singleElement().satisfies(l -> {
            assertThat(l.node()).isEqualTo("n4");
            assertThat(l.role()).isEqualTo("learner (catching up)");
            assertThat(l.lagLsns()).isEqualTo(8);
        });
        assertThat(r.nodes()).extracting(Views.RingNode::id).containsExactly("n1", "n2", "n3", "n4");
        assertThat(r.nodes().get(3).replicas()).isZero();
        assertThat(r.nodes().get(0).heads()).isEqualTo(2);
    }

    @Test
    void nodesCarryStatsOrSayWhyNot() {
        Views.Nodes nodes = Views.nodes(snapshot(), new WriteRates(10));
        Views.Node n1 = nodes.nodes().get(0);
        assertThat(n1.keys()).isEqualTo(14);
        assertThat(n1.diskBytes()).isEqualTo(4096);
        assertThat(n1.partitionStats()).extracting(Views.PartitionStat::role).containsExactly("head", "head");
        Views.Node n2 = nodes.nodes().get(1);
        assertThat(n2.partitionStats()).extracting(Views.PartitionStat::role).containsExactly("tail", "head", "tail");
        Views.Node n3 = nodes.nodes().get(2);
        assertThat(n3.statsError()).isEqualTo("down: not asked for stats");
        assertThat(n3.keys()).isNull();
        assertThat(nodes.nodes().get(3).partitionStats().get(0).role()).isEqualTo("learner (catching up)");
        assertThat(nodes.epoch()).isEqualTo(7);
    }

    @Test
    void roleFromPosition() {
        assertThat(Views.role(0, 1)).isEqualTo("head+tail");
        assertThat(Views.role(0, 3)).isEqualTo("head");
        assertThat(Views.role(1, 3)).isEqualTo("middle");
        assertThat(Views.role(2, 3)).isEqualTo("tail");
        assertThat(Views.role(-1, 3)).isEqualTo("none");
    }
}
