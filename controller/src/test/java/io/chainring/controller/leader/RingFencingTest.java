package io.chainring.controller.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainring.controller.Datanodes;
import io.chainring.controller.TestConfigs;
import io.chainring.controller.state.ClusterSnapshot;
import io.chainring.controller.state.ClusterStateReader;
import io.chainring.metadata.ClusterConfig;
import io.chainring.metadata.NodeRegistry;
import io.chainring.metadata.RingConflictException;
import io.chainring.metadata.RingStore;
import io.chainring.metadata.VersionedRing;
import io.chainring.metadata.ZkClients;
import io.chainring.ring.HostPort;
import io.chainring.ring.NodeId;
import io.chainring.ring.NodeState;
import io.chainring.ring.Ring;
import io.chainring.ring.plan.BalancedPlanner;
import io.chainring.testing.ZooKeeperServerExtension;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The write stage's fences, against a real ZooKeeper: two leaders' pipelines (A deposed, B
 * current) each with their own ZooKeeper session, and the guard that stops a pass.
 */
@Tag("cluster")
class RingFencingTest {
    @RegisterExtension
    static final ZooKeeperServerExtension zooKeeper = new ZooKeeperServerExtension();

    private CuratorFramework zkA;
    private CuratorFramework zkB;
    private Datanodes datanodes;
    private String cluster;

    @BeforeEach
    void connect() throws Exception {
        cluster = TestConfigs.freshCluster();
        zkA = ZkClients.connect(zooKeeper.connectString());
        zkB = ZkClients.connect(zooKeeper.connectString());
        datanodes = new Datanodes(zooKeeper.connectString(), cluster);
        datanodes.start("n1", 7101);
        datanodes.start("n2", 7102);
    }

    @AfterEach
    void disconnect() throws Exception {
        datanodes.close();
        zkA.close();
        zkB.close();
    }

    private LeaderPipeline pipeline(CuratorFramework zk, Supplier<ClusterSnapshot> read,
                                    BooleanSupplier mayAct) {
        return pipeline(zk, read, mayAct, () -> 0L);
    }

    private LeaderPipeline pipeline(CuratorFramework zk, Supplier<ClusterSnapshot> read,
                                    BooleanSupplier mayAct, LongSupplier term) {
        RingDecider decider = new RingDecider(cluster, new ClusterConfig(8, 1), true, 1, Duration.ZERO,
                new BalancedPlanner());
        LeaderGuard guard = new LeaderGuard() {
            @Override
            public boolean mayAct() {
                return mayAct.getAsBoolean();
            }

            @Override
            public long term() {
                return term.getAsLong();
            }
        };
        return new LeaderPipeline(read, decider, new RingWriter(new RingStore(zk, cluster), new NodeRegistry(zk, cluster)),
                Clock.systemUTC(), guard);
    }

    private LeaderPipeline pipeline(CuratorFramework zk, BooleanSupplier mayAct) {
        return pipeline(zk, new ClusterStateReader(zk, cluster)::read, mayAct);
    }

    @Test
    void aDeposedLeadersCompareAndSetIsRejectedAndTheNewerRingStays() throws Exception {
        RingStore storeA = new RingStore(zkA, cluster);
        RingStore storeB = new RingStore(zkB, cluster);
        assertThat(pipeline(zkB, () -> true).runOnce()).isEqualTo(PassResult.WROTE);

        // A reads the ring as a leader would, then loses leadership (it does not know yet)
        VersionedRing seenByA = storeA.read().orElseThrow();
        // B, the new leader, writes a newer ring
        datanodes.start("n2", 9102);
        assertThat(pipeline(zkB, () -> true).runOnce()).isEqualTo(PassResult.WROTE);
        Ring ofB = storeB.read().orElseThrow().ring();
        assertThat(ofB.epoch()).isEqualTo(2);

        Ring ofA = seenByA.ring().withNodes(seenByA.ring().nodes().values().stream()
                .map(n -> n.withAddress(new HostPort("127.0.0.1", 6666))).toList());
        assertThatThrownBy(() -> storeA.compareAndSet(ofA, seenByA.zkVersion()))
                .isInstanceOf(RingConflictException.class);
        assertThatThrownBy(() -> new RingWriter(storeA, new NodeRegistry(zkA, cluster))
                .update(new Decision.UpdateRing(ofA, seenByA.zkVersion(), "stale")))
                .isInstanceOf(RingConflictException.class);
        assertThat(storeA.read().orElseThrow().ring()).isEqualTo(ofB);
    }

    @Test
    void aPassDecidedOnAStaleReadIsDroppedNotRetried() throws Exception {
        assertThat(pipeline(zkB, () -> true).runOnce()).isEqualTo(PassResult.WROTE);
        datanodes.start("n1", 8101);
        // A's read stage took its snapshot (n1 moved, ring at epoch 1) before B wrote epoch 2
        ClusterSnapshot staleForA = new ClusterStateReader(zkA, cluster).read();
        assertThat(pipeline(zkB, () -> true).runOnce()).isEqualTo(PassResult.WROTE);
        Ring ofB = new RingStore(zkB, cluster).read().orElseThrow().ring();

        AtomicInteger reads = new AtomicInteger();
        LeaderPipeline a = pipeline(zkA, () -> {
            reads.incrementAndGet();
            return staleForA;
        }, () -> true);
        assertThat(a.runOnce()).isEqualTo(PassResult.CONFLICT);
        assertThat(reads).hasValue(1);
        assertThat(new RingStore(zkA, cluster).read().orElseThrow().ring()).isEqualTo(ofB);
    }

    @Test
    void aFirstRingLosesToOneCreatedMeanwhile() throws Exception {
        ClusterSnapshot beforeAnyRing = new ClusterStateReader(zkA, cluster).read();
        assertThat(pipeline(zkB, () -> true).runOnce()).isEqualTo(PassResult.WROTE);
        Ring ofB = new RingStore(zkB, cluster).read().orElseThrow().ring();

        assertThat(pipeline(zkA, () -> beforeAnyRing, () -> true).runOnce()).isEqualTo(PassResult.CONFLICT);
        assertThat(new RingStore(zkA, cluster).read().orElseThrow().ring()).isEqualTo(ofB);
    }

    @Test
    void aPassThatMayNotActReadsAndWritesNothing() {
        AtomicInteger reads = new AtomicInteger();
        LeaderPipeline p = pipeline(zkA, () -> {
            reads.incrementAndGet();
            return new ClusterStateReader(zkA, cluster).read();
        }, () -> false);
        assertThat(p.runOnce()).isEqualTo(PassResult.NOT_ACTING);
        assertThat(reads).hasValue(0);
        assertThat(new RingStore(zkA, cluster).read()).isEmpty();
        assertThat(datanodes.node("n1").state()).isEqualTo(NodeState.NEW);
    }

    @Test
    void aPassThatStopsActingBeforeItsWriteWritesNothing() {
        AtomicInteger checks = new AtomicInteger();
        // the guard holds when the pass begins and fails when it is about to write
        LeaderPipeline p = pipeline(zkA, () -> checks.incrementAndGet() == 1);
        assertThat(p.runOnce()).isEqualTo(PassResult.STOPPED_BEFORE_WRITE);
        assertThat(checks).hasValue(2);
        assertThat(new RingStore(zkA, cluster).read()).isEmpty();
        assertThat(datanodes.node("n1").state()).isEqualTo(NodeState.NEW);
        assertThat(datanodes.registry().liveNodes()).contains(NodeId.of("n1"));
    }

    @Test
    void aPassInterruptedByAConnectionLossDoesNotWriteAfterTheReconnect() {
        AtomicInteger termReads = new AtomicInteger();
        // may act at both checks (leadership was regained), but the term moved in between
        LeaderPipeline p = pipeline(zkA, new ClusterStateReader(zkA, cluster)::read, () -> true,
                () -> termReads.incrementAndGet() == 1 ? 7L : 8L);
        assertThat(p.runOnce()).isEqualTo(PassResult.STOPPED_BEFORE_WRITE);
        assertThat(new RingStore(zkA, cluster).read()).isEmpty();
        assertThat(datanodes.node("n1").state()).isEqualTo(NodeState.NEW);
    }
}
