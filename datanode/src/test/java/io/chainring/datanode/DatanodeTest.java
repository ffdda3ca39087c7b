package io.chainring.datanode;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.chainring.metadata.NodeRegistry;
import io.chainring.metadata.RingStore;
import io.chainring.metadata.VersionedRing;
import io.chainring.metadata.ZkClients;
import io.chainring.ring.Chain;
import io.chainring.ring.HostPort;
import io.chainring.ring.NodeId;
import io.chainring.ring.NodeInfo;
import io.chainring.ring.NodeState;
import io.chainring.ring.Ring;
import io.chainring.ring.RingCodec;
import io.chainring.thrift.KvService;
import io.chainring.thrift.NodeAdminService;
import io.chainring.thrift.NotServing;
import io.chainring.thrift.ReadLevel;
import io.chainring.thrift.WriteAck;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.protocol.TMultiplexedProtocol;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.TTransport;
import org.apache.thrift.transport.layered.TFramedTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real datanode against a real (Curator testing) ZooKeeper, reached over real Thrift. */
@Tag("cluster")
class DatanodeTest {
    private static final String CLUSTER = "dn-test";
    private static final NodeId N1 = NodeId.of("n1");
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dataDir;
    TestingServer zkServer;
    CuratorFramework zk;
    final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void startZooKeeper() throws Exception {
        zkServer = new TestingServer(true);
        zk = ZkClients.connect(zkServer.getConnectString(), Duration.ofSeconds(10), Duration.ofSeconds(20));
    }

    @AfterEach
    void stopAll() throws Exception {
        Collections.reverse(toClose);
        for (AutoCloseable c : toClose) {
            c.close();
        }
        zk.close();
        zkServer.close();
    }

    @Test
    void registersGoesLiveAndServesOnceTheRingExists() throws Exception {
        Datanode node = started(config().zone("z1").build());
        NodeRegistry registry = new NodeRegistry(zk, CLUSTER);
        NodeInfo registered = registry.node(N1).orElseThrow();
        assertThat(registered.address()).isEqualTo(new HostPort("127.0.0.1", node.port()));
        assertThat(registered.zone()).isEqualTo("z1");
        assertThat(registered.state()).isEqualTo(NodeState.NEW);
        assertThat(registry.liveNodes()).containsExactly(N1);
        assertThat(node.isServing()).as("no ring in ZooKeeper yet").isFalse();

        try (Client client = new Client(node.port())) {
            assertThatThrownBy(() -> client.kv.ring()).isInstanceOf(NotServing.class);
            Ring ring = publishRing(node);
            await().atMost(WAIT).until(node::isServing);
            assertThat(RingCodec.fromThrift(client.kv.ring())).isEqualTo(ring);
            byte[] key = keyIn(ring, 0);
            assertThat(client.kv.put(ring.epoch(), ByteBuffer.wrap(key), ByteBuffer.wrap("world".getBytes(UTF_8)), WriteAck.ALL).getVersion())
                    .isEqualTo(1);
            assertThat(client.kv.get(ring.epoch(), ByteBuffer.wrap(key), ReadLevel.LINEARIZABLE).getValue()).isEqualTo("world".getBytes(UTF_8));
            assertThat(client.admin.stats().getPartitions()).as("a store per partition in its chains").hasSize(4);
            assertThat(client.admin.clusterInfo().getCluster()).isEqualTo(CLUSTER);
        }
    }

    @Test
    void secondStartIsRefused() throws Exception {
        Datanode node = started(config().build());
        assertThatThrownBy(node::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("already started");
    }

    @Test
    void restartWithTheSameIdAndDataDirKeepsTheData() throws Exception {
        DatanodeConfig config = config().build();
        Datanode first = started(config);
        Ring ring = publishRing(first);
        await().atMost(WAIT).until(first::isServing);
        List<byte[]> keys = new ArrayList<>();
        try (Client client = new Client(first.port())) {
            for (int i = 0; i < 50; i++) {
                byte[] key = keyIn(ring, i % 4, i / 4);
                keys.add(key);
                client.kv.put(ring.epoch(), ByteBuffer.wrap(key), ByteBuffer.wrap(("v" + i).getBytes(UTF_8)), WriteAck.ALL);
            }
        }
        first.close();
        await().atMost(WAIT).until(() -> new NodeRegistry(zk, CLUSTER).liveNodes().isEmpty());

        Datanode second = started(config);
        await().atMost(WAIT).until(second::isServing);
        assertThat(new NodeRegistry(zk, CLUSTER).liveNodes()).containsExactly(N1);
        try (Client client = new Client(second.port())) {
            for (int i = 0; i < keys.size(); i++) {
                assertThat(client.kv.get(ring.epoch(), ByteBuffer.wrap(keys.get(i)), ReadLevel.ONE).getValue())
                        .isEqualTo(("v" + i).getBytes(UTF_8));
            }
            // versions continue from the stored LSNs
            byte[] key = keys.get(0);
            long before = client.kv.get(ring.epoch(), ByteBuffer.wrap(key), ReadLevel.ONE).getVersion();
            assertThat(client.kv.put(ring.epoch(), ByteBuffer.wrap(key), ByteBuffer.wrap(new byte[0]), WriteAck.ALL).getVersion())
                    .isGreaterThan(before);
        }
    }

    @Test
    void stopsServingWhileZooKeeperIsDownAndResumesWhenItReturns() throws Exception {
        Datanode node = started(config().zkSessionTimeout(Duration.ofSeconds(4)).build());
        Ring ring = publishRing(node);
        await().atMost(WAIT).until(node::isServing);
        byte[] key = keyIn(ring, 1);
        try (Client client = new Client(node.port())) {
            client.kv.put(ring.epoch(), ByteBuffer.wrap(key), ByteBuffer.wrap(new byte[] {1}), WriteAck.ALL);

            zkServer.stop();
            await().atMost(WAIT).until(() -> !node.isServing());
            assertThatThrownBy(() -> client.kv.get(ring.epoch(), ByteBuffer.wrap(key), ReadLevel.ONE))
                    .isInstanceOf(NotServing.class);
            assertThatThrownBy(() -> client.kv.put(ring.epoch(), ByteBuffer.wrap(key), ByteBuffer.wrap(new byte[] {2}), WriteAck.ALL))
                    .isInstanceOf(NotServing.class);

            zkServer.restart();
            await().atMost(WAIT).until(node::isServing);
            assertThat(client.kv.get(ring.epoch(), ByteBuffer.wrap(key), ReadLevel.ONE).getValue()).containsExactly(1);
            assertThat(client.kv.put(ring.epoch(), ByteBuffer.wrap(key), ByteBuffer.wrap(new byte[] {3}), WriteAck.ALL).getVersion()).isEqualTo(2);
        }
        await().atMost(WAIT).ignoreExceptions().until(() -> new NodeRegistry(zk, CLUSTER).liveNodes().contains(N1));
    }

    @Test
    void comesBackAfterItsSessionExpiredWhileZooKeeperWasDown() throws Exception {
        Datanode node = started(config().zkSessionTimeout(Duration.ofSeconds(3)).build());
        Ring ring = publishRing(node);
        await().atMost(WAIT).until(node::isServing);
        zkServer.stop();
        await().atMost(WAIT).until(() -> !node.isServing());
        Thread.sleep(4_500); // longer than the session timeout: Curator reports LOST, the session is gone
        assertThat(node.isServing()).isFalse();
        zkServer.restart();
        await().atMost(WAIT).until(node::isServing);
        // a new session: the live znode was re-created
        await().atMost(WAIT).ignoreExceptions().until(() -> new NodeRegistry(zk, CLUSTER).liveNodes().contains(N1));
        try (Client client = new Client(node.port())) {
            assertThat(client.kv.put(ring.epoch(), ByteBuffer.wrap(keyIn(ring, 2)), ByteBuffer.wrap(new byte[] {1}), WriteAck.ALL)
                    .getVersion()).isEqualTo(1);
        }
    }

    /**
     * Issue 17: with ZooKeeper gone, a stop took 35-40 s (the live znode's delete retried with
     * backoff). Stopping must be quick whatever ZooKeeper's state, and the data must survive it.
     * Closed twice: at once while the connection is only SUSPENDED, and again after the session was LOST.
     */
    @Test
    void closesWithinSecondsWithoutZooKeeperAndKeepsItsData() throws Exception {
        DatanodeConfig config = config().zkSessionTimeout(Duration.ofSeconds(3)).build();
        for (boolean waitForSessionLoss : new boolean[] {false, true}) {
            Datanode node = started(config);
            Ring ring = publishRing(node);
            await().atMost(WAIT).until(node::isServing);
            byte[] key = keyIn(ring, 3);
            byte[] value = ("before stop " + waitForSessionLoss).getBytes(UTF_8);
            try (Client client = new Client(node.port())) {
                client.kv.put(ring.epoch(), ByteBuffer.wrap(key), ByteBuffer.wrap(value), WriteAck.ALL);
            }
            zkServer.stop();
            await().atMost(WAIT).until(() -> !node.isServing());
            if (waitForSessionLoss) {
                Thread.sleep(4_000); // past the session timeout: Curator has reported LOST
            }
            long started = System.nanoTime();
            node.close();
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(took).as("close without ZooKeeper (session lost: %s)", waitForSessionLoss)
                    .isLessThan(Duration.ofSeconds(5));

            zkServer.restart();
            Datanode again = started(config);
            await().atMost(WAIT).until(again::isServing);
            try (Client client = new Client(again.port())) {
                assertThat(client.kv.get(ring.epoch(), ByteBuffer.wrap(key), ReadLevel.ONE).getValue()).isEqualTo(value);
            }
            again.close();
        }
    }

    @Test
    void followsRingChangesAndRemembersTheEpoch() throws Exception {
        Datanode node = started(config().build());
        Ring first = publishRing(node);
        await().atMost(WAIT).until(node::isServing);
        // the controller gives n1 two more partitions
        RingStore store = new RingStore(zk, CLUSTER);
        VersionedRing current = store.read().orElseThrow();
        List<Chain> chains = new ArrayList<>(first.chains());
        chains.set(4, Chain.of(N1));
        chains.set(5, Chain.of(N1));
        Ring second = first.next(first.nodes().values(), chains);
        store.compareAndSet(second, current.zkVersion());
        await().atMost(WAIT).until(() -> node.ring().map(Ring::epoch).orElse(0L) == second.epoch());
        try (Client client = new Client(node.port())) {
            await().atMost(WAIT).until(() -> client.admin.stats().getPartitions().size() == 6);
            // a client still at the first epoch is stale for the moved partitions only
            byte[] moved = keyIn(second, 4);
            assertThatThrownBy(() -> client.kv.put(first.epoch(), ByteBuffer.wrap(moved), ByteBuffer.wrap(new byte[1]), WriteAck.ALL))
                    .isInstanceOf(io.chainring.thrift.StaleRouting.class);
            assertThat(client.kv.put(second.epoch(), ByteBuffer.wrap(moved), ByteBuffer.wrap(new byte[1]), WriteAck.ALL).getRingEpoch())
                    .isEqualTo(second.epoch());
        }
        node.close();
        try (io.chainring.datanode.storage.StorageEngine storage = io.chainring.datanode.storage.StorageEngine.open(
                io.chainring.datanode.storage.StorageConfig.defaults(dataDir))) {
            assertThat(storage.highestSeenEpoch()).isEqualTo(second.epoch());
            assertThat(storage.storedPartitions()).containsExactly(0, 1, 2, 3, 4, 5);
        }
    }

    @Test
    void startFailsClearlyWithoutZooKeeperAndLeavesNothingOpen() throws Exception {
        int deadPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        DatanodeConfig bad = DatanodeConfig.builder(N1, dataDir, "127.0.0.1:" + deadPort).cluster(CLUSTER)
                .zkConnectTimeout(Duration.ofSeconds(2)).build();
        Datanode node = new Datanode(bad);
        assertThatThrownBy(node::start).hasMessageContaining("cannot reach ZooKeeper");
        assertThat(node.isServing()).isFalse();
        // the data directory was released: a correctly configured node can use it
        Datanode good = started(config().build());
        assertThat(good.port()).isPositive();
    }

    private DatanodeConfig.Builder config() {
        return DatanodeConfig.builder(N1, dataDir, zkServer.getConnectString()).cluster(CLUSTER).port(0);
    }

    private Datanode started(DatanodeConfig config) throws Exception {
        Datanode node = new Datanode(config);
        toClose.add(node);
        return node.start();
    }

    /** Epoch 1, 8 partitions, R=1: n1 holds partitions 0-3, n2 (not running) 4-7. */
    private Ring publishRing(Datanode node) throws Exception {
        List<NodeInfo> nodes = List.of(
                new NodeInfo(N1, new HostPort("127.0.0.1", node.port()), "z1", NodeState.ACTIVE),
                new NodeInfo(NodeId.of("n2"), new HostPort("127.0.0.1", 1), "z2", NodeState.ACTIVE));
        List<Chain> chains = new ArrayList<>();
        for (int p = 0; p < 8; p++) {
            chains.add(Chain.of(p < 4 ? N1 : NodeId.of("n2")));
        }
        Ring ring = Ring.empty(CLUSTER, 8, 1).next(nodes, chains);
        RingStore store = new RingStore(zk, CLUSTER);
        if (store.read().isEmpty()) {
            store.create(ring);
        }
        return ring;
    }

    private static byte[] keyIn(Ring ring, int partition) {
        return keyIn(ring, partition, 0);
    }

    /** The nth key of the form "key-i" that falls in the partition. */
    private static byte[] keyIn(Ring ring, int partition, int nth) {
        int found = 0;
        for (int i = 0; i < 1_000_000; i++) {
            byte[] key = ("key-" + i).getBytes(UTF_8);
            if (ring.partitionOf(key) == partition && found++ == nth) {
                return key;
            }
        }
        throw new IllegalStateException("no key for partition " + partition);
    }

    /** Thrift client for kv and node-admin over loopback. */
    private static final class Client implements AutoCloseable {
        final TTransport transport;
        final KvService.Client kv;
        final NodeAdminService.Client admin;

        Client(int port) throws Exception {
            transport = new TFramedTransport(new TSocket("127.0.0.1", port, 10_000));
            transport.open();
            TBinaryProtocol protocol = new TBinaryProtocol(transport);
            kv = new KvService.Client(new TMultiplexedProtocol(protocol, "kv"));
            admin = new NodeAdminService.Client(new TMultiplexedProtocol(protocol, "node-admin"));
        }

        @Override
        public void close() {
            transport.close();
        }
    }
}
