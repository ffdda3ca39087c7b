package io.chainring.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chainring.metadata.ControllerDirectory;
import io.chainring.metadata.RingStore;
import io.chainring.metadata.ZkClients;
import io.chainring.ring.HostPort;
import io.chainring.ring.NodeId;
import io.chainring.ring.Ring;
import io.chainring.ring.plan.BalancedPlanner;
import java.time.Duration;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingCluster;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Two controllers on a three-server ZooKeeper ensemble: the follower takes over and acts. */
@Tag("cluster")
class ControllerFailoverIT {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @Test
    void theFollowerTakesOverWhenTheLeaderClosesAndEpochsKeepGrowing() throws Exception {
        String cluster = TestConfigs.freshCluster();
        try (TestingCluster ensemble = new TestingCluster(3)) {
            ensemble.start();
            String connect = ensemble.getConnectString();
            ControllerConfig config = TestConfigs.fast(connect, cluster).partitions(24).minNodes(2).build();
            try (CuratorFramework zk = ZkClients.connect(connect);
                 Datanodes datanodes = new Datanodes(connect, cluster);
                 Controller a = new Controller(config, new BalancedPlanner());
                 Controller b = new Controller(config, new BalancedPlanner())) {
                a.start();
                b.start();
                await().atMost(WAIT).until(() -> a.isLeader() || b.isLeader());
                await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> a.isLeader() ^ b.isLeader());
                Controller leader = a.isLeader() ? a : b;
                Controller follower = leader == a ? b : a;
                ControllerDirectory directory = new ControllerDirectory(zk, cluster);
                assertThat(directory.leaderAddress()).contains(leader.adminAddress());

                RingStore rings = new RingStore(zk, cluster);
                datanodes.start("n1", 7101);
                datanodes.start("n2", 7102);
                await().atMost(WAIT).until(() -> rings.read().isPresent());
                datanodes.start("n1", 8101);
                await().atMost(WAIT).until(() -> rings.read().orElseThrow().ring().epoch() == 2);

                long closedAt = System.nanoTime();
                leader.close();
                await().atMost(WAIT).until(follower::isLeader);
                Duration takeover = Duration.ofNanos(System.nanoTime() - closedAt);
                assertThat(takeover).isLessThan(Duration.ofSeconds(5));
                await().atMost(WAIT).until(() -> directory.leaderAddress().equals(Optional.of(follower.adminAddress())));

                // the new leader acts: a restart on another port bumps the epoch past the old leader's
                datanodes.start("n2", 8102);
                await().atMost(WAIT).until(() -> rings.read().orElseThrow().ring().epoch() == 3);
                Ring ring = rings.read().orElseThrow().ring();
                assertThat(ring.node(NodeId.of("n1")).orElseThrow().address()).isEqualTo(new HostPort("127.0.0.1", 8101));
                assertThat(ring.node(NodeId.of("n2")).orElseThrow().address()).isEqualTo(new HostPort("127.0.0.1", 8102));
                assertThat(ring.isAssigned()).isTrue();

                // losing one ZooKeeper server of three does not stop the leader
                ensemble.killServer(ensemble.getInstances().iterator().next());
                datanodes.start("n1", 9101);
                await().atMost(WAIT).until(() -> rings.read().orElseThrow().ring().epoch() == 4);
                await().atMost(WAIT).until(follower::isLeader);
            }
        }
    }
}
