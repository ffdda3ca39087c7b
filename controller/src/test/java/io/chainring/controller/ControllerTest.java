package io.chainring.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.chainring.metadata.ClusterConfig;
import io.chainring.metadata.ClusterConfigStore;
import io.chainring.metadata.ControllerDirectory;
import io.chainring.metadata.RingStore;
import io.chainring.metadata.VersionedRing;
import io.chainring.metadata.ZkClients;
import io.chainring.ring.HostPort;
import io.chainring.ring.NodeId;
import io.chainring.ring.NodeInfo;
import io.chainring.ring.NodeState;
import io.chainring.ring.Ring;
import io.chainring.ring.plan.BalancedPlanner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A controller against a real ZooKeeper; each test uses a cluster of its own. */
@Tag("cluster")
class ControllerTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static TestingServer zkServer;
    private static CuratorFramework zk;

    private final List<AutoCloseable> closeAfter = new ArrayList<>();
    private String cluster;
    private Datanodes datanodes;
    private RingStore rings;

    @BeforeAll
    static void startZooKeeper() throws Exception {
        zkServer = new TestingServer(true);
        zk = ZkClients.connect(zkServer.getConnectString());
    }

    @AfterAll
    static void stopZooKeeper() throws Exception {
        zk.close();
        zkServer.close();
    }

    @BeforeEach
    void freshCluster() {
        cluster = TestConfigs.freshCluster();
        datanodes = new Datanodes(zkServer.getConnectString(), cluster);
        closeAfter.add(datanodes);
        rings = new RingStore(zk, cluster);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeAfter.size() - 1; i >= 0; i--) {
            closeAfter.get(i).close();
        }
    }

    private ControllerConfig.Builder config() {
        return TestConfigs.fast(zkServer.getConnectString(), cluster);
    }

    private Controller controller(ControllerConfig config) {
        Controller c = new Controller(config, new BalancedPlanner());
        closeAfter.add(c);
        return c;
    }

    private Controller startedLeader(ControllerConfig config) {
        Controller c = controller(config).start();
        await().atMost(WAIT).until(c::isLeader);
        return c;
    }

    private Ring awaitRing(long epoch) {
        await().atMost(WAIT).until(() -> rings.read().map(v -> v.ring().epoch() >= epoch).orElse(false));
        return rings.read().orElseThrow().ring();
    }

    @Test
    void firstRingWaitsForMinNodesThenAssignsEveryPartition() throws Exception {
        startedLeader(config().partitions(64).minNodes(3).build());
        datanodes.start("n1", 7101);
        datanodes.start("n2", 7102);

        // two live nodes, well past the settle time: still no ring
        await().during(Duration.ofMillis(800)).atMost(WAIT).until(() -> rings.read().isEmpty());

        datanodes.start("n3", 7103);
        Ring ring = awaitRing(1);
        assertThat(ring.epoch()).isEqualTo(1);
        assertThat(ring.partitionCount()).isEqualTo(64);
        assertThat(ring.isAssigned()).isTrue();
        assertThat(ring.nodes()).containsOnlyKeys(NodeId.of("n1"), NodeId.of("n2"), NodeId.of("n3"));
        // replication 3 by default: every node holds every partition, each chain has three distinct nodes
        assertThat(ring.replication()).isEqualTo(3);
        assertThat(ring.minChainForWrites()).isEqualTo(2);
        assertThat(ring.partitions()).allSatisfy(p -> assertThat(p.chain().length()).isEqualTo(3));
        assertThat(ring.roleCounts().values()).allSatisfy(r -> assertThat(r[0]).isEqualTo(64));
        for (String id : List.of("n1", "n2", "n3")) {
            assertThat(datanodes.node(id).state()).as(id).isEqualTo(NodeState.ACTIVE);
            assertThat(ring.node(NodeId.of(id)).orElseThrow().state()).isEqualTo(NodeState.ACTIVE);
        }
    }

    @Test
    void followsANodeRestartedOnAnotherPort() throws Exception {
        startedLeader(config().partitions(32).build());
        datanodes.start("n1", 7101);
        Ring first = awaitRing(1);
        assertThat(first.nodes()).containsOnlyKeys(NodeId.of("n1"));

        datanodes.stop("n1");
        datanodes.start("n1", 8101);
        Ring second = awaitRing(2);
        assertThat(second.epoch()).isEqualTo(2);
        assertThat(second.node(NodeId.of("n1")).orElseThrow().address()).isEqualTo(new HostPort("127.0.0.1", 8101));
        assertThat(second.chains()).isEqualTo(first.chains());
        assertThat(datanodes.node("n1").state()).isEqualTo(NodeState.ACTIVE);
    }

    @Test
    void aNodeRegisteringAfterTheRingStaysNewWithoutPartitions() throws Exception {
        startedLeader(config().partitions(32).minNodes(2).build());
        datanodes.start("n1", 7101);
        datanodes.start("n2", 7102);
        Ring first = awaitRing(1);

        datanodes.start("n4", 7104);
        // a later change that the leader does act on proves it has seen n4's registration
        datanodes.start("n1", 9101);
        Ring second = awaitRing(2);

        assertThat(second.nodes()).doesNotContainKey(NodeId.of("n4"));
        assertThat(second.partitionsOf(NodeId.of("n4"))).isEmpty();
        assertThat(second.chains()).isEqualTo(first.chains());
        assertThat(datanodes.node("n4").state()).isEqualTo(NodeState.NEW);
    }

    @Test
    void withReplicationOneANodeGoingDownKeepsItsChains() throws Exception {
        startedLeader(config().partitions(32).replication(1).minNodes(2).build());
        datanodes.start("n1", 7101);
        datanodes.start("n2", 7102);
        Ring first = awaitRing(1);

        datanodes.stop("n2");
        await().atMost(WAIT).until(() -> !datanodes.registry().liveNodes().contains(NodeId.of("n2")));
        await().during(Duration.ofMillis(500)).atMost(WAIT)
                .until(() -> rings.read().orElseThrow().ring().equals(first));
    }

    @Test
    void doesNotFormARingWhenAutoJoinIsOff() throws Exception {
        startedLeader(config().autoJoin(false).build());
        datanodes.start("n1", 7101);
        await().during(Duration.ofMillis(800)).atMost(WAIT).until(() -> rings.read().isEmpty());
        assertThat(datanodes.node("n1").state()).isEqualTo(NodeState.NEW);
    }

    @Test
    void exactlyOneOfTwoControllersLeadsAndIsFoundInTheDirectory() {
        Controller a = controller(config().build()).start();
        Controller b = controller(config().build()).start();
        await().atMost(WAIT).until(() -> a.isLeader() || b.isLeader());
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> a.isLeader() ^ b.isLeader());
        Controller leader = a.isLeader() ? a : b;
        assertThat(new ControllerDirectory(zk, cluster).leaderAddress()).contains(leader.adminAddress());
        assertThat(leader.adminAddress()).isEqualTo("127.0.0.1:" + leader.port());
    }

    @Test
    void disagreeingPartitionsFailClearlyAndNoFlagsAdoptTheClustersConfig() {
        startedLeader(config().partitions(64).build());

        Controller other = controller(config().partitions(32).build());
        assertThatThrownBy(other::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("was created with 64 partitions, replication 3, min-chain-for-writes 2")
                .hasMessageContaining("started with 32 partitions");
        assertThat(other.state()).isEqualTo(Lifecycle.State.CLOSED);

        Controller adopting = controller(config().build()).start();
        assertThat(adopting.clusterConfig()).isEqualTo(new ClusterConfig(64, 3, 2));
        Controller agreeing = controller(config().partitions(64).replication(3).build()).start();
        assertThat(agreeing.clusterConfig()).isEqualTo(new ClusterConfig(64, 3, 2));
    }

    @Test
    void aNewClusterWithoutFlagsGetsTheDefaults() {
        Controller c = controller(config().build()).start();
        assertThat(c.clusterConfig()).isEqualTo(new ClusterConfig(256, 3, 2));
        assertThat(new ClusterConfigStore(zk, cluster).read()).contains(new ClusterConfig(256, 3, 2));
    }

    @Test
    void replicationAndMinChainForWritesGoIntoTheConfigAndTheFirstRing() throws Exception {
        startedLeader(config().partitions(16).replication(2).minChainForWrites(2).minNodes(3).build());
        assertThat(new ClusterConfigStore(zk, cluster).read()).contains(new ClusterConfig(16, 2, 2));
        datanodes.start("n1", 7101);
        datanodes.start("n2", 7102);
        datanodes.start("n3", 7103);
        Ring ring = awaitRing(1);
        assertThat(ring.replication()).isEqualTo(2);
        assertThat(ring.minChainForWrites()).isEqualTo(2);
        assertThat(ring.partitions()).allSatisfy(p -> assertThat(p.chain().length()).isEqualTo(2));

        // a later controller with only --replication adopts the cluster's min chain; another min chain fails
        Controller same = controller(config().replication(2).build()).start();
        assertThat(same.clusterConfig()).isEqualTo(new ClusterConfig(16, 2, 2));
        Controller other = controller(config().minChainForWrites(1).build());
        assertThatThrownBy(other::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("min-chain-for-writes 2, but this controller was started with 16 partitions, "
                        + "replication 2, min-chain-for-writes 1");
    }

    @Test
    void anOldConfigWithoutMinChainForWritesReadsWithTheDefault() throws Exception {
        zk.create().creatingParentsIfNeeded().forPath(new io.chainring.metadata.ZkPaths(cluster).config(),
                "partitions=16\nreplication=3\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Controller c = controller(config().build()).start();
        assertThat(c.clusterConfig()).isEqualTo(new ClusterConfig(16, 3, 2));
    }

    @Test
    void startsOnceAndClosesIdempotently() {
        Controller c = controller(config().build());
        assertThatThrownBy(c::adminAddress).hasMessageContaining("not started");
        c.start();
        assertThatThrownBy(c::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("only once");
        assertThat(c.state()).isEqualTo(Lifecycle.State.RUNNING);
        c.close();
        c.close();
        assertThat(c.state()).isEqualTo(Lifecycle.State.CLOSED);
        assertThat(c.isLeader()).isFalse();
        assertThatThrownBy(c::start).isInstanceOf(IllegalStateException.class);

        Controller never = controller(config().build());
        never.close();
        assertThat(never.state()).isEqualTo(Lifecycle.State.CLOSED);
    }

    @Test
    void failsClearlyWhenTheAdminPortIsTaken() {
        Controller first = controller(config().build()).start();
        Controller second = controller(config().port(first.port()).build());
        assertThatThrownBy(second::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot listen for admin requests on 127.0.0.1:" + first.port());
        assertThat(second.state()).isEqualTo(Lifecycle.State.CLOSED);
        await().atMost(WAIT).until(first::isLeader);
    }

    @Test
    void writesNothingAfterClose() throws Exception {
        Controller c = startedLeader(config().partitions(16).build());
        datanodes.start("n1", 7101);
        awaitRing(1);
        c.close();
        datanodes.start("n1", 9101);
        await().during(Duration.ofMillis(500)).atMost(WAIT)
                .until(() -> rings.read().map(VersionedRing::ring).map(Ring::epoch).equals(Optional.of(1L)));
        NodeInfo n1 = rings.read().orElseThrow().ring().node(NodeId.of("n1")).orElseThrow();
        assertThat(n1.address().port()).isEqualTo(7101);
    }
}
