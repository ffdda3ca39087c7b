package io.chainring.client.internal;

import io.chainring.client.ClusterStatus;
import io.chainring.client.NodeStatus;
import io.chainring.client.RingSnapshot;
import io.chainring.ring.HostPort;
import io.chainring.ring.NodeInfo;
import io.chainring.thrift.TNode;
import io.chainring.thrift.TPartition;
import io.chainring.thrift.TRing;
import java.util.ArrayList;
import java.util.List;

/** Thrift admin answers to the client's public records. */
public final class AdminConverters {
    private AdminConverters() {
    }

    public static ClusterStatus status(io.chainring.thrift.ClusterStatus t) {
        List<NodeStatus> nodes = new ArrayList<>();
        for (io.chainring.thrift.NodeStatus n : t.getNodes()) {
            TNode node = n.getNode();
            nodes.add(new NodeStatus(node.getId(), address(node), zone(node), state(node), n.isLive(),
                    n.getPartitions(), n.getHeads(), n.getTails(), java.util.Optional.ofNullable(n.getWriteRefusal())));
        }
        return new ClusterStatus(t.getCluster(), t.getEpoch(), t.getPartitionCount(), t.getReplication(),
                t.getController(), nodes);
    }

    public static RingSnapshot ring(TRing t) {
        List<RingSnapshot.Node> nodes = new ArrayList<>();
        for (TNode n : t.getNodes()) {
            nodes.add(new RingSnapshot.Node(n.getId(), address(n), zone(n), state(n)));
        }
        List<RingSnapshot.PartitionChain> partitions = new ArrayList<>();
        for (TPartition p : t.getPartitions()) {
            partitions.add(new RingSnapshot.PartitionChain(p.getId(), p.getChain(), p.getChangedAt()));
        }
        return new RingSnapshot(t.getCluster(), t.getEpoch(), t.getPartitionCount(), t.getReplication(), nodes, partitions);
    }

    private static String address(TNode n) {
        return new HostPort(n.getHost(), n.getPort()).toString();
    }

    private static String zone(TNode n) {
        return n.isSetZone() && !n.getZone().isBlank() ? n.getZone() : NodeInfo.DEFAULT_ZONE;
    }

    /** An unset state reads as ACTIVE, as in the ring codec. */
    private static String state(TNode n) {
        return n.isSetState() ? n.getState().name() : "ACTIVE";
    }
}
