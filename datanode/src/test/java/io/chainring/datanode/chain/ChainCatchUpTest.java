package io.chainring.datanode.chain;

import static io.chainring.datanode.chain.ChainCluster.PARTITIONS;
import static io.chainring.datanode.chain.ChainCluster.WAIT;
import static io.chainring.datanode.chain.ChainCluster.keyIn;
import static io.chainring.datanode.chain.ChainReplicationTest.buf;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.chainring.ring.Ring;
import io.chainring.thrift.PartitionStats;
import io.chainring.thrift.ReadLevel;
import io.chainring.thrift.ReplicatedWrite;
import io.chainring.thrift.SnapshotChunk;
import io.chainring.thrift.StaleRouting;
import io.chainring.thrift.WriteAck;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Learners (DESIGN §6.4, §7 join): a new replica catches up from the tail's snapshot while the
 * live stream runs and reports caughtUp; a restarted node rejoins as a learner and ends with
 * exactly the tail's data, even when it held a divergent suffix.
 */
@Tag("cluster")
class ChainCatchUpTest {
    @TempDir
    Path dir;
    ChainCluster cluster;

    @BeforeEach
    void start() throws Exception {
        // small pulls, so a partition's snapshot takes several chunks
        cluster = new ChainCluster(dir, rc -> rc.withCatchUpChunkBytes(2048));
        cluster.start("n1");
        cluster.start("n2");
        cluster.start("n3");
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
    }

    @Test
    void aLearnerCatchesUpFromSnapshotAndLiveStreamThenIsPromotedToTail() throws Exception {
        Ring ring = cluster.publishAll(List.of("n1", "n2"), List.of());
        try (NodeClient n1 = cluster.client("n1"); NodeClient n3 = cluster.client("n3")) {
            for (int i = 0; i < 800; i++) {
                byte[] key = keyIn(ring, i % PARTITIONS, i / PARTITIONS);
                n1.kv.put(ring.epoch(), buf(key), buf("value-" + i + "-" + "x".repeat(40)), WriteAck.ALL);
                if (i % 7 == 0) {
                    n1.kv.remove(ring.epoch(), buf(key), WriteAck.ALL);
                }
            }
            Ring joined = cluster.publishAll(List.of("n1", "n2"), List.of("n3"));
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicInteger written = new AtomicInteger();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> writeUntilStopped(joined, writing, written, 11));

            await().atMost(WAIT).untilAsserted(() -> {
                List<PartitionStats> stats = n3.admin.stats().getPartitions();
                assertThat(stats).hasSize(PARTITIONS);
                for (PartitionStats ps : stats) {
                    assertThat(ps.getRole()).isEqualTo("LEARNER");
                    assertThat(ps.isCaughtUp()).as("partition %d caught up", ps.getPartition()).isTrue();
                }
            });
            assertThat(written.get()).as("writes kept coming during the catch-up").isPositive();
            assertThatThrownBy(() -> n3.kv.get(joined.epoch(), buf(keyIn(ring, 0, 0)), ReadLevel.ONE))
                    .isInstanceOfSatisfying(StaleRouting.class, e -> assertThat(e.getMessage()).contains("learner"));
            writing.set(false);
            writer.get(WAIT.toSeconds(), TimeUnit.SECONDS);

            Ring promoted = cluster.publishAll(List.of("n1", "n2", "n3"), List.of());
            for (int p = 0; p < PARTITIONS; p++) {
                int partition = p;
                await().atMost(WAIT).untilAsserted(() ->
                        assertThat(snapshot("n3", promoted, partition)).isEqualTo(snapshot("n2", promoted, partition)));
            }
            byte[] key = keyIn(ring, 3, 0);
            long v = n1.kv.put(promoted.epoch(), buf(key), buf("after promotion"), WriteAck.ALL).getVersion();
            assertThat(n3.kv.get(promoted.epoch(), buf(key), ReadLevel.LINEARIZABLE).getVersion()).isEqualTo(v);
            assertThat(ChainReplicationTest.partition(n3.admin.stats(), 3).getRole()).isEqualTo("TAIL");
        }
    }

    /**
     * The divergent-suffix trap: n1, the head, writes with ack ONE while n2 holds the stream back;
     * n1 dies, the chain goes on without it and the new head reuses those LSNs. n1 restarts with
     * its data and rejoins as a learner: it must end with exactly the tail's records.
     */
    @Test
    void aRestartedHeadRejoiningAsLearnerEndsWithExactlyTheTailsData() throws Exception {
        Ring ring = cluster.publishAll(List.of("n1", "n2", "n3"), List.of());
        byte[] kept = keyIn(ring, 0, 0);
        byte[] overwritten = keyIn(ring, 0, 1);
        byte[] deleted = keyIn(ring, 0, 2);
        byte[] onlyOnN1 = keyIn(ring, 0, 3);
        byte[] reusedLsn = keyIn(ring, 0, 4);
        try (NodeClient n1 = cluster.client("n1")) {
            for (int i = 0; i < 40; i++) {
                n1.kv.put(ring.epoch(), buf(keyIn(ring, i % PARTITIONS, 10 + i / PARTITIONS)), buf("base-" + i), WriteAck.ALL);
            }
            for (byte[] k : List.of(kept, overwritten, deleted)) {
                n1.kv.put(ring.epoch(), buf(k), buf("committed"), WriteAck.ALL);
            }
            cluster.faults("n2").pauseApply();
            // a suffix only n1 applies: never acknowledged beyond ONE
            n1.kv.put(ring.epoch(), buf(overwritten), buf("divergent"), WriteAck.ONE);
            n1.kv.remove(ring.epoch(), buf(deleted), WriteAck.ONE);
            n1.kv.put(ring.epoch(), buf(onlyOnN1), buf("divergent"), WriteAck.ONE);
            n1.kv.put(ring.epoch(), buf(keyIn(ring, 5, 0)), buf("divergent"), WriteAck.ONE);
        }
        cluster.stop("n1");
        Ring without = cluster.publishAll(List.of("n2", "n3"), List.of());
        cluster.faults("n2").resumeApply();
        try (NodeClient n2 = cluster.client("n2")) {
            // the new head reuses the LSNs of n1's lost suffix
            n2.kv.put(without.epoch(), buf(reusedLsn), buf("new-head"), WriteAck.ALL);
            n2.kv.put(without.epoch(), buf(kept), buf("new-head"), WriteAck.ALL);
            for (int i = 0; i < 20; i++) {
                n2.kv.put(without.epoch(), buf(keyIn(ring, i % PARTITIONS, 30 + i / PARTITIONS)), buf("later-" + i), WriteAck.ALL);
            }
        }

        cluster.start("n1");
        Ring rejoin = cluster.publishAll(List.of("n2", "n3"), List.of("n1"));
        try (NodeClient n1 = cluster.client("n1")) {
            await().atMost(WAIT).untilAsserted(() -> {
                for (PartitionStats ps : n1.admin.stats().getPartitions()) {
                    assertThat(ps.getRole()).isEqualTo("LEARNER");
                    assertThat(ps.isCaughtUp()).as("partition %d caught up", ps.getPartition()).isTrue();
                }
            });
        }
        Ring promoted = cluster.publishAll(List.of("n2", "n3", "n1"), List.of());
        for (int p = 0; p < PARTITIONS; p++) {
            int partition = p;
            await().atMost(WAIT).untilAsserted(() ->
                    assertThat(snapshot("n1", promoted, partition)).as("partition %d", partition)
                            .isEqualTo(snapshot("n3", promoted, partition)));
        }
        try (NodeClient n1 = cluster.client("n1")) {
            assertThat(n1.kv.get(promoted.epoch(), buf(overwritten), ReadLevel.LINEARIZABLE).getValue()).isEqualTo(bytes("committed"));
            assertThat(n1.kv.get(promoted.epoch(), buf(deleted), ReadLevel.LINEARIZABLE).getValue()).isEqualTo(bytes("committed"));
            assertThat(n1.kv.get(promoted.epoch(), buf(onlyOnN1), ReadLevel.LINEARIZABLE).isFound()).isFalse();
            assertThat(n1.kv.get(promoted.epoch(), buf(onlyOnN1), ReadLevel.LINEARIZABLE).getVersion())
                    .as("no tombstone either: the chain never saw the key").isZero();
            assertThat(n1.kv.get(promoted.epoch(), buf(reusedLsn), ReadLevel.LINEARIZABLE).getValue()).isEqualTo(bytes("new-head"));
            assertThat(n1.kv.get(promoted.epoch(), buf(keyIn(ring, 5, 0)), ReadLevel.ONE).isFound()).isFalse();
        }
    }

    /** Every record of the partition at the node, in key order: key, version, value or tombstone. */
    private List<String> snapshot(String node, Ring ring, int partition) throws Exception {
        List<String> out = new ArrayList<>();
        try (NodeClient c = cluster.client(node)) {
            ByteBuffer cursor = ByteBuffer.allocate(0);
            while (true) {
                SnapshotChunk chunk = c.admin.snapshot(ring.epoch(), partition, cursor, 64 * 1024);
                for (ReplicatedWrite w : chunk.getRecords()) {
                    out.add(new String(w.getKey(), UTF_8) + "@" + w.getLsn() + "=" + (w.isSetValue() ? new String(w.getValue(), UTF_8) : "<tombstone>"));
                }
                if (chunk.isDone() || chunk.getRecords().isEmpty()) {
                    return out;
                }
                cursor = ByteBuffer.wrap(chunk.getRecords().get(chunk.getRecordsSize() - 1).getKey());
            }
        }
    }

    private void writeUntilStopped(Ring ring, AtomicBoolean writing, AtomicInteger written, long seed) {
        Random random = new Random(seed);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (NodeClient n1 = cluster.client("n1")) {
            while (writing.get() && System.nanoTime() < deadline) {
                int i = random.nextInt(1200);
                byte[] key = keyIn(ring, i % PARTITIONS, i / PARTITIONS);
                if (random.nextInt(5) == 0) {
                    n1.kv.remove(ring.epoch(), buf(key), WriteAck.ALL);
                } else {
                    n1.kv.put(ring.epoch(), buf(key), buf("live-" + written.get()), WriteAck.ALL);
                }
                written.incrementAndGet();
            }
        } catch (Exception e) {
            throw new IllegalStateException("writer failed after " + written.get() + " writes", e);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }
}
