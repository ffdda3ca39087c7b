package io.chainring.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainring.ring.NodeId;
import io.chainring.ring.Ring;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The embedded cluster's shape and fault verbs (repair itself is tested in ChainRepairIT). */
@Tag("cluster")
class EmbeddedClusterTest {
    @Test
    void replicationDefaultsToThreeCappedAtTheNodeCount() throws Exception {
        assertThat(EmbeddedCluster.builder().nodes(1).build().replication()).isEqualTo(1);
        assertThat(EmbeddedCluster.builder().nodes(2).build().replication()).isEqualTo(2);
        assertThat(EmbeddedCluster.builder().nodes(5).build().replication()).isEqualTo(3);
        assertThat(EmbeddedCluster.builder().nodes(5).replication(2).build().replication()).isEqualTo(2);
        assertThatThrownBy(() -> EmbeddedCluster.builder().sessionTimeout(Duration.ZERO))
                .hasMessageContaining("session timeout must be positive");
    }

    @Test
    void aOneNodeClusterServesWithOneReplicaAndAKilledNodeLeavesTheOthersServing() throws Exception {
        try (EmbeddedCluster cluster = EmbeddedCluster.builder().nodes(1).partitions(4).build().start()) {
            Ring ring = cluster.ring().orElseThrow();
            assertThat(ring.replication()).isEqualTo(1);
            assertThat(ring.minChainForWrites()).isEqualTo(1);
            assertThat(cluster.allServing()).isTrue();
        }
        try (EmbeddedCluster cluster = EmbeddedCluster.builder().nodes(3).partitions(4).build().start()) {
            Ring ring = cluster.ring().orElseThrow();
            assertThat(ring.replication()).isEqualTo(3);
            assertThat(ring.minChainForWrites()).isEqualTo(2);
            assertThat(ring.partitions()).allSatisfy(p -> assertThat(p.chain().length()).isEqualTo(3));

            cluster.killDatanode("n2");
            assertThat(cluster.isRunning("n2")).isFalse();
            assertThatThrownBy(() -> cluster.killDatanode("n2")).hasMessageContaining("not running");
            assertThat(cluster.seeds()).doesNotContain(":" + ring.node(NodeId.of("n2")).orElseThrow().address().port());
            // the controller drops n2 from every chain; the two others keep serving
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (cluster.ring().orElseThrow().partitionsInvolving(NodeId.of("n2")).size() > 0) {
                assertThat(System.nanoTime()).as("n2 still in a chain after 15 s").isLessThan(deadline);
                Thread.sleep(20);
            }
            assertThat(cluster.ring().orElseThrow().partitions()).allSatisfy(p -> assertThat(p.chain().length()).isEqualTo(2));
            cluster.awaitServing(Duration.ofSeconds(10));
            assertThat(cluster.allServing()).isTrue();

            cluster.restartDatanode("n2");
            assertThat(cluster.isRunning("n2")).isTrue();
            cluster.awaitServing(Duration.ofSeconds(10));
        }
    }
}
