package io.chainring.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chainring.metadata.RingStore;
import io.chainring.metadata.ZkClients;
import io.chainring.ring.HostPort;
import io.chainring.ring.NodeId;
import io.chainring.ring.Ring;
import io.chainring.ring.plan.BalancedPlanner;
import java.time.Duration;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The leader stops acting as soon as its ZooKeeper connection is in doubt, and resumes after. */
@Tag("cluster")
class LeaderConnectionLossTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void stopsActingWhileZooKeeperIsUnreachableAndResumesAfter() throws Exception {
        String cluster = TestConfigs.freshCluster();
        try (TestingServer server = new TestingServer(true);
             Datanodes datanodes = new Datanodes(server.getConnectString(), cluster);
             Controller controller = new Controller(TestConfigs.fast(server.getConnectString(), cluster)
                     .partitions(16).build(), new BalancedPlanner()).start()) {
            await().atMost(WAIT).until(controller::isLeader);
            datanodes.start("n1", 7101);

            server.stop();
            await().atMost(WAIT).until(() -> !controller.isLeader());
            // stays deposed while ZooKeeper is away
            await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> !controller.isLeader());

            server.restart();
            await().atMost(WAIT).until(controller::isLeader);
            try (CuratorFramework zk = ZkClients.connect(server.getConnectString())) {
                RingStore rings = new RingStore(zk, cluster);
                await().atMost(WAIT).until(() -> rings.read().isPresent());
                datanodes.start("n1", 8101);
                await().atMost(WAIT).until(() -> rings.read().orElseThrow().ring().epoch() == 2);
                Ring ring = rings.read().orElseThrow().ring();
                assertThat(ring.node(NodeId.of("n1")).orElseThrow().address()).isEqualTo(new HostPort("127.0.0.1", 8101));
            }
        }
    }
}
