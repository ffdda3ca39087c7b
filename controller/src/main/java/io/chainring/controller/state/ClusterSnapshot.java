package io.chainring.controller.state;

import io.chainring.metadata.VersionedRing;
import io.chainring.ring.NodeId;
import io.chainring.ring.NodeInfo;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the controller read from ZooKeeper in one pass: the ring with the znode version to
 * compare-and-set against (empty before the first ring), every registration, and the ids of
 * nodes whose session is alive.
 */
public record ClusterSnapshot(Optional<VersionedRing> ring, List<NodeInfo> registered, Set<NodeId> live) {
    public ClusterSnapshot {
        Objects.requireNonNull(ring, "ring");
        registered = List.copyOf(registered);
        live = Set.copyOf(live);
    }

    public Optional<NodeInfo> registration(NodeId id) {
        return registered.stream().filter(n -> n.id().equals(id)).findFirst();
    }

    public boolean isLive(NodeId id) {
        return live.contains(id);
    }
}
