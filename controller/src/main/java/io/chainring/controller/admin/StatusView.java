package io.chainring.controller.admin;

import io.chainring.controller.state.ClusterSnapshot;
import io.chainring.ring.NodeId;
import io.chainring.ring.NodeInfo;
import io.chainring.ring.Ring;
import io.chainring.ring.RingCodec;
import io.chainring.thrift.ClusterStatus;
import io.chainring.thrift.NodeStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Builds the admin {@link ClusterStatus} from what was read; pure. */
public final class StatusView {
    private static final int[] NO_ROLES = new int[3];

    private StatusView() {
    }

    /**
     * @param ring       the ring in ZooKeeper, or an empty ring (epoch 0) before the first one
     * @param state      registrations and the live set
     * @param controller the leader's admin address, or "" when no controller leads
     */
    public static ClusterStatus of(Ring ring, ClusterSnapshot state, String controller) {
        Map<NodeId, int[]> roles = ring.roleCounts();
        List<NodeStatus> nodes = new ArrayList<>();
        Set<NodeId> listed = new TreeSet<>();
        for (NodeInfo registered : state.registered()) {
            nodes.add(nodeStatus(registered, state, roles));
            listed.add(registered.id());
        }
        // a ring node without a registration should not exist; show it rather than hide it
        for (NodeInfo inRing : ring.nodes().values()) {
            if (!listed.contains(inRing.id())) {
                nodes.add(nodeStatus(inRing, state, roles));
            }
        }
        return new ClusterStatus(ring.cluster(), ring.epoch(), ring.partitionCount(), ring.replication(),
                controller, nodes);
    }

    private static NodeStatus nodeStatus(NodeInfo node, ClusterSnapshot state, Map<NodeId, int[]> roles) {
        int[] r = roles.getOrDefault(node.id(), NO_ROLES);
        NodeStatus status = new NodeStatus(RingCodec.toThrift(node), state.isLive(node.id()), r[0], r[1], r[2]);
        String refusal = state.writeRefusals().get(node.id());
        if (refusal != null) {
            status.setWriteRefusal(refusal);
        }
        return status;
    }
}
