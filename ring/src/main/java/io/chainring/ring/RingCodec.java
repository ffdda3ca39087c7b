package io.chainring.ring;

import io.chainring.thrift.TNode;
import io.chainring.thrift.TPartition;
import io.chainring.thrift.TRing;
import java.util.ArrayList;
import java.util.List;
import org.apache.thrift.TDeserializer;
import org.apache.thrift.TException;
import org.apache.thrift.TSerializer;
import org.apache.thrift.protocol.TCompactProtocol;

/** Converts rings to and from their Thrift form, and to the compact bytes stored in ZooKeeper. */
public final class RingCodec {
    private RingCodec() {
    }

    public static TRing toThrift(Ring ring) {
        List<TNode> nodes = new ArrayList<>();
        for (NodeInfo n : ring.nodes().values()) {
            nodes.add(toThrift(n));
        }
        List<TPartition> parts = new ArrayList<>(ring.partitionCount());
        for (Partition p : ring.partitions()) {
            List<String> chain = p.chain().members().stream().map(NodeId::value).toList();
            TPartition tp = new TPartition(p.id(), new ArrayList<>(chain), p.changedAt());
            if (!p.learners().isEmpty()) {
                tp.setLearners(new ArrayList<>(p.learners().stream().map(NodeId::value).toList()));
            }
            parts.add(tp);
        }
        TRing t = new TRing(ring.cluster(), ring.epoch(), ring.partitionCount(), ring.replication(), nodes, parts);
        t.setMinChainForWrites(ring.minChainForWrites());
        return t;
    }

    public static Ring fromThrift(TRing t) {
        List<NodeInfo> nodes = new ArrayList<>();
        for (TNode n : t.getNodes()) {
            nodes.add(fromThrift(n));
        }
        List<Partition> parts = new ArrayList<>(t.getPartitionsSize());
        for (TPartition p : t.getPartitions()) {
            List<NodeId> learners = p.isSetLearners() ? p.getLearners().stream().map(NodeId::new).toList() : List.of();
            parts.add(new Partition(p.getId(), new Chain(p.getChain().stream().map(NodeId::new).toList()), p.getChangedAt(), learners));
        }
        int minChain = t.isSetMinChainForWrites() ? t.getMinChainForWrites() : Ring.defaultMinChainForWrites(t.getReplication());
        return new Ring(t.getCluster(), t.getEpoch(), t.getPartitionCount(), t.getReplication(), Ring.index(nodes), parts, minChain);
    }

    public static TNode toThrift(NodeInfo n) {
        TNode t = new TNode(n.id().value(), n.address().host(), n.address().port());
        t.setZone(n.zone());
        t.setState(io.chainring.thrift.NodeState.valueOf(n.state().name()));
        return t;
    }

    public static NodeInfo fromThrift(TNode t) {
        NodeState state = t.isSetState() ? NodeState.valueOf(t.getState().name()) : NodeState.ACTIVE;
        return new NodeInfo(new NodeId(t.getId()), new HostPort(t.getHost(), t.getPort()), t.getZone(), state);
    }

    public static byte[] toBytes(Ring ring) {
        try {
            return new TSerializer(new TCompactProtocol.Factory()).serialize(toThrift(ring));
        } catch (TException e) {
            throw new IllegalStateException("cannot encode ring", e);
        }
    }

    public static Ring fromBytes(byte[] bytes) {
        try {
            TRing t = new TRing();
            new TDeserializer(new TCompactProtocol.Factory()).deserialize(t, bytes);
            return fromThrift(t);
        } catch (TException e) {
            throw new IllegalArgumentException("cannot decode ring (" + bytes.length + " bytes)", e);
        }
    }
}
