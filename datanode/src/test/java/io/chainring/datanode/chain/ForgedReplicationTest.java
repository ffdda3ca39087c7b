package io.chainring.datanode.chain;

import static io.chainring.datanode.chain.ChainCluster.keyIn;
import static io.chainring.datanode.chain.ChainReplicationTest.buf;
import static io.chainring.datanode.chain.ChainReplicationTest.partition;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainring.ring.Ring;
import io.chainring.thrift.AckBatch;
import io.chainring.thrift.GetResult;
import io.chainring.thrift.InvalidRequest;
import io.chainring.thrift.OutcomeUnknown;
import io.chainring.thrift.PartitionAck;
import io.chainring.thrift.PartitionStats;
import io.chainring.thrift.ReadLevel;
import io.chainring.thrift.ReplicateBatch;
import io.chainring.thrift.ReplicatedWrite;
import io.chainring.thrift.Unauthorized;
import io.chainring.thrift.WriteAck;
import io.chainring.transport.ClusterSecret;
import io.chainring.transport.MemberHandshake;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.thrift.transport.TTransportException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, defect 1: the attacks of the hostile probe on the {@code replication} service, against
 * real datanodes holding a cluster secret. A forged batch claiming to come from the head, a forged
 * ack and a snapshot pull from a connection that did not prove the secret are refused with
 * {@code Unauthorized} and change nothing; a member naming another node is refused too; and a
 * member's impossible values (an ack above what the receiver applied, a committed LSN above the
 * sender's applied LSN) are refused without raising any committed LSN.
 */
@Tag("cluster")
class ForgedReplicationTest {
    private static final int PARTITION = 0;
    private static final ClusterSecret SECRET = ClusterSecret.parse("forged-replication-test-secret");

    @TempDir
    Path dir;
    ChainCluster cluster;
    Ring ring;
    byte[] key;

    @BeforeEach
    void start() throws Exception {
        cluster = new ChainCluster(dir, rc -> rc.withWriteTimeout(Duration.ofSeconds(2)), Optional.of(SECRET));
        cluster.start("n1");
        cluster.start("n2");
        cluster.start("n3");
        ring = cluster.publishAll(List.of("n1", "n2", "n3"), List.of());
        key = keyIn(ring, PARTITION, 0);
        try (NodeClient n1 = cluster.client("n1")) {
            n1.kv.put(ring.epoch(), buf(key), buf("v1"), WriteAck.ALL);
        }
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
    }

    @Test
    void internalCallsFromAConnectionWithoutTheSecretAreRefusedAndChangeNothing() throws Exception {
        long last = stats("n2").getLastLsn();
        try (NodeClient attacker = cluster.client("n2")) {
            // the probe's attack: a delete "from the head" at the next LSN
            ReplicateBatch forged = new ReplicateBatch("n1", ring.epoch(), List.of(new ReplicatedWrite(PARTITION, last + 1, buf(key))));
            assertThatThrownBy(() -> attacker.replication.replicate(forged)).isInstanceOf(Unauthorized.class)
                    .hasMessageContaining("cluster members only");
            assertThatThrownBy(() -> attacker.replication.ack(new AckBatch("n3", ring.epoch(), List.of())))
                    .isInstanceOf(Unauthorized.class);
            assertThatThrownBy(() -> attacker.replication.catchUp(ring.epoch(), "n3", PARTITION, buf(new byte[0]), 65536, 0))
                    .isInstanceOf(Unauthorized.class);
            assertThatThrownBy(() -> attacker.admin.snapshot(ring.epoch(), PARTITION, buf(new byte[0]), 65536))
                    .isInstanceOf(Unauthorized.class);
            // the public API and the read-only admin calls stay open on the same connection
            assertThat(attacker.kv.get(ring.epoch(), buf(key), ReadLevel.ONE).getValue()).isEqualTo("v1".getBytes(UTF_8));
            assertThat(attacker.admin.stats().getNodeId()).isEqualTo("n2");
        }
        for (String node : List.of("n2", "n3")) {
            assertThat(stats(node).getLastLsn()).as(node + " applied nothing forged").isEqualTo(last);
            assertThat(get(node, ReadLevel.ONE).getValue()).isEqualTo("v1".getBytes(UTF_8));
        }
        writesStillWork();
    }

    @Test
    void aMemberNamingAnotherNodeIsRefused() throws Exception {
        long last = stats("n2").getLastLsn();
        try (NodeClient n3 = member("n2", "n3")) {
            ReplicateBatch claimsHead = new ReplicateBatch("n1", ring.epoch(), List.of(new ReplicatedWrite(PARTITION, last + 1, buf(key))));
            assertThatThrownBy(() -> n3.replication.replicate(claimsHead)).isInstanceOf(Unauthorized.class)
                    .hasMessageContaining("authenticated as n3");
            assertThatThrownBy(() -> n3.replication.catchUp(ring.epoch(), "n1", PARTITION, buf(new byte[0]), 65536, 0))
                    .isInstanceOf(Unauthorized.class);
        }
        assertThat(stats("n2").getLastLsn()).isEqualTo(last);
        writesStillWork();
    }

    @Test
    void aConnectionWithAnotherSecretIsRefusedAtTheHandshake() {
        ClusterSecret other = ClusterSecret.parse("another-cluster-secret-entirely");
        assertThatThrownBy(() -> new NodeClient(cluster.node("n2").port(), Optional.of(new MemberHandshake.Credentials(other, "n1"))))
                .isInstanceOf(TTransportException.class).hasMessageContaining("cluster secret");
    }

    @Test
    void anAckAboveWhatTheReceiverAppliedIsRefusedAndCommitsNothing() throws Exception {
        long committed = stats("n1").getCommittedLsn();
        long last = stats("n1").getLastLsn();
        try (NodeClient n2 = member("n1", "n2")) {
            PartitionAck lie = new PartitionAck(PARTITION, Map.of("n2", last + 1000, "n3", last + 1000));
            assertThatThrownBy(() -> n2.replication.ack(new AckBatch("n2", ring.epoch(), List.of(lie))))
                    .isInstanceOf(InvalidRequest.class).hasMessageContaining("above what n1 applied");
        }
        assertThat(stats("n1").getCommittedLsn()).isEqualTo(committed);
        // the probe's consequence: with the middle frozen, the head must not acknowledge an ALL write
        cluster.faults("n2").pauseApply();
        try (NodeClient n1 = cluster.client("n1")) {
            assertThatThrownBy(() -> n1.kv.put(ring.epoch(), buf(keyIn(ring, PARTITION, 1)), buf("held"), WriteAck.ALL))
                    .isInstanceOf(OutcomeUnknown.class);
        } finally {
            cluster.faults("n2").resumeApply();
        }
        writesStillWork();
    }

    @Test
    void aBatchWithACommittedLsnAboveItsSendersAppliedLsnIsRefused() throws Exception {
        long committed = stats("n2").getCommittedLsn();
        long last = stats("n1").getLastLsn();
        try (NodeClient n1 = member("n2", "n1")) {
            ReplicateBatch crafted = new ReplicateBatch("n1", ring.epoch(), List.of());
            crafted.setCommittedLsn(Map.of(PARTITION, last + 1000));
            crafted.setAppliedLsn(Map.of(PARTITION, last));
            assertThatThrownBy(() -> n1.replication.replicate(crafted)).isInstanceOf(InvalidRequest.class)
                    .hasMessageContaining("above the sender's own applied LSN");
        }
        assertThat(stats("n2").getCommittedLsn()).isEqualTo(committed);
        writesStillWork();
    }

    /** A connection to {@code node} authenticated as cluster member {@code as}. */
    private NodeClient member(String node, String as) throws TTransportException {
        return new NodeClient(cluster.node(node).port(), Optional.of(new MemberHandshake.Credentials(SECRET, as)));
    }

    private PartitionStats stats(String node) throws Exception {
        try (NodeClient c = cluster.client(node)) {
            return partition(c.admin.stats(), PARTITION);
        }
    }

    private GetResult get(String node, ReadLevel level) throws Exception {
        try (NodeClient c = cluster.client(node)) {
            return c.kv.get(ring.epoch(), buf(key), level);
        }
    }

    /** The chain itself still replicates (its members authenticate each other) and every replica agrees. */
    private void writesStillWork() throws Exception {
        try (NodeClient n1 = cluster.client("n1")) {
            n1.kv.put(ring.epoch(), buf(key), buf("v2"), WriteAck.ALL);
        }
        for (String node : List.of("n1", "n2", "n3")) {
            assertThat(get(node, ReadLevel.ONE).getValue()).as(node).isEqualTo("v2".getBytes(UTF_8));
        }
    }
}
