package io.chainring.client;

import static org.awaitility.Awaitility.await;

import io.chainring.embedded.EmbeddedCluster;
import io.chainring.metadata.RingStore;
import io.chainring.metadata.VersionedRing;
import io.chainring.metadata.ZkClients;
import io.chainring.ring.Chain;
import io.chainring.ring.NodeId;
import io.chainring.ring.Ring;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;

/** Ring changes made behind the controller's back, for routing tests. */
final class RingChanges {
    private RingChanges() {
    }

    /**
     * Moves one partition's chain to another node by writing the next ring to ZooKeeper with a
     * compare-and-set, as the controller does when it moves a partition (this controller version
     * does not move partitions yet; the data stays behind). Returns the new ring once every
     * datanode serves it.
     */
    static Ring movePartition(EmbeddedCluster cluster, int partition, NodeId to) throws Exception {
        try (CuratorFramework zk = ZkClients.connect(cluster.zkConnect())) {
            RingStore store = new RingStore(zk, cluster.cluster());
            VersionedRing read = store.read().orElseThrow();
            List<Chain> chains = new ArrayList<>(read.ring().chains());
            chains.set(partition, Chain.of(to));
            Ring next = read.ring().next(read.ring().nodes().values(), chains);
            store.compareAndSet(next, read.zkVersion());
            await().atMost(Duration.ofSeconds(20)).until(() -> cluster.datanodes().stream()
                    .allMatch(d -> d.ring().map(r -> r.epoch() >= next.epoch()).orElse(false)));
            return next;
        }
    }

    /** The head of the key's partition in the datanodes' ring. */
    static NodeId headOf(EmbeddedCluster cluster, int partition) {
        return cluster.datanodes().get(0).ring().orElseThrow().partition(partition).chain().head();
    }

    /** Any node but {@code not}. */
    static NodeId otherThan(EmbeddedCluster cluster, NodeId not) {
        return cluster.datanodeIds().stream().filter(id -> !id.equals(not)).findFirst().orElseThrow();
    }
}
