package io.chainring.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainring.metadata.MetadataException;
import io.chainring.metadata.ThrottleStore;
import io.chainring.metadata.ZkAuth;
import io.chainring.metadata.ZkClients;
import io.chainring.metadata.ZkPaths;
import io.chainring.ring.NodeId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;
import org.junit.jupiter.api.Test;

/** Issue 12 #6: with ZooKeeper credentials, nobody without them can change the cluster's metadata. */
class ZooKeeperAclTest {
    private static final byte[] JUNK = "1".getBytes(StandardCharsets.US_ASCII);

    @Test
    void anUnauthenticatedClientCanReadButNotChangeRingThrottlePlanOrRegistrations() throws Exception {
        ZkAuth auth = ZkAuth.parse("chainring:acl-test-secret");
        try (EmbeddedCluster cluster = EmbeddedCluster.builder().nodes(2).partitions(8).zkAuth(auth).build().start();
             CuratorFramework insider = ZkClients.connect(cluster.zkConnect(), Duration.ofSeconds(10), Duration.ofSeconds(10),
                     Optional.of(auth));
             CuratorFramework outsider = ZkClients.connect(cluster.zkConnect())) {
            ZkPaths paths = new ZkPaths(cluster.cluster());
            new ThrottleStore(insider, cluster.cluster()).set(4 << 20);

            assertThat(outsider.getData().forPath(paths.ring())).as("the ring stays readable").isNotEmpty();
            assertThat(new ThrottleStore(outsider, cluster.cluster()).read()).isEqualTo(4 << 20);

            assertThatThrownBy(() -> new ThrottleStore(outsider, cluster.cluster()).set(1))
                    .isInstanceOf(MetadataException.class).hasRootCauseInstanceOf(KeeperException.NoAuthException.class);
            for (String path : List.of(paths.ring(), paths.throttle(), paths.config(), paths.clusterId(), paths.node(NodeId.of("n1")))) {
                assertThatThrownBy(() -> outsider.setData().forPath(path, JUNK)).as(path).isInstanceOf(KeeperException.NoAuthException.class);
            }
            assertThatThrownBy(() -> outsider.create().forPath(paths.plan(), JUNK)).isInstanceOf(KeeperException.NoAuthException.class);
            assertThatThrownBy(() -> outsider.create().forPath(paths.node(NodeId.of("n9")), JUNK))
                    .isInstanceOf(KeeperException.NoAuthException.class);
            assertThatThrownBy(() -> outsider.delete().forPath(paths.liveNode(NodeId.of("n1"))))
                    .isInstanceOf(KeeperException.NoAuthException.class);
            assertThatThrownBy(() -> outsider.delete().deletingChildrenIfNeeded().forPath(paths.root()))
                    .isInstanceOf(KeeperException.NoAuthException.class);
            assertThat(new ThrottleStore(insider, cluster.cluster()).read()).isEqualTo(4 << 20);

            // every znode the processes created, ephemeral and election znodes included
            List<String> all = subtree(insider, "/chainring");
            assertThat(all).contains(paths.ring(), paths.liveNode(NodeId.of("n2")), paths.controllerLatch());
            for (String path : all) {
                for (ACL acl : insider.getACL().forPath(path)) {
                    if (acl.getId().equals(ZooDefs.Ids.ANYONE_ID_UNSAFE)) {
                        assertThat(acl.getPerms()).as("world rights on " + path).isEqualTo(ZooDefs.Perms.READ);
                    }
                }
            }
        }
    }

    private static List<String> subtree(CuratorFramework zk, String root) throws Exception {
        List<String> out = new ArrayList<>();
        Deque<String> todo = new ArrayDeque<>(List.of(root));
        while (!todo.isEmpty()) {
            String path = todo.pop();
            out.add(path);
            for (String child : zk.getChildren().forPath(path)) {
                todo.push(path + "/" + child);
            }
        }
        return out;
    }
}
