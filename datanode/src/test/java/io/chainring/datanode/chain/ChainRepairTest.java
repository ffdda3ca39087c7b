package io.chainring.datanode.chain;

import static io.chainring.datanode.chain.ChainCluster.PARTITIONS;
import static io.chainring.datanode.chain.ChainCluster.WAIT;
import static io.chainring.datanode.chain.ChainCluster.keyIn;
import static io.chainring.datanode.chain.ChainReplicationTest.buf;
import static io.chainring.datanode.chain.ChainReplicationTest.partition;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chainring.ring.Ring;
import io.chainring.thrift.GetResult;
import io.chainring.thrift.ReadLevel;
import io.chainring.thrift.WriteAck;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chain changes with writes in flight (DESIGN §6.4): the head, a middle node or the tail is
 * dropped from the chain while the tail lags; no acknowledged write is lost and the new chain
 * serves them. The test plays the controller.
 */
@Tag("cluster")
class ChainRepairTest {
    @TempDir
    Path dir;
    ChainCluster cluster;
    Ring ring;

    @BeforeEach
    void start() throws Exception {
        cluster = new ChainCluster(dir, rc -> rc.withWriteTimeout(Duration.ofSeconds(20)));
        cluster.start("n1");
        cluster.start("n2");
        cluster.start("n3");
        ring = cluster.publishAll(List.of("n1", "n2", "n3"), List.of());
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
    }

    @Test
    void headLostTheSuccessorBecomesHeadAndItsInFlightWritesReachTheTail() throws Exception {
        Map<String, Long> acked = new LinkedHashMap<>();
        try (NodeClient n1 = cluster.client("n1")) {
            write(n1, acked, 0, 10, WriteAck.ALL);
            cluster.faults("n3").pauseApply();
            write(n1, acked, 10, 20, WriteAck.MAJORITY); // on n1 and n2 only
        }
        cluster.stop("n1");
        Ring next = cluster.publishAll(List.of("n2", "n3"), List.of());
        cluster.faults("n3").resumeApply();
        try (NodeClient n2 = cluster.client("n2"); NodeClient n3 = cluster.client("n3")) {
            long before = n2.admin.stats().getPartitions().stream().mapToLong(p -> p.getLastLsn()).max().orElse(0);
            write(n2, acked, 20, 30, WriteAck.ALL);
            assertThat(partition(n2.admin.stats(), 0).getRole()).isEqualTo("HEAD");
            assertEveryWrite(next, acked, n2, n3);
            assertThat(n2.admin.stats().getPartitions().stream().mapToLong(p -> p.getLastLsn()).max().orElse(0))
                    .as("the new head continues its LSNs").isGreaterThan(before);
        }
    }

    @Test
    void middleLostThePredecessorResendsAndAWaitingAllWriteCompletes() throws Exception {
        Map<String, Long> acked = new LinkedHashMap<>();
        try (NodeClient n1 = cluster.client("n1"); NodeClient n2 = cluster.client("n2")) {
            write(n1, acked, 0, 10, WriteAck.ALL);
            cluster.faults("n3").pauseApply();
            write(n1, acked, 10, 20, WriteAck.MAJORITY);
            byte[] pending = keyIn(ring, 1, 100);
            CompletableFuture<Long> all = CompletableFuture.supplyAsync(() -> {
                try (NodeClient c = cluster.client("n1")) {
                    return c.kv.put(ring.epoch(), buf(pending), buf("pending"), WriteAck.ALL).getVersion();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            await().atMost(WAIT).until(() -> n2.kv.get(ring.epoch(), buf(pending), ReadLevel.ONE).isFound());
            assertThat(all).isNotDone();

            cluster.stop("n2");
            Ring next = cluster.publishAll(List.of("n1", "n3"), List.of());
            cluster.faults("n3").resumeApply();
            assertThat(all.get(WAIT.toSeconds(), TimeUnit.SECONDS)).as("acknowledged through the repaired chain").isPositive();
            acked.put(new String(pending, UTF_8) + "=pending", all.get());
            try (NodeClient n3 = cluster.client("n3")) {
                write(n1, acked, 20, 30, WriteAck.ALL);
                assertEveryWrite(next, acked, n1, n3);
            }
        }
    }

    @Test
    void tailLostThePredecessorBecomesTailAndCommitsWhatItHolds() throws Exception {
        Map<String, Long> acked = new LinkedHashMap<>();
        try (NodeClient n1 = cluster.client("n1"); NodeClient n2 = cluster.client("n2")) {
            write(n1, acked, 0, 10, WriteAck.ALL);
            cluster.faults("n3").pauseApply();
            write(n1, acked, 10, 20, WriteAck.MAJORITY);
            byte[] key = keyIn(ring, 16 % PARTITIONS, 16 / PARTITIONS); // written with MAJORITY above
            assertThat(n1.kv.get(ring.epoch(), buf(key), ReadLevel.LINEARIZABLE).isFound())
                    .as("not committed while the tail lags").isFalse();
            cluster.stop("n3");
            Ring next = cluster.publishAll(List.of("n1", "n2"), List.of());
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(partition(n1.admin.stats(), 0).getInFlight()).isZero();
                assertThat(n1.kv.get(next.epoch(), buf(key), ReadLevel.LINEARIZABLE).isFound()).isTrue();
            });
            assertThat(partition(n2.admin.stats(), 0).getRole()).isEqualTo("TAIL");
            write(n1, acked, 20, 30, WriteAck.ALL);
            assertEveryWrite(next, acked, n1, n2);
        }
    }

    /**
     * A head that restarts before anyone dropped it keeps its place but lost its in-memory
     * in-flight writes: its successor's resend requests cannot be served, so after the gap
     * timeout the successor pulls what it lacks (and so does the tail from it).
     */
    @Test
    void aHeadRestartedInPlaceLosesItsInFlightLogAndTheChainFillsTheGapByCatchUpPasses() throws Exception {
        Map<String, Long> acked = new LinkedHashMap<>();
        try (NodeClient n1 = cluster.client("n1")) {
            write(n1, acked, 0, 10, WriteAck.ALL);
            cluster.faults("n2").pauseApply();
            write(n1, acked, 10, 20, WriteAck.ONE); // only n1 has these
        }
        cluster.stop("n1");
        cluster.start("n1");
        Ring same = cluster.publishAll(List.of("n1", "n2", "n3"), List.of()); // only n1's address changed
        assertThat(same.partition(0).changedAt()).isEqualTo(ring.partition(0).changedAt());
        cluster.faults("n2").resumeApply();
        try (NodeClient n1 = cluster.client("n1"); NodeClient n2 = cluster.client("n2"); NodeClient n3 = cluster.client("n3")) {
            write(n1, acked, 20, 30, WriteAck.ALL);
            assertEveryWrite(same, acked, n1, n2, n3);
        }
    }

    /** Writes keys i in [from, to), spread over the partitions, at the given head; remembers the acked versions. */
    private void write(NodeClient head, Map<String, Long> acked, int from, int to, WriteAck ack) throws Exception {
        long epoch = cluster.ring().epoch();
        for (int i = from; i < to; i++) {
            byte[] key = keyIn(ring, i % PARTITIONS, i / PARTITIONS);
            String value = "v" + i;
            long v = head.kv.put(epoch, buf(key), buf(value), ack).getVersion();
            acked.put(new String(key, UTF_8) + "=" + value, v);
        }
    }

    /** Every acknowledged write is there, with its version, at every replica (ONE) and through a linearizable read. */
    private static void assertEveryWrite(Ring ring, Map<String, Long> acked, NodeClient... replicas) {
        await().atMost(WAIT).untilAsserted(() -> {
            for (Map.Entry<String, Long> e : acked.entrySet()) {
                String[] kv = e.getKey().split("=", 2);
                for (NodeClient c : replicas) {
                    for (ReadLevel level : List.of(ReadLevel.ONE, ReadLevel.LINEARIZABLE)) {
                        GetResult r = c.kv.get(ring.epoch(), buf(kv[0]), level);
                        assertThat(r.getValue()).as("%s at %s", e.getKey(), level).isEqualTo(kv[1].getBytes(UTF_8));
                        assertThat(r.getVersion()).isEqualTo(e.getValue());
                    }
                }
            }
        });
    }
}
