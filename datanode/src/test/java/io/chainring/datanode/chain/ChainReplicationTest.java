package io.chainring.datanode.chain;

import static io.chainring.datanode.chain.ChainCluster.WAIT;
import static io.chainring.datanode.chain.ChainCluster.keyIn;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.chainring.datanode.chain.ChainCluster.Layout;
import io.chainring.ring.Ring;
import io.chainring.thrift.ErrorCode;
import io.chainring.thrift.GetResult;
import io.chainring.thrift.NodeStats;
import io.chainring.thrift.PartitionStats;
import io.chainring.thrift.OutcomeUnknown;
import io.chainring.thrift.ReadLevel;
import io.chainring.thrift.ReplicateBatch;
import io.chainring.thrift.ReplicatedWrite;
import io.chainring.thrift.StaleRouting;
import io.chainring.thrift.Unavailable;
import io.chainring.thrift.WriteAck;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chain replication across three real datanodes (DESIGN §6): the write stream, ack levels, CRAQ
 * reads and fencing. The test writes the rings to ZooKeeper itself.
 */
@Tag("cluster")
class ChainReplicationTest {
    @TempDir
    Path dir;
    ChainCluster cluster;

    @BeforeEach
    void start() throws Exception {
        cluster = new ChainCluster(dir, rc -> rc.withWriteTimeout(Duration.ofMillis(1500)));
        cluster.start("n1");
        cluster.start("n2");
        cluster.start("n3");
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
    }

    @Test
    void everyWriteAcknowledgedByAllIsReadableAtEveryReplica() throws Exception {
        // heads rotate so that every node streams to every other one
        String[][] chains = {{"n1", "n2", "n3"}, {"n2", "n3", "n1"}, {"n3", "n1", "n2"}};
        Ring ring = cluster.publish(p -> Layout.of(chains[p % 3]));
        Map<String, NodeClient> clients = clients();
        List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < 240; i++) {
            int p = i % ChainCluster.PARTITIONS;
            byte[] key = keyIn(ring, p, i / ChainCluster.PARTITIONS);
            keys.add(key);
            NodeClient head = clients.get(chains[p % 3][0]);
            head.kv.put(ring.epoch(), buf(key), buf("v" + i), WriteAck.ALL);
            if (i % 10 == 8) {
                assertThat(head.kv.remove(ring.epoch(), buf(key), WriteAck.ALL).isExisted()).isTrue();
            }
        }
        for (NodeClient c : clients.values()) {
            for (int i = 0; i < keys.size(); i++) {
                GetResult r = c.kv.get(ring.epoch(), buf(keys.get(i)), ReadLevel.ONE);
                if (i % 10 == 8) {
                    assertThat(r.isFound()).as("deleted key %d", i).isFalse();
                    assertThat(r.getVersion()).as("a deleted key reports its tombstone's version").isPositive();
                } else {
                    assertThat(r.getValue()).as("key %d", i).isEqualTo(("v" + i).getBytes(UTF_8));
                }
            }
        }
        // nothing is left in flight; every replica knows everything committed
        await().atMost(WAIT).untilAsserted(() -> {
            for (NodeClient c : clients.values()) {
                for (PartitionStats ps : c.admin.stats().getPartitions()) {
                    assertThat(ps.getInFlight()).isZero();
                    assertThat(ps.getCommittedLsn()).isEqualTo(ps.getLastLsn());
                    assertThat(ps.getAppliedLsn()).isEqualTo(ps.getLastLsn());
                }
            }
        });
        NodeStats stats = clients.get("n2").admin.stats();
        assertThat(stats.getPartitions()).extracting(PartitionStats::getRole).contains("HEAD", "MIDDLE", "TAIL");
        closeAll(clients);
    }

    @Test
    void craqReadsWhileTheTailLagsAndWhatEachLevelRisks() throws Exception {
        Ring ring = cluster.publishAll(List.of("n1", "n2", "n3"), List.of());
        byte[] key = keyIn(ring, 2, 0);
        Map<String, NodeClient> c = clients();
        long v1 = c.get("n1").kv.put(ring.epoch(), buf(key), buf("v1"), WriteAck.ALL).getVersion();

        cluster.faults("n3").pauseApply();
        // ONE: acknowledged after the head's own write
        long v2 = c.get("n1").kv.put(ring.epoch(), buf(key), buf("v2"), WriteAck.ONE).getVersion();
        assertThat(v2).isGreaterThan(v1);
        await().atMost(WAIT).until(() -> c.get("n2").kv.get(ring.epoch(), buf(key), ReadLevel.ONE).getVersion() == v2);

        // LINEARIZABLE at the middle and at the head: the key is dirty there, so the tail answers: the committed v1
        for (String n : List.of("n1", "n2")) {
            GetResult lin = c.get(n).kv.get(ring.epoch(), buf(key), ReadLevel.LINEARIZABLE);
            assertThat(lin.getValue()).as("linearizable read at %s", n).isEqualTo("v1".getBytes(UTF_8));
            assertThat(lin.getVersion()).isEqualTo(v1);
        }
        // ONE at the middle sees the uncommitted v2; ONE at the tail misses the acknowledged v2 (a stale read)
        assertThat(c.get("n2").kv.get(ring.epoch(), buf(key), ReadLevel.ONE).getValue()).isEqualTo("v2".getBytes(UTF_8));
        assertThat(c.get("n3").kv.get(ring.epoch(), buf(key), ReadLevel.ONE).getValue()).isEqualTo("v1".getBytes(UTF_8));

        // MAJORITY: acknowledged once n1 and n2 have it; a majority read (n1, n2) keeps the highest version
        byte[] other = keyIn(ring, 2, 1);
        long m = c.get("n1").kv.put(ring.epoch(), buf(other), buf("m"), WriteAck.MAJORITY).getVersion();
        long highest = 0;
        for (String n : List.of("n1", "n2")) {
            highest = Math.max(highest, c.get(n).kv.get(ring.epoch(), buf(other), ReadLevel.MAJORITY).getVersion());
        }
        assertThat(highest).isEqualTo(m);
        assertThat(c.get("n3").kv.get(ring.epoch(), buf(other), ReadLevel.ONE).isFound()).isFalse();

        // ALL cannot be met while the tail lags: the client learns that the outcome is unknown
        // (OutcomeUnknown, with the version the head wrote: it is the next LSN after v2 and m)
        assertThatThrownBy(() -> c.get("n1").kv.put(ring.epoch(), buf(keyIn(ring, 2, 2)), buf("a"), WriteAck.ALL))
                .isInstanceOfSatisfying(OutcomeUnknown.class, e -> {
                    assertThat(e.getCode()).isEqualTo(ErrorCode.OUTCOME_UNKNOWN);
                    assertThat(e.getVersion()).isEqualTo(m + 1);
                    assertThat(e.getMessage()).contains("outcome is unknown");
                });

        // replication lag is visible in node-admin stats at the head
        PartitionStats head = partition(c.get("n1").admin.stats(), 2);
        assertThat(head.getRole()).isEqualTo("HEAD");
        assertThat(head.getInFlight()).isEqualTo(3);
        assertThat(head.getOldestInFlightMillis()).isPositive();
        assertThat(head.getCommittedLsn()).isEqualTo(v1);
        assertThat(head.getLastLsn()).isEqualTo(head.getCommittedLsn() + 3);

        cluster.faults("n3").resumeApply();
        await().atMost(WAIT).untilAsserted(() -> {
            GetResult lin = c.get("n2").kv.get(ring.epoch(), buf(key), ReadLevel.LINEARIZABLE);
            assertThat(lin.getVersion()).isEqualTo(v2);
            assertThat(partition(c.get("n1").admin.stats(), 2).getInFlight()).isZero();
        });
        assertThat(c.get("n3").kv.get(ring.epoch(), buf(keyIn(ring, 2, 2)), ReadLevel.ONE).getValue())
                .as("the write whose outcome was unknown committed in the end").isEqualTo("a".getBytes(UTF_8));
        closeAll(c);
    }

    @Test
    void writesAreRefusedWhileAChainIsShorterThanMinChainForWrites() throws Exception {
        Ring ring = cluster.publish(p -> p == 5 ? Layout.of("n1") : Layout.of("n1", "n2", "n3"));
        assertThat(ring.minChainForWrites()).isEqualTo(2);
        try (NodeClient c = cluster.client("n1")) {
            assertThatThrownBy(() -> c.kv.put(ring.epoch(), buf(keyIn(ring, 5, 0)), buf("x"), WriteAck.ONE))
                    .isInstanceOfSatisfying(Unavailable.class, e ->
                            assertThat(e.getMessage()).isEqualTo("chain of partition 5 has 1 of 3 replicas; writes need 2"));
            assertThat(c.kv.get(ring.epoch(), buf(keyIn(ring, 5, 0)), ReadLevel.LINEARIZABLE).isFound()).isFalse();
            assertThat(c.kv.put(ring.epoch(), buf(keyIn(ring, 4, 0)), buf("x"), WriteAck.ALL).getVersion()).isEqualTo(1);
        }
    }

    @Test
    void aZombieHeadAtAnOldEpochIsRefusedBySuccessor() throws Exception {
        Ring old = cluster.publishAll(List.of("n1", "n2", "n3"), List.of());
        byte[] key = keyIn(old, 0, 0);
        try (NodeClient n2 = cluster.client("n2"); NodeClient n3 = cluster.client("n3")) {
            // n1 is dropped from the chains; it does not know yet and writes on
            Ring next = cluster.publishAll(List.of("n2", "n3"), List.of());
            ReplicateBatch zombie = new ReplicateBatch("n1", old.epoch(),
                    List.of(new ReplicatedWrite(0, 1, ByteBuffer.wrap(key)).setValue(buf("zombie"))));
            assertThatThrownBy(() -> n2.replication.replicate(zombie)).isInstanceOf(StaleRouting.class);
            ReplicateBatch current = new ReplicateBatch("n1", next.epoch(),
                    List.of(new ReplicatedWrite(0, 1, ByteBuffer.wrap(key)).setValue(buf("zombie"))));
            assertThatThrownBy(() -> n2.replication.replicate(current))
                    .as("at the current epoch n1 is not n2's predecessor either").isInstanceOf(StaleRouting.class);
            ReplicateBatch notPredecessor = new ReplicateBatch("n2", next.epoch(),
                    List.of(new ReplicatedWrite(0, 1, ByteBuffer.wrap(key)).setValue(buf("zombie"))));
            assertThatThrownBy(() -> n2.replication.replicate(notPredecessor)).isInstanceOf(StaleRouting.class);
            assertThat(n2.kv.get(next.epoch(), buf(key), ReadLevel.ONE).isFound()).isFalse();
            assertThat(n3.kv.get(next.epoch(), buf(key), ReadLevel.ONE).isFound()).isFalse();
            // the real predecessor's empty heartbeat at the current epoch is accepted
            ReplicateBatch heartbeat = new ReplicateBatch("n2", next.epoch(), List.of());
            heartbeat.setCommittedLsn(Map.of(0, 0L));
            assertThat(n3.replication.replicate(heartbeat).getRingEpoch()).isEqualTo(next.epoch());
            heartbeat.setFromNode("n1");
            assertThatThrownBy(() -> n3.replication.replicate(heartbeat)).isInstanceOf(StaleRouting.class);
            // n1 itself refuses writes once it knows the ring, and the new head takes them
            try (NodeClient n1 = cluster.client("n1")) {
                assertThatThrownBy(() -> n1.kv.put(next.epoch(), buf(key), buf("x"), WriteAck.ALL)).isInstanceOf(StaleRouting.class);
            }
            assertThat(n2.kv.put(next.epoch(), buf(key), buf("x"), WriteAck.ALL).getVersion()).isEqualTo(1);
        }
    }

    @Test
    void aRetriedCompareAndSetAppliesOnceEvenAfterTheHeadChanged() throws Exception {
        Ring ring = cluster.publishAll(List.of("n1", "n2", "n3"), List.of());
        byte[] key = keyIn(ring, 3, 0);
        try (NodeClient n1 = cluster.client("n1"); NodeClient n2 = cluster.client("n2")) {
            long v = n1.kv.compareAndSet(ring.epoch(), buf(key), buf("first"), 0, "req-42").getVersion();
            cluster.stop("n1");
            Ring next = cluster.publishAll(List.of("n2", "n3"), List.of());
            // the client timed out on n1 and retries at the new head with the same request id
            assertThat(n2.kv.compareAndSet(next.epoch(), buf(key), buf("first"), 0, "req-42").getVersion()).isEqualTo(v);
            assertThatThrownBy(() -> n2.kv.compareAndSet(next.epoch(), buf(key), buf("first"), 0, "req-43"))
                    .isInstanceOf(io.chainring.thrift.VersionMismatch.class);
        }
    }

    static PartitionStats partition(NodeStats stats, int partition) {
        return stats.getPartitions().stream().filter(p -> p.getPartition() == partition).findFirst().orElseThrow();
    }

    private Map<String, NodeClient> clients() throws Exception {
        Map<String, NodeClient> m = new java.util.LinkedHashMap<>();
        for (String n : List.of("n1", "n2", "n3")) {
            m.put(n, cluster.client(n));
        }
        return m;
    }

    private static void closeAll(Map<String, NodeClient> clients) {
        clients.values().forEach(NodeClient::close);
    }

    static ByteBuffer buf(String s) {
        return ByteBuffer.wrap(s.getBytes(UTF_8));
    }

    static ByteBuffer buf(byte[] b) {
        return ByteBuffer.wrap(b);
    }
}
