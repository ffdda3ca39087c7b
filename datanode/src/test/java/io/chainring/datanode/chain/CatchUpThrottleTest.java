package io.chainring.datanode.chain;

import static io.chainring.datanode.chain.ChainCluster.PARTITIONS;
import static io.chainring.datanode.chain.ChainCluster.WAIT;
import static io.chainring.datanode.chain.ChainCluster.keyIn;
import static io.chainring.datanode.chain.ChainReplicationTest.buf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chainring.metadata.ThrottleStore;
import io.chainring.ring.Ring;
import io.chainring.thrift.NodeStats;
import io.chainring.thrift.PartitionStats;
import io.chainring.thrift.WriteAck;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catch-up budgets (DESIGN §7): a move's learner (its chain is whole) pulls under the
 * cluster's throttle node-wide, a change applies while passes run, and the stats show each pass's
 * progress, the partition's size, the throttle and the node's catch-up bytes; a learner that
 * repairs a chain below R copies at the repair budget instead, whatever the throttle.
 */
@Tag("cluster")
class CatchUpThrottleTest {
    private static final int VALUE_BYTES = 1000;
    private static final int KEYS = 480;

    @TempDir
    Path dir;
    ChainCluster cluster;

    @BeforeEach
    void start() throws Exception {
        cluster = new ChainCluster(dir, rc -> rc);
        cluster.start("n1");
        cluster.start("n2");
        cluster.start("n3");
        cluster.start("n4");
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
    }

    @Test
    void aThrottledLearnerCopiesAtTheRateAndReportsItsProgress() throws Exception {
        Ring ring = cluster.publishAll(List.of("n1", "n2", "n3"), List.of());
        try (NodeClient n1 = cluster.client("n1")) {
            for (int i = 0; i < KEYS; i++) {
                n1.kv.put(ring.epoch(), buf(keyIn(ring, i % PARTITIONS, i / PARTITIONS)), buf("v".repeat(VALUE_BYTES)), WriteAck.ALL);
            }
            NodeStats source = n1.admin.stats();
            assertThat(source.getThrottleBytesPerSecond()).isEqualTo(ThrottleStore.DEFAULT_BYTES_PER_SECOND);
            assertThat(source.getRequestsTotal()).isGreaterThanOrEqualTo(KEYS);
            assertThat(source.getRequestP99Micros()).isPositive();
            long stored = source.getPartitions().stream().mapToLong(PartitionStats::getDataBytes).sum();
            assertThat(stored).as("every key and value").isGreaterThanOrEqualTo((long) KEYS * VALUE_BYTES);
        }
        // about 490 KB to copy at 160 KB/s: 2 to 3 s (a 40 KB initial burst)
        cluster.throttle(160_000);
                try (NodeClient n3 = cluster.client("n4")) {
            await().atMost(WAIT).until(() -> n3.admin.stats().getThrottleBytesPerSecond() == 160_000);
            long start = System.nanoTime();
            cluster.publishAll(List.of("n1", "n2", "n3"), List.of("n4"));
            await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
                for (PartitionStats ps : n3.admin.stats().getPartitions()) {
                    assertThat(ps.isCaughtUp()).as("partition %d caught up", ps.getPartition()).isTrue();
                }
            });
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(millis).as("copy time at 160 KB/s").isGreaterThan(2000);
            NodeStats learner = n3.admin.stats();
            long copiedKeys = 0;
            long copiedBytes = 0;
            for (PartitionStats ps : learner.getPartitions()) {
                assertThat(ps.isSetCatchUpStartedMillis()).isTrue();
                assertThat(ps.getCatchUpStartedMillis()).isGreaterThan(System.currentTimeMillis() - 60_000);
                copiedKeys += ps.getCatchUpKeys();
                copiedBytes += ps.getCatchUpBytes();
                assertThat(ps.getDataBytes()).isEqualTo(ps.getCatchUpBytes());
            }
            assertThat(copiedKeys).isEqualTo(KEYS);
            assertThat(copiedBytes).isGreaterThanOrEqualTo((long) KEYS * VALUE_BYTES);
            assertThat(learner.getCatchUpBytesTotal()).isEqualTo(copiedBytes);
        }
    }

    @Test
    void raisingTheThrottleSpeedsUpAPassAlreadyWaiting() throws Exception {
        Ring ring = cluster.publishAll(List.of("n1", "n2", "n3"), List.of());
        try (NodeClient n1 = cluster.client("n1")) {
            for (int i = 0; i < KEYS; i++) {
                n1.kv.put(ring.epoch(), buf(keyIn(ring, i % PARTITIONS, i / PARTITIONS)), buf("v".repeat(VALUE_BYTES)), WriteAck.ALL);
            }
        }
        cluster.throttle(20_000); // 25 s for everything
        try (NodeClient n3 = cluster.client("n4")) {
            await().atMost(WAIT).until(() -> n3.admin.stats().getThrottleBytesPerSecond() == 20_000);
            cluster.publishAll(List.of("n1", "n2", "n3"), List.of("n4"));
            await().atMost(WAIT).until(() -> n3.admin.stats().getCatchUpBytesTotal() > 0);
            Thread.sleep(500);
            assertThat(n3.admin.stats().getCatchUpBytesTotal()).as("throttled").isLessThan(200_000);
            long start = System.nanoTime();
            cluster.throttle(0);
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
                for (PartitionStats ps : n3.admin.stats().getPartitions()) {
                    assertThat(ps.isCaughtUp()).as("partition %d caught up", ps.getPartition()).isTrue();
                }
            });
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("well under the 20 s the old rate needs").isLessThan(10_000);
            assertThat(n3.admin.stats().getThrottleBytesPerSecond()).isZero();
        }
    }

    @Test
    void aLearnerOfAChainBelowRIsARepairAndIgnoresTheRebalanceThrottle() throws Exception {
        Ring ring = cluster.publishAll(List.of("n1", "n2"), List.of());
        try (NodeClient n1 = cluster.client("n1")) {
            for (int i = 0; i < KEYS; i++) {
                n1.kv.put(ring.epoch(), buf(keyIn(ring, i % PARTITIONS, i / PARTITIONS)), buf("v".repeat(VALUE_BYTES)), WriteAck.ALL);
            }
        }
        cluster.throttle(20_000); // a move would need 25 s for everything
        try (NodeClient n3 = cluster.client("n3")) {
            await().atMost(WAIT).until(() -> n3.admin.stats().getThrottleBytesPerSecond() == 20_000);
            long start = System.nanoTime();
            cluster.publishAll(List.of("n1", "n2"), List.of("n3"));
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
                for (PartitionStats ps : n3.admin.stats().getPartitions()) {
                    assertThat(ps.isCaughtUp()).as("partition %d caught up", ps.getPartition()).isTrue();
                }
            });
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("repair is not held to 20 KB/s")
                    .isLessThan(10_000);
            assertThat(n3.admin.stats().getCatchUpBytesTotal()).isGreaterThanOrEqualTo((long) KEYS * VALUE_BYTES);
        }
    }
}
