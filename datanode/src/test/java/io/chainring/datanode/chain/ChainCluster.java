package io.chainring.datanode.chain;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;

import io.chainring.datanode.Datanode;
import io.chainring.datanode.DatanodeConfig;
import io.chainring.datanode.replication.ReplicationConfig;
import io.chainring.datanode.replication.ReplicationFaults;
import io.chainring.metadata.RingStore;
import io.chainring.metadata.ThrottleStore;
import io.chainring.metadata.VersionedRing;
import io.chainring.metadata.ZkClients;
import io.chainring.ring.Chain;
import io.chainring.ring.HostPort;
import io.chainring.ring.NodeId;
import io.chainring.ring.NodeInfo;
import io.chainring.ring.NodeState;
import io.chainring.ring.Partition;
import io.chainring.ring.Ring;
import io.chainring.transport.ClusterSecret;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;

/**
 * Real datanodes (real JE on temp dirs, real Thrift on loopback) on one real ZooKeeper
 * (Curator's TestingServer). The test plays the controller: it writes the rings itself.
 */
final class ChainCluster implements AutoCloseable {
    static final String CLUSTER = "chain-test";
    static final Duration WAIT = Duration.ofSeconds(30);
    static final int PARTITIONS = 8;

    private final Path root;
    private final UnaryOperator<ReplicationConfig> tweak;
    private final Optional<ClusterSecret> secret;
    private final TestingServer zkServer;
    private final CuratorFramework zk;
    private final RingStore rings;
    private final Map<NodeId, Datanode> running = new LinkedHashMap<>();
    private final Map<NodeId, HostPort> addresses = new LinkedHashMap<>();
    private final Map<NodeId, ReplicationFaults> faults = new LinkedHashMap<>();

    ChainCluster(Path root, UnaryOperator<ReplicationConfig> tweak) throws Exception {
        this(root, tweak, Optional.empty());
    }

    /** A cluster whose nodes hold {@code secret} (DESIGN: Security), if given. */
    ChainCluster(Path root, UnaryOperator<ReplicationConfig> tweak, Optional<ClusterSecret> secret) throws Exception {
        this.root = root;
        this.secret = secret;
        this.tweak = tweak;
        this.zkServer = new TestingServer(true);
        this.zk = ZkClients.connect(zkServer.getConnectString(), Duration.ofSeconds(10), Duration.ofSeconds(20));
        this.rings = new RingStore(zk, CLUSTER);
    }

    /** Starts (or restarts, with its data) the node. */
    Datanode start(String id) throws Exception {
        NodeId nodeId = NodeId.of(id);
        ReplicationFaults f = faults.computeIfAbsent(nodeId, n -> new ReplicationFaults());
        ReplicationConfig rc = tweak.apply(ReplicationConfig.defaults().withPeerTimeout(Duration.ofSeconds(4))).withFaults(f);
        DatanodeConfig config = DatanodeConfig.builder(nodeId, root.resolve(id), zkServer.getConnectString())
                .cluster(CLUSTER).port(0).replication(rc).clusterSecret(secret).build();
        Datanode node = new Datanode(config).start();
        running.put(nodeId, node);
        addresses.put(nodeId, new HostPort("127.0.0.1", node.port()));
        return node;
    }

    void stop(String id) {
        Datanode node = running.remove(NodeId.of(id));
        if (node != null) {
            node.close();
        }
    }

    Datanode node(String id) {
        Datanode n = running.get(NodeId.of(id));
        if (n == null) {
            throw new IllegalStateException("node " + id + " is not running");
        }
        return n;
    }

    ReplicationFaults faults(String id) {
        return faults.get(NodeId.of(id));
    }

    NodeClient client(String id) throws Exception {
        return new NodeClient(node(id).port());
    }

    /** Sets the cluster's catch-up throttle (bytes/s, 0 = unlimited) as the controller would. */
    void throttle(long bytesPerSecond) {
        new ThrottleStore(zk, CLUSTER).set(bytesPerSecond);
    }

    Ring ring() {
        return rings.read().map(VersionedRing::ring).orElseThrow();
    }

    /**
     * Publishes a ring where partition p has the chain and learners {@code layout.apply(p)}
     * gives (node ids), with every started node's current address; waits until every running
     * node has it.
     */
    Ring publish(java.util.function.IntFunction<Layout> layout) throws Exception {
        Optional<VersionedRing> current = rings.read();
        Ring base = current.map(VersionedRing::ring).orElse(Ring.empty(CLUSTER, PARTITIONS, 3));
        List<NodeInfo> nodes = new ArrayList<>();
        addresses.forEach((id, address) -> nodes.add(new NodeInfo(id, address, "z1", NodeState.ACTIVE)));
        List<Partition> partitions = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            Layout l = layout.apply(p);
            partitions.add(new Partition(p, new Chain(l.chain.stream().map(NodeId::of).toList()), 0,
                    l.learners.stream().map(NodeId::of).toList()));
        }
        Ring next = base.nextWithPartitions(nodes, partitions);
        if (current.isEmpty()) {
            rings.create(next);
        } else {
            rings.compareAndSet(next, current.get().zkVersion());
        }
        for (Datanode node : running.values()) {
            await().atMost(WAIT).until(() -> node.ring().map(Ring::epoch).orElse(0L) >= next.epoch() && node.isServing());
        }
        return next;
    }

    /** The same layout for every partition. */
    Ring publishAll(List<String> chain, List<String> learners) throws Exception {
        return publish(p -> new Layout(chain, learners));
    }

    /** The nth key of the form "key-i" that falls in the partition. */
    static byte[] keyIn(Ring ring, int partition, int nth) {
        int found = 0;
        for (int i = 0; i < 10_000_000; i++) {
            byte[] key = ("key-" + i).getBytes(UTF_8);
            if (ring.partitionOf(key) == partition && found++ == nth) {
                return key;
            }
        }
        throw new IllegalStateException("no key for partition " + partition);
    }

    @Override
    public void close() throws Exception {
        for (ReplicationFaults f : faults.values()) {
            f.resumeApply();
        }
        List<Datanode> nodes = new ArrayList<>(running.values());
        running.clear();
        for (Datanode n : nodes) {
            n.close();
        }
        zk.close();
        zkServer.close();
    }

    /** A partition's chain (head first) and learners, by node id. */
    record Layout(List<String> chain, List<String> learners) {
        static Layout of(String... chain) {
            return new Layout(List.of(chain), List.of());
        }
    }
}
