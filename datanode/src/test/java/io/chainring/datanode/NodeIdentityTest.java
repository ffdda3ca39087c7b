package io.chainring.datanode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainring.metadata.ClusterIdStore;
import io.chainring.metadata.NodeIdInUseException;
import io.chainring.metadata.NodeRegistry;
import io.chainring.metadata.ZkClients;
import io.chainring.metadata.ZkPaths;
import io.chainring.ring.HostPort;
import io.chainring.ring.NodeId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 12 #3 and #4: a node id is held by one process at a time, and a data directory belongs to one node of one cluster. */
class NodeIdentityTest {
    private static final String CLUSTER = "id-test";
    private static final NodeId N1 = NodeId.of("n1");

    @TempDir
    Path dirs;
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
    void aSecondProcessUnderALiveIdIsRefusedAndLeavesTheFirstsRegistrationAlone() throws Exception {
        Datanode first = started(config(N1, dirs.resolve("a")).build());
        long firstSession = liveOwner(N1);

        Datanode second = new Datanode(config(N1, dirs.resolve("b")).zkSessionTimeout(Duration.ofSeconds(2)).build());
        assertThatThrownBy(second::start).isInstanceOf(NodeIdInUseException.class)
                .hasMessageContaining("node id n1 is live under another ZooKeeper session")
                .hasMessageContaining("another datanode runs with this --id");

        NodeRegistry registry = new NodeRegistry(zk, CLUSTER);
        assertThat(registry.node(N1).orElseThrow().address()).as("the ring must keep pointing at the live node")
                .isEqualTo(new HostPort("127.0.0.1", first.port()));
        assertThat(liveOwner(N1)).isEqualTo(firstSession);
        assertThat(registry.liveNodes()).containsExactly(N1);
    }

    @Test
    void theIdIsFreeOnceItsHolderStopped() throws Exception {
        Datanode first = started(config(N1, dirs.resolve("a")).build());
        first.close();
        Datanode replacement = started(config(N1, dirs.resolve("b")).build());
        assertThat(new NodeRegistry(zk, CLUSTER).node(N1).orElseThrow().address())
                .isEqualTo(new HostPort("127.0.0.1", replacement.port()));
    }

    @Test
    void aRestartInPlaceTakesOverTheLiveZnodeItsCrashedRunLeft() throws Exception {
        Path dir = dirs.resolve("a");
        String clusterId = new ClusterIdStore(zk, CLUSTER).getOrCreate();
        DataDirStamp stamp = DataDirStamp.claim(dir, CLUSTER, clusterId, N1);
        // the crashed run: its session still holds live/n1 with the directory's mark
        try (CuratorFramework crashed = ZkClients.connect(zkServer.getConnectString())) {
            String path = new ZkPaths(CLUSTER).liveNode(N1);
            crashed.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL)
                    .forPath(path, stamp.incarnation().getBytes(StandardCharsets.UTF_8));
            long started = System.nanoTime();
            started(config(N1, dir).build());
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("no wait for the old session").isLessThan(Duration.ofSeconds(5));
            assertThat(new NodeRegistry(zk, CLUSTER).liveNodes()).containsExactly(N1);
        }
        // the old session ended: the znode is re-created under the new run's session
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> new NodeRegistry(zk, CLUSTER).liveNodes().contains(N1));
    }

    @Test
    void theDataDirIsStampedAtFirstStart() throws Exception {
        Path dir = dirs.resolve("a");
        started(config(N1, dir).build());
        String stamp = Files.readString(dir.resolve(DataDirStamp.FILE_NAME));
        assertThat(stamp).contains("node-id=n1").contains("cluster=" + CLUSTER)
                .contains("cluster-id=" + new ClusterIdStore(zk, CLUSTER).getOrCreate());
    }

    @Test
    void anotherNodesDataDirIsRefused() throws Exception {
        Path dir = dirs.resolve("a");
        started(config(N1, dir).build()).close();
        Datanode n2 = new Datanode(config(NodeId.of("n2"), dir).build());
        assertThatThrownBy(n2::start).isInstanceOf(DataDirMismatchException.class)
                .hasMessageContaining("belongs to node n1").hasMessageContaining("not to n2");
        assertThat(new NodeRegistry(zk, CLUSTER).node(NodeId.of("n2"))).as("nothing registered").isEmpty();
    }

    @Test
    void anotherClustersDataDirIsRefused() throws Exception {
        Path dir = dirs.resolve("a");
        started(config(N1, dir).build()).close();
        // the same cluster name on another ZooKeeper: another cluster
        try (TestingServer other = new TestingServer(true)) {
            Datanode foreign = new Datanode(DatanodeConfig.builder(N1, dir, other.getConnectString()).cluster(CLUSTER).port(0).build());
            assertThatThrownBy(foreign::start).isInstanceOf(DataDirMismatchException.class)
                    .hasMessageContaining("belongs to cluster " + CLUSTER).hasMessageContaining("move the directory away");
            assertThat(foreign.isServing()).isFalse();
        }
    }

    private long liveOwner(NodeId id) throws Exception {
        Stat stat = zk.checkExists().forPath(new ZkPaths(CLUSTER).liveNode(id));
        return stat.getEphemeralOwner();
    }

    private DatanodeConfig.Builder config(NodeId id, Path dir) {
        return DatanodeConfig.builder(id, dir, zkServer.getConnectString()).cluster(CLUSTER).port(0);
    }

    private Datanode started(DatanodeConfig config) throws Exception {
        Datanode node = new Datanode(config);
        toClose.add(node);
        return node.start();
    }
}
