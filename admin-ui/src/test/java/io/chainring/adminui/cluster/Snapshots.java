package io.chainring.adminui.cluster;

import io.chainring.client.ClusterStatus;
import io.chainring.client.NodeStatus;
import io.chainring.client.RingSnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds rings and snapshots for unit tests. */
final class Snapshots {
    private Snapshots() {
    }

    static RingSnapshot ring(long epoch, int replication, List<RingSnapshot.Node> nodes, List<List<String>> chains) {
        List<RingSnapshot.PartitionChain> ps = new ArrayList<>();
        for (int i = 0; i < chains.size(); i++) {
            ps.add(new RingSnapshot.PartitionChain(i, chains.get(i), epoch));
        }
        return new RingSnapshot("c", epoch, chains.size(), replication, nodes, ps);
    }

    static RingSnapshot.Node node(String id, int port, String state) {
        return new RingSnapshot.Node(id, "127.0.0.1:" + port, "default", state);
    }

    static ClusterStatus status(String controller, NodeStatus... nodes) {
        return new ClusterStatus("c", 1, 4, 1, controller, List.of(nodes));
    }

    static NodeStatus nodeStatus(String id, boolean live) {
        return new NodeStatus(id, "127.0.0.1:1", "default", "ACTIVE", live, 1, 1, 1);
    }

    static ClusterSnapshot snapshot(Instant at, ClusterStatus status, RingSnapshot ring, Map<String, NodeReport> reports) {
        return new ClusterSnapshot(at, status, ring, reports, null, at);
    }
}
