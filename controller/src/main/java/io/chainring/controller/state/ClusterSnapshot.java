package io.chainring.controller.state;

import io.chainring.metadata.VersionedRing;
import io.chainring.ring.NodeId;
import io.chainring.ring.NodeInfo;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the controller read in one pass: the ring with the znode version to compare-and-set
 * against (empty before the first ring), every registration, the ids of nodes whose session is
 * alive, and the replica reports of the live datanodes it asked (only when repair needs them:
 * learners to promote, or short chains to fill; a node that did not answer has no report).
 */
public record ClusterSnapshot(Optional<VersionedRing> ring, List<NodeInfo> registered, Set<NodeId> live,
                              SortedMap<NodeId, ReplicaReport> reports) {
    public ClusterSnapshot {
        Objects.requireNonNull(ring, "ring");
        registered = List.copyOf(registered);
        live = Set.copyOf(live);
        reports = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(reports));
    }

    /** A snapshot without replica reports. */
    public ClusterSnapshot(Optional<VersionedRing> ring, List<NodeInfo> registered, Set<NodeId> live) {
        this(ring, registered, live, new TreeMap<>());
    }

    public ClusterSnapshot withReports(Map<NodeId, ReplicaReport> newReports) {
        return new ClusterSnapshot(ring, registered, live, new TreeMap<>(newReports));
    }

    public Optional<NodeInfo> registration(NodeId id) {
        return registered.stream().filter(n -> n.id().equals(id)).findFirst();
    }

    public boolean isLive(NodeId id) {
        return live.contains(id);
    }

    public Optional<ReplicaReport> report(NodeId id) {
        return Optional.ofNullable(reports.get(id));
    }
}
