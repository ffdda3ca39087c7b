package io.chainring.controller.state;

import io.chainring.metadata.NodeRegistry;
import io.chainring.metadata.RingStore;
import io.chainring.metadata.VersionedRing;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;

/**
 * The read stage: takes a {@link ClusterSnapshot} from ZooKeeper. The ring is read first, so the
 * registrations seen are at least as new as the ring whose version a write will be fenced on.
 */
public final class ClusterStateReader {
    private final RingStore rings;
    private final NodeRegistry registry;

    public ClusterStateReader(RingStore rings, NodeRegistry registry) {
        this.rings = rings;
        this.registry = registry;
    }

    public ClusterStateReader(CuratorFramework zk, String cluster) {
        this(new RingStore(zk, cluster), new NodeRegistry(zk, cluster));
    }

    public ClusterSnapshot read() {
        Optional<VersionedRing> ring = rings.read();
        return new ClusterSnapshot(ring, registry.nodes(), registry.liveNodes());
    }

    public Optional<VersionedRing> readRing() {
        return rings.read();
    }
}
