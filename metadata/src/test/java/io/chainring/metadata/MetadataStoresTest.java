package io.chainring.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainring.ring.Chain;
import io.chainring.ring.HostPort;
import io.chainring.ring.NodeId;
import io.chainring.ring.NodeInfo;
import io.chainring.ring.NodeState;
import io.chainring.ring.Ring;
import io.chainring.testing.ZooKeeperServerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@Tag("cluster")
class MetadataStoresTest {
    @RegisterExtension
    final ZooKeeperServerExtension zooKeeper = new ZooKeeperServerExtension();
    private CuratorFramework zk;
    private CuratorFramework zk2;

    @BeforeEach
    void start() throws Exception {
        zk = ZkClients.connect(zooKeeper.connectString());
        zk2 = ZkClients.connect(zooKeeper.connectString());
    }

    @AfterEach
    void stop() throws Exception {
        zk.close();
        zk2.close();
    }

    @Test
    void aCallInterruptedInZooKeeperKeepsTheInterruptFlag() {
        RingStore rings = new RingStore(zk, "c1");
        ThrottleStore throttle = new ThrottleStore(zk, "c1");
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(rings::read).isInstanceOf(MetadataException.class)
                    .hasRootCauseInstanceOf(InterruptedException.class);
            assertThat(Thread.currentThread().isInterrupted()).as("the flag survives the catch").isTrue();
            assertThatThrownBy(() -> throttle.set(5)).isInstanceOf(MetadataException.class);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted(); // clear it for the rest of the test run
        }
        assertThat(rings.read()).isEmpty(); // and the store works again once the flag is cleared
    }

    @Test
    void aSwallowedInterruptIsRestored() {
        // every store catches Exception around its Curator call; an InterruptedException caught there
        // must leave the thread interrupted (Curator re-sets the flag on some paths, not on all)
        MetadataException e = MetadataException.failed("cannot read", new InterruptedException("sleep interrupted"));
        try {
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
            assertThat(e).hasMessage("cannot read").hasCauseInstanceOf(InterruptedException.class);
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void aFailureOtherThanAnInterruptLeavesTheFlagAlone() {
        MetadataException e = MetadataException.failed("cannot read", new java.io.IOException("connection loss"));
        assertThat(e).hasMessage("cannot read").hasCauseInstanceOf(java.io.IOException.class);
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    private static NodeInfo node(String id, int port) {
        return new NodeInfo(NodeId.of(id), new HostPort("127.0.0.1", port), "z1", NodeState.ACTIVE);
    }

    private static Ring ringWith(long epoch, NodeInfo... nodes) {
        Ring empty = Ring.empty("c1", 4, 1);
        List<Chain> chains = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            chains.add(Chain.of(nodes[i % nodes.length].id()));
        }
        Ring r = empty.next(List.of(nodes), chains);
        while (r.epoch() < epoch) {
            r = r.withNodes(List.of(nodes));
        }
        return r;
    }

    @Test
    void ringCompareAndSetLetsExactlyOneOfTwoWritersWin() throws Exception {
        RingStore a = new RingStore(zk, "c1");
        RingStore b = new RingStore(zk2, "c1");
        NodeInfo n1 = node("n1", 7101);
        assertThat(a.read()).isEmpty();
        a.create(ringWith(1, n1));
        assertThatThrownBy(() -> b.create(ringWith(1, n1))).isInstanceOf(RingConflictException.class);

        VersionedRing seenByA = a.read().orElseThrow();
        VersionedRing seenByB = b.read().orElseThrow();
        Ring fromA = seenByA.ring().withNodes(List.of(n1, node("n2", 7102)));
        Ring fromB = seenByB.ring().withNodes(List.of(n1, node("n3", 7103)));

        int newVersion = a.compareAndSet(fromA, seenByA.zkVersion());
        assertThatThrownBy(() -> b.compareAndSet(fromB, seenByB.zkVersion()))
                .isInstanceOf(RingConflictException.class)
                .hasMessageContaining("changed since version " + seenByB.zkVersion());

        VersionedRing now = b.read().orElseThrow();
        assertThat(now.zkVersion()).isEqualTo(newVersion);
        assertThat(now.ring()).isEqualTo(fromA);
        assertThat(now.ring().nodes()).containsKey(NodeId.of("n2")).doesNotContainKey(NodeId.of("n3"));
    }

    @Test
    void watcherSeesEveryNewerRingAndOnlyNewer() throws Exception {
        RingStore store = new RingStore(zk, "c1");
        NodeInfo n1 = node("n1", 7101);
        Ring r1 = ringWith(1, n1);
        store.create(r1);
        List<Long> seen = new CopyOnWriteArrayList<>();
        try (RingWatcher watcher = new RingWatcher(zk2, "c1", r -> seen.add(r.epoch())).start()) {
            waitFor(() -> seen.contains(1L));
            Ring r2 = r1.withNodes(List.of(n1));
            store.compareAndSet(r2, 0);
            waitFor(() -> seen.contains(2L));
            assertThat(watcher.current().orElseThrow().epoch()).isEqualTo(2);
            assertThat(watcher.refresh().orElseThrow().epoch()).isEqualTo(2);
            assertThat(seen).containsExactly(1L, 2L);
        }
    }

    @Test
    void awaitingAnEpochReturnsWhenTheWatchDeliversItAndGivesUpAfterTheBound() throws Exception {
        RingStore store = new RingStore(zk, "c1");
        NodeInfo n1 = node("n1", 7101);
        Ring r1 = ringWith(1, n1);
        store.create(r1);
        try (RingWatcher watcher = new RingWatcher(zk2, "c1", r -> { }).start()) {
            waitFor(() -> watcher.current().isPresent());
            java.util.concurrent.CompletableFuture<java.util.Optional<Ring>> waiting =
                    java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                        try {
                            return watcher.awaitEpoch(2, java.time.Duration.ofSeconds(20));
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    });
            Thread.sleep(50);
            assertThat(waiting).isNotDone();
            store.compareAndSet(r1.withNodes(List.of(n1)), 0);
            assertThat(waiting.get(20, java.util.concurrent.TimeUnit.SECONDS).orElseThrow().epoch()).isEqualTo(2);
            long start = System.nanoTime();
            assertThat(watcher.awaitEpoch(9, java.time.Duration.ofMillis(100))).isEmpty();
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(100));
        }
    }

    @Test
    void registryKeepsStateAcrossReRegistrationAndTracksLiveness() throws Exception {
        NodeRegistry registry = new NodeRegistry(zk, "c1");
        NodeInfo fresh = new NodeInfo(NodeId.of("n1"), new HostPort("127.0.0.1", 7101), "a", NodeState.NEW);
        assertThat(registry.register(fresh)).isEqualTo(fresh);
        registry.setState(NodeId.of("n1"), NodeState.ACTIVE);

        NodeInfo moved = registry.register(fresh.withAddress(new HostPort("127.0.0.1", 7201)));
        assertThat(moved.state()).isEqualTo(NodeState.ACTIVE);
        assertThat(moved.address().port()).isEqualTo(7201);
        assertThat(registry.nodes()).containsExactly(moved);

        NodeRegistry other = new NodeRegistry(zk2, "c1");
        assertThat(other.liveNodes()).isEmpty();
        try (LiveRegistration live = registry.goLive(NodeId.of("n1"))) {
            assertThat(live.awaitCreated(Duration.ofSeconds(10))).isTrue();
            assertThat(other.liveNodes()).containsExactly(NodeId.of("n1"));
        }
        waitFor(() -> other.liveNodes().isEmpty());
        assertThatThrownBy(() -> registry.setState(NodeId.of("ghost"), NodeState.ACTIVE))
                .isInstanceOf(MetadataException.class).hasMessageContaining("unknown node ghost");
    }

    @Test
    void clusterConfigIsCreatedOnceAndDisagreementFailsClearly() {
        ClusterConfigStore store = new ClusterConfigStore(zk, "c1");
        assertThat(store.createOrVerify(new ClusterConfig(64, 1))).isEqualTo(new ClusterConfig(64, 1));
        assertThat(new ClusterConfigStore(zk2, "c1").createOrVerify(new ClusterConfig(64, 1))).isEqualTo(new ClusterConfig(64, 1));
        assertThatThrownBy(() -> store.createOrVerify(new ClusterConfig(128, 1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("created with 64 partitions, replication 1, min-chain-for-writes 1")
                .hasMessageContaining("started with 128 partitions");
        assertThat(store.createOrVerify(new ClusterConfig(64, 1, 1))).isEqualTo(new ClusterConfig(64, 1));
    }

    @Test
    void controllerDirectoryNamesTheLatchLeader() throws Exception {
        ControllerDirectory dir = new ControllerDirectory(zk2, "c1");
        assertThat(dir.leaderAddress()).isEmpty();
        String latchPath = new ZkPaths("c1").controllerLatch();
        try (LeaderLatch first = new LeaderLatch(zk, latchPath, "127.0.0.1:7001");
             LeaderLatch second = new LeaderLatch(zk2, latchPath, "127.0.0.1:7002")) {
            first.start();
            assertThat(first.await(10, TimeUnit.SECONDS)).isTrue();
            second.start();
            waitFor(() -> {
                try {
                    return second.getParticipants().size() == 2;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(dir.leaderAddress()).contains("127.0.0.1:7001");
        }
    }

    @Test
    void unreachableZooKeeperFailsWithinTheWaitAndSaysWhere() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String where = "127.0.0.1:" + port;
        assertThatThrownBy(() -> ZkClients.connect(where, Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(MetadataException.class).hasMessageContaining(where);
    }

    @Test
    void clusterConfigIsReadableText() {
        assertThat(new String(new ClusterConfig(256, 3).toBytes(), StandardCharsets.UTF_8)).contains("partitions=256");
        assertThat(ClusterConfig.fromBytes(new ClusterConfig(256, 3).toBytes())).isEqualTo(new ClusterConfig(256, 3));
        assertThatThrownBy(() -> new ClusterConfig(0, 1)).hasMessageContaining("partitions must be");
        assertThat(new String(new ClusterConfig(64, 5, 3).toBytes(), StandardCharsets.UTF_8))
                .contains("min-chain-for-writes=3");
        assertThat(ClusterConfig.fromBytes(new ClusterConfig(64, 5, 3).toBytes())).isEqualTo(new ClusterConfig(64, 5, 3));
    }

    @Test
    void clusterConfigWithoutMinChainReadsWithTheDefaultForItsReplication() {
        // the text written before min-chain-for-writes existed
        byte[] old = "partitions=64\nreplication=3\n".getBytes(StandardCharsets.UTF_8);
        assertThat(ClusterConfig.fromBytes(old)).isEqualTo(new ClusterConfig(64, 3, 2));
        byte[] oldR1 = "partitions=64\nreplication=1\n".getBytes(StandardCharsets.UTF_8);
        assertThat(ClusterConfig.fromBytes(oldR1).minChainForWrites()).isEqualTo(1);
        assertThat(new ClusterConfig(16, 2).minChainForWrites()).isEqualTo(1);
    }

    @Test
    void clusterConfigRefusesAMinChainOutsideOneToR() {
        assertThatThrownBy(() -> new ClusterConfig(16, 3, 4)).hasMessageContaining("min-chain-for-writes must be 1..3");
        assertThatThrownBy(() -> new ClusterConfig(16, 3, 0)).hasMessageContaining("min-chain-for-writes must be 1..3");
        assertThatThrownBy(() -> ClusterConfig.fromBytes("partitions=16\nreplication=3\nmin-chain-for-writes=x\n"
                .getBytes(StandardCharsets.UTF_8))).hasMessageContaining("unreadable cluster config");
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 15 s");
            }
            Thread.sleep(20);
        }
    }
}
