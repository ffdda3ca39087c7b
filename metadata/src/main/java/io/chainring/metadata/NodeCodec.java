package io.chainring.metadata;

import io.chainring.ring.NodeInfo;
import io.chainring.ring.RingCodec;
import io.chainring.thrift.TNode;
import org.apache.thrift.TDeserializer;
import org.apache.thrift.TException;
import org.apache.thrift.TSerializer;
import org.apache.thrift.protocol.TCompactProtocol;

/** Node registrations are stored as Thrift-compact {@link TNode}s, like the ring. */
final class NodeCodec {
    private NodeCodec() {
    }

    static byte[] toBytes(NodeInfo node) {
        try {
            return new TSerializer(new TCompactProtocol.Factory()).serialize(RingCodec.toThrift(node));
        } catch (TException e) {
            throw new IllegalStateException("cannot encode node " + node.id(), e);
        }
    }

    static NodeInfo fromBytes(byte[] bytes) {
        try {
            TNode t = new TNode();
            new TDeserializer(new TCompactProtocol.Factory()).deserialize(t, bytes);
            return RingCodec.fromThrift(t);
        } catch (TException e) {
            throw new IllegalArgumentException("cannot decode node registration", e);
        }
    }
}
