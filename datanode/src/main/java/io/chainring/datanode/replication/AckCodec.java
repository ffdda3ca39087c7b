package io.chainring.datanode.replication;

import io.chainring.ring.NodeId;
import io.chainring.thrift.PartitionAck;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Applied-LSN maps to and from their wire form ({@link PartitionAck}). */
public final class AckCodec {
    /** Parsed node ids by their wire text: every ack names the same few nodes, and parsing validates with a regex. */
    private static final Map<String, NodeId> IDS = new ConcurrentHashMap<>();
    private static final int MAX_CACHED_IDS = 4096;

    private AckCodec() {
    }

    static NodeId nodeId(String text) {
        NodeId id = IDS.get(text);
        if (id == null) {
            id = NodeId.of(text);
            if (IDS.size() < MAX_CACHED_IDS) {
                IDS.putIfAbsent(text, id);
            }
        }
        return id;
    }

    static PartitionAck toThrift(int partition, Map<NodeId, Long> applied) {
        Map<String, Long> m = new LinkedHashMap<>();
        applied.forEach((n, l) -> m.put(n.value(), l));
        return new PartitionAck(partition, m);
    }

    /** The map, skipping entries that do not name a valid node (a peer's bug must not break this node). */
    public static Map<NodeId, Long> fromThrift(PartitionAck ack) {
        Map<NodeId, Long> out = new HashMap<>();
        if (ack.getAppliedLsn() == null) {
            return out;
        }
        for (Map.Entry<String, Long> e : ack.getAppliedLsn().entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                continue;
            }
            try {
                out.put(nodeId(e.getKey()), e.getValue());
            } catch (IllegalArgumentException invalid) {
                // ignore: not a node id
            }
        }
        return out;
    }
}
