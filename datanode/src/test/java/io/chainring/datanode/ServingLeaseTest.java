package io.chainring.datanode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chainring.metadata.RingStore;
import io.chainring.metadata.ZkClients;
import io.chainring.ring.Chain;
import io.chainring.ring.HostPort;
import io.chainring.ring.NodeId;
import io.chainring.ring.NodeInfo;
import io.chainring.ring.NodeState;
import io.chainring.ring.Ring;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The serving lease runs on the clock, not only on ZooKeeper connection events (DESIGN §6.4): a
 * node frozen past its session (SIGSTOP, a long GC pause) must refuse the moment it wakes up,
 * before its ZooKeeper client has noticed anything. The view runs on a clock the test moves: a
 * jump of the clock is a freeze during which no ZooKeeper answer arrived and no event fired.
 */
@Tag("cluster")
class ServingLeaseTest {
    private static final String CLUSTER = "lease";
    private static final NodeId N1 = NodeId.of("n1");
    private static final Duration WAIT = Duration.ofSeconds(30);

    TestingServer zkServer;
    CuratorFramework zk;
    final AtomicLong jumped = new AtomicLong();

    @BeforeEach
    void start() throws Exception {
        zkServer = new TestingServer(true);
        zk = ZkClients.connect(zkServer.getConnectString(), Duration.ofSeconds(4), Duration.ofSeconds(20));
        List<Chain> chains = new ArrayList<>();
        for (int p = 0; p < 4; p++) {
            chains.add(Chain.of(N1));
        }
        new RingStore(zk, CLUSTER).create(Ring.empty(CLUSTER, 4, 1)
                .next(List.of(new NodeInfo(N1, new HostPort("127.0.0.1", 1), "z1", NodeState.ACTIVE)), chains));
    }

    @AfterEach
    void stop() throws Exception {
        zk.close();
        zkServer.close();
    }

    private long clock() {
        return System.nanoTime() + jumped.get();
    }

    private long leaseNanos() throws Exception {
        return TimeUnit.MILLISECONDS.toNanos(zk.getZookeeperClient().getZooKeeper().getSessionTimeout()) * 2 / 3;
    }

    @Test
    void aNodeFrozenPastItsLeaseRefusesAtOnce() throws Exception {
        // no heartbeats after the first: nothing renews the lease behind the test's back
        try (ZkRingView view = new ZkRingView(N1, zk, CLUSTER, r -> { }, this::clock, TimeUnit.HOURS.toMillis(1))) {
            view.start();
            await().atMost(WAIT).until(view::serving);
            assertThat(zk.getZookeeperClient().isConnected()).isTrue();

            jumped.addAndGet(leaseNanos() + TimeUnit.MILLISECONDS.toNanos(100));
            assertThat(view.serving()).as("woken up past the lease, still 'connected'").isFalse();
            assertThat(zk.getZookeeperClient().isConnected()).as("no connection event helped").isTrue();
        }
    }

    @Test
    void heartbeatsKeepTheLeaseAndAFreshRoundTripRenewsItAfterALapse() throws Exception {
        try (ZkRingView view = new ZkRingView(N1, zk, CLUSTER, r -> { }, this::clock, ZkRingView.HEARTBEAT_MS)) {
            view.start();
            await().atMost(WAIT).until(view::serving);
            // longer than one lease: only the heartbeats keep it
            long end = System.nanoTime() + leaseNanos() * 3 / 2;
            while (System.nanoTime() < end) {
                assertThat(view.serving()).as("serving while ZooKeeper answers").isTrue();
                Thread.sleep(50);
            }

            jumped.addAndGet(leaseNanos() * 2);
            // the session is alive (nothing was frozen really): the next heartbeat's answer renews the lease
            await().atMost(WAIT).until(view::serving);
        }
    }

    @Test
    void noLeaseWhileZooKeeperDoesNotAnswer() throws Exception {
        try (ZkRingView view = new ZkRingView(N1, zk, CLUSTER, r -> { }, this::clock, ZkRingView.HEARTBEAT_MS)) {
            view.start();
            await().atMost(WAIT).until(view::serving);
            long lease = leaseNanos();
            zkServer.stop();
            long stopped = System.nanoTime();
            await().atMost(WAIT).until(() -> !view.serving());
            assertThat(System.nanoTime() - stopped).as("stopped serving within one lease").isLessThanOrEqualTo(lease + TimeUnit.SECONDS.toNanos(1));
            zkServer.restart();
            await().atMost(WAIT).until(view::serving);
        }
    }
}
