package io.chainring.controller.state;

import io.chainring.metadata.NodeRegistry;
import io.chainring.metadata.RingStore;
import io.chainring.metadata.VersionedRing;
import io.chainring.metadata.WriteRefusals;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;

/**
 * The read stage: takes a {@link ClusterSnapshot} from ZooKeeper. The ring is read first, so the
 * registrations seen are at least as new as the ring whose version a write will be fenced on.
 */
public final class ClusterStateReader {
    private final RingStore rings;
    private final NodeRegistry registry;
    private final Optional<WriteRefusals> refusals;

    public ClusterStateReader(RingStore rings, NodeRegistry registry) {
        this(rings, registry, Optional.empty());
    }

    private ClusterStateReader(RingStore rings, NodeRegistry registry, Optional<WriteRefusals> refusals) {
        this.rings = rings;
        this.registry = registry;
        this.refusals = refusals;
    }

    public ClusterStateReader(CuratorFramework zk, String cluster) {
        this(new RingStore(zk, cluster), new NodeRegistry(zk, cluster), Optional.of(new WriteRefusals(zk, cluster)));
    }

    public ClusterSnapshot read() {
        Optional<VersionedRing> ring = rings.read();
        ClusterSnapshot snapshot = new ClusterSnapshot(ring, registry.nodes(), registry.liveNodes());
        return refusals.map(r -> snapshot.withWriteRefusals(r.read())).orElse(snapshot);
    }

    public Optional<VersionedRing> readRing() {
        return rings.read();
    }
}
