package io.chainring.ring;

import static io.chainring.ring.TestRings.chain;
import static io.chainring.ring.TestRings.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RingTest {
    private final Ring ring = TestRings.sample();

    @Test
    void emptyRingHasQUnassignedPartitionsAtEpochZero() {
        Ring empty = Ring.empty("c1", 8, 3);
        assertThat(empty.epoch()).isZero();
        assertThat(empty.partitions()).hasSize(8).allSatisfy(p -> assertThat(p.chain().isEmpty()).isTrue());
        assertThat(empty.isAssigned()).isFalse();
        assertThat(empty.nodes()).isEmpty();
    }

    @Test
    void rejectsAChainNamingAnUnknownNode() {
        List<Partition> ps = new ArrayList<>(ring.partitions());
        ps.set(1, new Partition(1, chain("b", "zz"), 2));
        assertThatThrownBy(() -> new Ring("test", 3, 4, 2, ring.nodes(), ps))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("partition 1 names unknown node zz");
    }

    @Test
    void rejectsAChainLongerThanTheReplicationPlusTheOneAMoveAdds() {
        List<Partition> ps = new ArrayList<>(ring.partitions());
        ps.set(2, new Partition(2, chain("a", "b", "c"), 3));
        // R + 1 is allowed: a move's promote step has the old and the new replica in the chain
        assertThat(new Ring("test", 3, 4, 2, ring.nodes(), ps).partition(2).chain().length()).isEqualTo(3);
        List<Partition> psR1 = new ArrayList<>(ring.partitions());
        psR1.set(0, new Partition(0, chain("a", "b"), 1));
        psR1.set(1, new Partition(1, chain("b", "c"), 2));
        psR1.set(2, new Partition(2, chain("a", "b", "c"), 3));
        assertThatThrownBy(() -> new Ring("test", 3, 4, 1, ring.nodes(), psR1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("longer than replication 1 + 1");
    }

    @Test
    void learnersMustBeKnownAndNotChainMembersAndSurviveTheCodec() {
        List<Partition> ps = new ArrayList<>(ring.partitions());
        ps.set(3, new Partition(3, chain("a"), 3, List.of(NodeId.of("b"))));
        Ring withLearner = new Ring("test", 3, 4, 2, ring.nodes(), ps);
        assertThat(RingCodec.fromBytes(RingCodec.toBytes(withLearner))).isEqualTo(withLearner);
        assertThat(withLearner.partitionsInvolving(NodeId.of("b"))).extracting(Partition::id).contains(0, 1, 3);
        assertThat(withLearner.partitionsOf(NodeId.of("b"))).extracting(Partition::id).containsExactly(0, 1);
        assertThatThrownBy(() -> new Partition(3, chain("a"), 3, List.of(NodeId.of("a"))))
                .hasMessageContaining("learner a is already a member");
        ps.set(3, new Partition(3, chain("a"), 3, List.of(NodeId.of("zz"))));
        assertThatThrownBy(() -> new Ring("test", 3, 4, 2, ring.nodes(), ps)).hasMessageContaining("unknown learner zz");
    }

    @Test
    void minChainForWritesDefaultsToTwoFromReplicationThreeAndSurvivesTheCodec() {
        assertThat(Ring.empty("c", 4, 3).minChainForWrites()).isEqualTo(2);
        assertThat(Ring.empty("c", 4, 2).minChainForWrites()).isEqualTo(1);
        assertThat(ring.minChainForWrites()).isEqualTo(1);
        Ring strict = new Ring("test", 3, 4, 2, ring.nodes(), ring.partitions(), 2);
        assertThat(RingCodec.fromBytes(RingCodec.toBytes(strict)).minChainForWrites()).isEqualTo(2);
        assertThat(strict.withNodes(ring.nodes().values()).minChainForWrites()).isEqualTo(2);
        assertThatThrownBy(() -> new Ring("test", 3, 4, 2, ring.nodes(), ring.partitions(), 3))
                .hasMessageContaining("min chain for writes must be 1..2");
    }

    @Test
    void rejectsPartitionIdsOutOfOrder() {
        List<Partition> ps = new ArrayList<>(ring.partitions());
        ps.set(0, ring.partition(1));
        ps.set(1, ring.partition(0));
        assertThatThrownBy(() -> new Ring("test", 3, 4, 2, ring.nodes(), ps))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("partition at index 0 has id 1");
    }

    @Test
    void rejectsAWrongNumberOfPartitions() {
        assertThatThrownBy(() -> new Ring("test", 3, 5, 2, ring.nodes(), ring.partitions()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ring has 4 partitions, expected 5");
    }

    @Test
    void rejectsAChangeEpochAfterTheRingEpoch() {
        List<Partition> ps = new ArrayList<>(ring.partitions());
        ps.set(3, new Partition(3, chain("a"), 4));
        assertThatThrownBy(() -> new Ring("test", 3, 4, 2, ring.nodes(), ps))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("after ring epoch 3");
    }

    @Test
    void rejectsBadCountsAndEpochs() {
        assertThatThrownBy(() -> Ring.empty("c", 0, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ring.empty("c", 4, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Partition(-1, Chain.empty(), 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> chain("a", "a")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("each node once");
    }

    @Test
    void nextStampsTheNewEpochOnlyOnChangedPartitions() {
        List<Chain> chains = new ArrayList<>(ring.chains());
        chains.set(1, chain("c", "b"));
        chains.set(3, chain("a", "b"));

        Ring next = ring.next(ring.nodes().values(), chains);

        assertThat(next.epoch()).isEqualTo(4);
        assertThat(next.partitions()).extracting(Partition::changedAt).containsExactly(1L, 4L, 3L, 4L);
        assertThat(next.chains()).isEqualTo(chains);
    }

    @Test
    void withNodesKeepsEveryChainAndItsChangeEpoch() {
        List<NodeInfo> moved = ring.nodes().values().stream()
                .map(n -> n.withAddress(new HostPort("10.0.0.1", n.address().port()))).toList();
        Ring next = ring.withNodes(moved);
        assertThat(next.epoch()).isEqualTo(4);
        assertThat(next.partitions()).isEqualTo(ring.partitions());
        assertThat(next.node(NodeId.of("a")).orElseThrow().address().host()).isEqualTo("10.0.0.1");
    }

    @Test
    void nextRejectsTheWrongNumberOfChains() {
        assertThatThrownBy(() -> ring.next(ring.nodes().values(), ring.chains().subList(0, 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected 4 chains, got 3");
    }

    @Test
    void roleCountsCountReplicasHeadsAndTails() {
        Map<NodeId, int[]> counts = ring.roleCounts();
        assertThat(counts.get(NodeId.of("a"))).containsExactly(3, 2, 2);
        assertThat(counts.get(NodeId.of("b"))).containsExactly(2, 1, 1);
        assertThat(counts.get(NodeId.of("c"))).containsExactly(2, 1, 1);
    }

    @Test
    void partitionLookups() {
        assertThat(ring.partitionsOf(NodeId.of("c"))).extracting(Partition::id).containsExactly(1, 2);
        assertThat(ring.isAssigned()).isTrue();
        byte[] key = "user:42".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(ring.partitionFor(key).id()).isEqualTo(KeyHasher.partitionOf(key, 4));
        assertThat(ring.node(NodeId.of("nobody"))).isEmpty();
    }

    @Test
    void nodeInfoDefaultsItsZone() {
        assertThat(node("x", null, NodeState.NEW).zone()).isEqualTo(NodeInfo.DEFAULT_ZONE);
        assertThat(node("x", " ", NodeState.NEW).zone()).isEqualTo(NodeInfo.DEFAULT_ZONE);
        assertThat(NodeState.ACTIVE.holdsReplicas()).isTrue();
        assertThat(NodeState.JOINING.holdsReplicas()).isTrue();
        assertThat(NodeState.NEW.holdsReplicas()).isFalse();
        assertThat(NodeState.DECOMMISSIONING.holdsReplicas()).isFalse();
        assertThat(NodeState.REMOVED.holdsReplicas()).isFalse();
    }

    @Test
    void chainNavigation() {
        Chain c = chain("a", "b", "c");
        assertThat(c.head()).isEqualTo(NodeId.of("a"));
        assertThat(c.tail()).isEqualTo(NodeId.of("c"));
        assertThat(c.successorOf(NodeId.of("b"))).contains(NodeId.of("c"));
        assertThat(c.successorOf(NodeId.of("c"))).isEmpty();
        assertThat(c.predecessorOf(NodeId.of("a"))).isEmpty();
        assertThat(c.positionOf(NodeId.of("z"))).isEqualTo(-1);
        assertThatThrownBy(() -> Chain.empty().head()).isInstanceOf(IllegalStateException.class);
    }
}
