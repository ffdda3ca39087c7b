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
 * learners to promote, or short chains to fill; a node that did not answer has no report), and the
 * nodes that refuse writes with their reasons (at their free-disk limit; issue 12 defect 5).
 */
public record ClusterSnapshot(Optional<VersionedRing> ring, List<NodeInfo> registered, Set<NodeId> live,
                              SortedMap<NodeId, ReplicaReport> reports, SortedMap<NodeId, String> writeRefusals) {
    public ClusterSnapshot {
        Objects.requireNonNull(ring, "ring");
        registered = List.copyOf(registered);
        live = Set.copyOf(live);
        reports = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(reports));
        writeRefusals = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(writeRefusals));
    }

    /** A snapshot in which no node refuses writes. */
    public ClusterSnapshot(Optional<VersionedRing> ring, List<NodeInfo> registered, Set<NodeId> live,
                           SortedMap<NodeId, ReplicaReport> reports) {
        this(ring, registered, live, reports, new TreeMap<>());
    }

    /** A snapshot without replica reports. */
    public ClusterSnapshot(Optional<VersionedRing> ring, List<NodeInfo> registered, Set<NodeId> live) {
        this(ring, registered, live, new TreeMap<>());
    }

    public ClusterSnapshot withReports(Map<NodeId, ReplicaReport> newReports) {
        return new ClusterSnapshot(ring, registered, live, new TreeMap<>(newReports), writeRefusals);
    }

    public ClusterSnapshot withWriteRefusals(Map<NodeId, String> refusals) {
        return new ClusterSnapshot(ring, registered, live, reports, new TreeMap<>(refusals));
    }

    /** Whether the node is live and takes writes (not at its free-disk limit). */
    public boolean takesWrites(NodeId id) {
        return isLive(id) && !writeRefusals.containsKey(id);
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
