package io.chainring.datanode.chain;

import static io.chainring.datanode.chain.ChainCluster.PARTITIONS;
import static io.chainring.datanode.chain.ChainCluster.WAIT;
import static io.chainring.datanode.chain.ChainCluster.keyIn;
import static io.chainring.datanode.chain.ChainReplicationTest.buf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chainring.ring.Ring;
import io.chainring.thrift.PartitionStats;
import io.chainring.thrift.WriteAck;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The grace period of a dropped copy (DESIGN §7 drop step): a node that left a partition keeps
 * its data for {@code dropGrace}, then deletes it; getting the partition back within the grace
 * keeps the data (a rejoining learner then copies only what it lacks).
 */
@Tag("cluster")
class DropGraceTest {
    private static final int KEYS = 160;

    @TempDir
    Path dir;
    ChainCluster cluster;

    @BeforeEach
    void start() throws Exception {
        cluster = new ChainCluster(dir, rc -> rc.withDropGrace(Duration.ofSeconds(2)));
        cluster.start("n1");
        cluster.start("n2");
        cluster.start("n3");
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
    }

    @Test
    void aDroppedCopyIsKeptForTheGraceThenDeleted() throws Exception {
        fill(cluster.publishAll(List.of("n1", "n2", "n3"), List.of()));
        cluster.publishAll(List.of("n1", "n2"), List.of());
        long dropped = System.nanoTime();
        try (NodeClient n3 = cluster.client("n3")) {
            List<PartitionStats> kept = n3.admin.stats().getPartitions();
            assertThat(kept).hasSize(PARTITIONS).allSatisfy(ps -> {
                assertThat(ps.getRole()).isEqualTo("NONE");
                assertThat(ps.getKeys()).isPositive();
                assertThat(ps.getDataBytes()).isPositive();
            });
            await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> n3.admin.stats().getPartitions().isEmpty());
            assertThat(Duration.ofNanos(System.nanoTime() - dropped)).isGreaterThan(Duration.ofMillis(1500));
        }
        // the node can take the partitions again, from scratch
        cluster.publishAll(List.of("n1", "n2"), List.of("n3"));
        try (NodeClient n3 = cluster.client("n3")) {
            await().atMost(WAIT).untilAsserted(() -> assertThat(n3.admin.stats().getPartitions())
                    .hasSize(PARTITIONS).allSatisfy(ps -> assertThat(ps.isCaughtUp()).isTrue()));
            long copied = n3.admin.stats().getPartitions().stream().mapToLong(PartitionStats::getCatchUpKeys).sum();
            assertThat(copied).as("everything copied anew").isEqualTo(KEYS);
        }
    }

    @Test
    void gettingThePartitionBackWithinTheGraceKeepsTheData() throws Exception {
        fill(cluster.publishAll(List.of("n1", "n2", "n3"), List.of()));
        cluster.publishAll(List.of("n1", "n2"), List.of());
        try (NodeClient n3 = cluster.client("n3")) {
            // n3 has left every chain (its copies wait out the grace) before it gets them back
            await().atMost(WAIT).untilAsserted(() -> assertThat(n3.admin.stats().getPartitions())
                    .hasSize(PARTITIONS).allSatisfy(ps -> assertThat(ps.getRole()).isEqualTo("NONE")));
            cluster.publishAll(List.of("n1", "n2"), List.of("n3"));
            // past the first grace (2 s) the data is still there and caught up
            await().during(Duration.ofMillis(2500)).atMost(WAIT).untilAsserted(() -> assertThat(n3.admin.stats()
                    .getPartitions()).hasSize(PARTITIONS).allSatisfy(ps -> assertThat(ps.getKeys()).isPositive()));
            await().atMost(WAIT).untilAsserted(() -> assertThat(n3.admin.stats().getPartitions())
                    .hasSize(PARTITIONS).allSatisfy(ps -> assertThat(ps.isCaughtUp()).isTrue()));
            List<PartitionStats> stats = n3.admin.stats().getPartitions();
            assertThat(stats.stream().mapToLong(PartitionStats::getKeys).sum()).isEqualTo(KEYS);
            assertThat(stats.stream().mapToLong(PartitionStats::getCatchUpKeys).sum()).as("nothing had to be copied").isZero();
        }
    }

    private void fill(Ring ring) throws Exception {
        try (NodeClient n1 = cluster.client("n1")) {
            for (int i = 0; i < KEYS; i++) {
                n1.kv.put(ring.epoch(), buf(keyIn(ring, i % PARTITIONS, i / PARTITIONS)), buf("value-" + i), WriteAck.ALL);
            }
        }
    }
}
