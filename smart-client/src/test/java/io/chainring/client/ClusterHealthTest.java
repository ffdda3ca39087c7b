package io.chainring.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainring.client.ClusterHealth.PartitionHealth;
import io.chainring.client.ClusterHealth.Verdict;
import io.chainring.client.RingSnapshot.PartitionChain;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The one health rule that {@code chainring status} and the admin UI share, case by case. */
class ClusterHealthTest {
    private static NodeStatus node(String id, String state, boolean live, int partitions) {
        return new NodeStatus(id, "127.0.0.1:1", "z", state, live, partitions, 0, 0);
    }

    private static ClusterHealth health(int r, List<NodeStatus> nodes, List<List<String>> chains) {
        ClusterStatus status = new ClusterStatus("c", 5, chains.size(), r, "127.0.0.1:7001", nodes);
        List<PartitionChain> parts = new java.util.ArrayList<>();
        for (int i = 0; i < chains.size(); i++) {
            parts.add(new PartitionChain(i, chains.get(i), 1));
        }
        return ClusterHealth.of(status, new RingSnapshot("c", 5, chains.size(), r, List.of(), parts));
    }

    @Test
    void partitionsAreJudgedByTheirLiveMembersAndLength() {
        Set<String> live = Set.of("n1", "n2");
        assertThat(ClusterHealth.partition(new PartitionChain(0, List.of("n1", "n2"), 1), 2, live::contains)).isEqualTo(PartitionHealth.OK);
        assertThat(ClusterHealth.partition(new PartitionChain(0, List.of("n1", "n2"), 1), 3, live::contains))
                .isEqualTo(PartitionHealth.UNDER_REPLICATED);
        assertThat(ClusterHealth.partition(new PartitionChain(0, List.of("n1", "n3"), 1), 2, live::contains)).isEqualTo(PartitionHealth.DEGRADED);
        assertThat(ClusterHealth.partition(new PartitionChain(0, List.of("n3"), 1), 1, live::contains)).isEqualTo(PartitionHealth.UNAVAILABLE);
        assertThat(ClusterHealth.partition(new PartitionChain(0, List.of(), 1), 1, live::contains)).isEqualTo(PartitionHealth.UNAVAILABLE);
        assertThat(PartitionHealth.UNDER_REPLICATED.label()).isEqualTo("under_replicated");
    }

    @Test
    void aHealthyClusterIsOk() {
        ClusterHealth h = health(2, List.of(node("n1", "ACTIVE", true, 2), node("n2", "ACTIVE", true, 2)),
                List.of(List.of("n1", "n2"), List.of("n2", "n1")));
        assertThat(h.verdict()).isEqualTo(Verdict.OK);
        assertThat(h.healthy()).isTrue();
        assertThat(h.problems()).isEmpty();
        assertThat(h.partitions()).containsEntry(PartitionHealth.OK, 2);
    }

    @Test
    void aDownNodeDegradesEvenWhenItHoldsNothingAndARemovedOneIsIgnored() {
        List<List<String>> chains = List.of(List.of("n1", "n2"), List.of("n2", "n1"));
        ClusterHealth idleDown = health(2, List.of(node("n1", "ACTIVE", true, 2), node("n2", "ACTIVE", true, 2),
                node("n3", "NEW", false, 0)), chains);
        assertThat(idleDown.verdict()).isEqualTo(Verdict.DEGRADED);
        assertThat(idleDown.down()).containsExactly("n3");
        assertThat(idleDown.problems()).containsExactly("down: n3 (0 partitions)");

        ClusterHealth removed = health(2, List.of(node("n1", "ACTIVE", true, 2), node("n2", "ACTIVE", true, 2),
                node("n3", "REMOVED", false, 0)), chains);
        assertThat(removed.verdict()).as("a REMOVED node leaves the rules").isEqualTo(Verdict.OK);
        assertThat(removed.down()).isEmpty();
    }

    @Test
    void chainsWithADeadMemberOrTooShortDegradeAndAnEmptyOneIsUnavailable() {
        List<NodeStatus> nodes = List.of(node("n1", "ACTIVE", true, 2), node("n2", "ACTIVE", false, 1), node("n3", "ACTIVE", true, 1));
        ClusterHealth memberDown = health(3, nodes, List.of(List.of("n1", "n2", "n3"), List.of("n1", "n3")));
        assertThat(memberDown.verdict()).isEqualTo(Verdict.DEGRADED);
        assertThat(memberDown.partitions()).containsEntry(PartitionHealth.DEGRADED, 1).containsEntry(PartitionHealth.UNDER_REPLICATED, 1);
        assertThat(memberDown.problems()).contains("1 partition(s) with chain members down", "1 partition(s) with fewer than 3 replicas");

        ClusterHealth unavailable = health(3, nodes, List.of(List.of("n2"), List.of("n1", "n2", "n3")));
        assertThat(unavailable.verdict()).isEqualTo(Verdict.UNAVAILABLE);
        assertThat(unavailable.verdict().label()).isEqualTo("unavailable");
    }

    @Test
    void fewerActiveNodesThanRLowerTheWantedLength() {
        // two ACTIVE nodes and R = 3: chains of 2 are as full as they can be
        ClusterHealth h = health(3, List.of(node("n1", "ACTIVE", true, 1), node("n2", "ACTIVE", true, 1)), List.of(List.of("n1", "n2")));
        assertThat(h.verdict()).isEqualTo(Verdict.OK);
    }

    @Test
    void aLiveNodeThatRefusesWritesDegradesAndTheChainsThatNeedItAreCounted() {
        NodeStatus full = new NodeStatus("n3", "127.0.0.1:3", "z", "ACTIVE", true, 1, 0, 1,
                java.util.Optional.of("node n3 is at its free-disk limit (1.0 GiB free, --min-free-disk 5.0 GiB)"));
        ClusterHealth h = health(2, List.of(node("n1", "ACTIVE", true, 2), node("n2", "ACTIVE", true, 2), full),
                List.of(List.of("n1", "n2"), List.of("n2", "n3")));
        assertThat(h.verdict()).isEqualTo(Verdict.DEGRADED);
        assertThat(h.problems()).containsExactly(
                "refusing writes: n3 (node n3 is at its free-disk limit (1.0 GiB free, --min-free-disk 5.0 GiB))",
                "1 partition(s) take no writes: their chain needs a node that refuses them");
        assertThat(h.partitions()).containsEntry(PartitionHealth.OK, 2);
    }
}
