package io.chainring.datanode.server;

import static io.chainring.datanode.server.TestRings.keyIn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainring.ring.Ring;
import io.chainring.ring.RingCodec;
import io.chainring.thrift.ClusterInfo;
import io.chainring.thrift.InvalidRequest;
import io.chainring.thrift.NodeStats;
import io.chainring.thrift.NotServing;
import io.chainring.thrift.PartitionStats;
import io.chainring.thrift.ReplicatedWrite;
import io.chainring.thrift.SnapshotChunk;
import io.chainring.thrift.StaleRouting;
import io.chainring.thrift.WriteAck;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeAdminServiceTest {
    @TempDir
    Path dir;
    ServerFixture node;
    ThriftTestClient client;
    Ring ring;

    @BeforeEach
    void start() throws Exception {
        node = new ServerFixture(dir);
        client = node.client();
        ring = node.ring;
    }

    @AfterEach
    void stop() {
        client.close();
        node.close();
    }

    @Test
    void statsReportPartitionsAndNode() throws Exception {
        for (int i = 0; i < 3; i++) {
            client.kv.put(ring.epoch(), ByteBuffer.wrap(keyIn(ring, 1, i)), ByteBuffer.wrap(new byte[] {1}), WriteAck.ALL);
        }
        client.kv.remove(ring.epoch(), ByteBuffer.wrap(keyIn(ring, 1, 0)), WriteAck.ALL);
        client.kv.get(ring.epoch(), ByteBuffer.wrap(keyIn(ring, 4, 0)), null); // opens partition 4, where n1 is the tail

        NodeStats stats = client.admin.stats();
        assertThat(stats.getNodeId()).isEqualTo("n1");
        assertThat(stats.getAddress()).isEqualTo("127.0.0.1:" + node.port());
        assertThat(stats.getRingEpoch()).isEqualTo(ring.epoch());
        assertThat(stats.isServing()).isTrue();
        assertThat(stats.getDurability()).isEqualTo("write_no_sync");
        assertThat(stats.getDiskBytes()).isPositive();
        assertThat(stats.getUptimeMillis()).isNotNegative();
        Map<Integer, PartitionStats> byId = stats.getPartitions().stream()
                .collect(Collectors.toMap(PartitionStats::getPartition, Function.identity()));
        PartitionStats p1 = byId.get(1);
        assertThat(p1.getPosition()).isZero();
        assertThat(p1.getKeys()).isEqualTo(2);
        assertThat(p1.getLastLsn()).isEqualTo(4);
        assertThat(p1.getCommittedLsn()).isEqualTo(4);
        assertThat(byId.get(4).getPosition()).isEqualTo(1);

        node.view.serving(false);
        assertThat(client.admin.stats().isServing()).as("stats answer even when not serving").isFalse();
    }

    @Test
    void clusterInfoNamesClusterControllerAndRing() throws Exception {
        ClusterInfo info = client.admin.clusterInfo();
        assertThat(info.getCluster()).isEqualTo("test");
        assertThat(info.getControllerAddress()).isEqualTo("127.0.0.1:9999");
        assertThat(RingCodec.fromThrift(info.getRing())).isEqualTo(ring);
        node.view.serving(false);
        assertThatThrownBy(() -> client.admin.clusterInfo()).isInstanceOf(NotServing.class);
    }

    @Test
    void snapshotStreamsRecordsWithVersionsAndTombstonesInKeyOrder() throws Exception {
        List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            byte[] key = keyIn(ring, 3, i);
            keys.add(key);
            client.kv.put(ring.epoch(), ByteBuffer.wrap(key), ByteBuffer.wrap(new byte[100]), WriteAck.ALL);
        }
        client.kv.remove(ring.epoch(), ByteBuffer.wrap(keys.get(5)), WriteAck.ALL);

        List<ReplicatedWrite> all = new ArrayList<>();
        ByteBuffer cursor = ByteBuffer.allocate(0);
        long applied = -1;
        for (int chunks = 0; chunks < 100; chunks++) {
            SnapshotChunk chunk = client.admin.snapshot(ring.epoch(), 3, cursor, 700);
            assertThat(chunk.getRecords().size()).isBetween(1, 6);
            all.addAll(chunk.getRecords());
            applied = chunk.getAppliedLsn();
            if (chunk.isDone()) {
                break;
            }
            cursor = ByteBuffer.wrap(chunk.getRecords().get(chunk.getRecords().size() - 1).getKey());
        }
        assertThat(applied).isEqualTo(21);
        assertThat(all).hasSize(20);
        assertThat(all).extracting(ReplicatedWrite::getKey).isSortedAccordingTo(Arrays::compareUnsigned);
        ReplicatedWrite tombstone = all.stream().filter(w -> Arrays.equals(w.getKey(), keys.get(5))).findFirst().orElseThrow();
        assertThat(tombstone.isSetValue()).isFalse();
        assertThat(tombstone.getLsn()).isEqualTo(21);
        assertThat(all).filteredOn(ReplicatedWrite::isSetValue).hasSize(19).allMatch(w -> w.getPartition() == 3 && w.getLsn() <= 20);

        assertThatThrownBy(() -> client.admin.snapshot(ring.epoch(), 3, null, 0)).isInstanceOf(InvalidRequest.class);
        assertThatThrownBy(() -> client.admin.snapshot(ring.epoch(), 6, null, 1000)).isInstanceOf(StaleRouting.class);
        assertThatThrownBy(() -> client.admin.snapshot(ring.epoch(), 99, null, 1000)).isInstanceOf(InvalidRequest.class);
    }
}
