package io.chainring.datanode.replication;

import io.chainring.ring.NodeId;
import io.chainring.thrift.PartitionAck;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** Applied-LSN maps to and from their wire form ({@link PartitionAck}). */
final class AckCodec {
    private AckCodec() {
    }

    static PartitionAck toThrift(int partition, Map<NodeId, Long> applied) {
        Map<String, Long> m = new LinkedHashMap<>();
        applied.forEach((n, l) -> m.put(n.value(), l));
        return new PartitionAck(partition, m);
    }

    /** The map, skipping entries that do not name a valid node (a peer's bug must not break this node). */
    static Map<NodeId, Long> fromThrift(PartitionAck ack) {
        Map<NodeId, Long> out = new HashMap<>();
        if (ack.getAppliedLsn() == null) {
            return out;
        }
        for (Map.Entry<String, Long> e : ack.getAppliedLsn().entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                continue;
            }
            try {
                out.put(NodeId.of(e.getKey()), e.getValue());
            } catch (IllegalArgumentException invalid) {
                // ignore: not a node id
            }
        }
        return out;
    }
}
