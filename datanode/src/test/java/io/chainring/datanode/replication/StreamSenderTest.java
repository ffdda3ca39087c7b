package io.chainring.datanode.replication;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.chainring.datanode.storage.StorageConfig;
import io.chainring.datanode.storage.StorageEngine;
import io.chainring.ring.NodeId;
import io.chainring.thrift.PartitionAck;
import io.chainring.thrift.ReplicateBatch;
import io.chainring.thrift.ReplicateResponse;
import io.chainring.thrift.ReplicatedWrite;
import io.chainring.thrift.ReplicationService;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.transport.TMemoryBuffer;
import org.apache.thrift.transport.TTransportException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stream to one successor sends only the partitions with news: a write's batch carries that
 * partition's writes and LSNs, not every partition the pair shares; a ring change (or a failed
 * call) makes the next round carry them all. Real JE storage and replicas; the peer is a recorder.
 */
class StreamSenderTest {
    private static final NodeId A = NodeId.of("a");
    private static final NodeId B = NodeId.of("b");
    private static final int PARTITIONS = 16;

    @TempDir
    Path dir;
    private StorageEngine engine;
    private final Map<Integer, PartitionReplica> replicas = new TreeMap<>();
    private StreamSender sender;
    private Recorder peer;
    private ReplicaDirectory directory;
    private ReplicationConfig config;

    /** The successor: records batches, acknowledges every write it got. */
    static final class Recorder extends ReplicationService.Client {
        final List<ReplicateBatch> batches = new ArrayList<>();

        Recorder() throws TTransportException {
            super(new TBinaryProtocol(new TMemoryBuffer(16))); // never used: replicate is answered here
        }

        @Override
        public ReplicateResponse replicate(ReplicateBatch batch) {
            batches.add(batch);
            Map<Integer, Long> applied = new TreeMap<>();
            for (ReplicatedWrite w : batch.getWrites()) {
                applied.merge(w.getPartition(), w.getLsn(), Math::max);
            }
            List<PartitionAck> acks = new ArrayList<>();
            applied.forEach((p, lsn) -> acks.add(new PartitionAck(p, Map.of(B.value(), lsn))));
            return new ReplicateResponse(acks, List.of(), batch.getRingEpoch());
        }
    }

    @BeforeEach
    void start() throws TTransportException {
        peer = new Recorder();
        engine = StorageEngine.open(StorageConfig.defaults(dir));
        // a long heartbeat, so that no periodic full round falls into the test
        config = new ReplicationConfig(1000, 4L << 20, Duration.ofSeconds(5), Duration.ofSeconds(4),
                Duration.ofSeconds(10), Duration.ofSeconds(2), 100_000, 1 << 20, 100, Duration.ZERO, ReplicationFaults.NONE);
        directory = new ReplicaDirectory() {
            @Override
            public Collection<PartitionReplica> all() {
                return replicas.values();
            }

            @Override
            public Optional<PartitionReplica> get(int partition) {
                return Optional.ofNullable(replicas.get(partition));
            }

            @Override
            public long ringEpoch() {
                return 1;
            }

            @Override
            public void flushCommits() {
                engine.flushCommits();
            }
        };
        sender = new StreamSender(A, B, directory, config);
        PartitionReplica.Signals signals = new PartitionReplica.Signals() {
            @Override
            public void wakeSender(NodeId target, int partition) {
                sender.wake(partition);
            }

            @Override
            public void wakeAcks(NodeId upstream, int partition) {
            }

            @Override
            public void startCatchUp(PartitionReplica replica, boolean learnerJoin) {
            }
        };
        for (int p = 0; p < PARTITIONS; p++) {
            PartitionReplica r = new PartitionReplica(A, engine.partition(p), Clock.systemUTC(), signals, 2000);
            r.reposition(new ChainPosition(A, p, 1, List.of(A, B), List.of()));
            replicas.put(p, r);
        }
    }

    /** One round as the link runs it: the next batch, if any, and the successor's answer to it; returns "more waiting". */
    private boolean round(StreamSender s) {
        Optional<ReplicateBatch> batch = s.nextBatch();
        return batch.isPresent() && s.answered(peer.replicate(batch.get()));
    }

    @AfterEach
    void stop() {
        engine.close();
    }

    @Test
    void aWriteSendsOnlyItsPartitionAndARingChangeSendsThemAll() throws Exception {
        round(sender); // the first round carries every partition
        assertThat(peer.batches.get(0).getCommittedLsn()).hasSize(PARTITIONS);

        PartitionReplica r3 = replicas.get(3);
        long v = r3.store().put("k".getBytes(UTF_8), "v".getBytes(UTF_8), r3);
        round(sender);
        ReplicateBatch batch = peer.batches.get(1);
        assertThat(batch.getWrites()).extracting(ReplicatedWrite::getLsn).containsExactly(v);
        assertThat(batch.getCommittedLsn()).containsOnlyKeys(3);
        assertThat(batch.getAppliedLsn()).containsEntry(3, v).hasSize(1);
        // the successor's ack reached the replica: the write is no longer sent, and MAJORITY of [A, B] is met
        assertThat(r3.nextToSend(B, 10, 1 << 20)).isEmpty();
        assertThat(r3.awaitAck(v, io.chainring.thrift.WriteAck.ALL)).isCompletedWithValue(v);

        // nothing new: no round is sent before the heartbeat
        round(sender);
        assertThat(peer.batches).hasSize(2);

        sender.wakeAll();
        round(sender);
        assertThat(peer.batches.get(2).getCommittedLsn()).hasSize(PARTITIONS);
        assertThat(peer.batches.get(2).getWrites()).isEmpty();
    }

    @Test
    void aFullBatchLeavesTheRestOfItsPartitionForTheNextRound() throws Exception {
        round(sender);
        PartitionReplica r5 = replicas.get(5);
        List<byte[]> keys = new ArrayList<>();
        List<byte[]> values = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            keys.add(("k" + i).getBytes(UTF_8));
            values.add(new byte[]{1});
        }
        r5.store().putAll(keys, values, r5);
        assertThat(round(sender)).as("more to send").isTrue();
        assertThat(peer.batches.get(1).getWrites()).hasSize(1000);
        round(sender);
        assertThat(peer.batches.get(2).getWrites()).hasSize(500).extracting(ReplicatedWrite::getLsn).startsWith(1001L);
    }

    @Test
    void anIdleStreamSendsAFullHeartbeatOnlyEveryTenIntervalsUntilNewsArrives() throws Exception {
        AtomicLong now = new AtomicLong(1_000_000_000L);
        long interval = config.heartbeatInterval().toNanos(); // 5 s in this test's config
        StreamSender idle = new StreamSender(A, B, directory, config, now::get);
        PartitionReplica r3 = replicas.get(3);
        round(idle); // the first round: every partition
        long v = r3.store().put("k".getBytes(UTF_8), "v".getBytes(UTF_8), r3);
        idle.wake(3);
        round(idle);
        assertThat(peer.batches.get(1).getWrites()).extracting(ReplicatedWrite::getLsn).containsExactly(v);

        now.addAndGet(interval); // a heartbeat: the committed LSN the ack moved is news
        round(idle);
        assertThat(peer.batches).hasSize(3);
        now.addAndGet(interval * 10); // ten intervals without news: idle
        round(idle);
        assertThat(peer.batches).as("the idle heartbeat is a full round").hasSize(4);
        assertThat(peer.batches.get(3).getCommittedLsn()).hasSize(PARTITIONS);
        now.addAndGet(interval * 5);
        round(idle);
        assertThat(peer.batches).as("no heartbeat before ten intervals when idle").hasSize(4);

        long v2 = r3.store().put("k".getBytes(UTF_8), "v2".getBytes(UTF_8), r3);
        idle.wake(3);
        round(idle);
        assertThat(peer.batches.get(4).getWrites()).extracting(ReplicatedWrite::getLsn).containsExactly(v2);
    }
}
