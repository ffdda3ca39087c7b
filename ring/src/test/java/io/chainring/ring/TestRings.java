package io.chainring.ring;

import java.util.ArrayList;
import java.util.List;

/** Small hand-made rings for model tests. */
final class TestRings {
    private TestRings() {
    }

    static NodeInfo node(String id, String zone, NodeState state) {
        return new NodeInfo(NodeId.of(id), new HostPort("127.0.0.1", 7100 + Math.abs(id.hashCode() % 1000)), zone, state);
    }

    static Chain chain(String... ids) {
        List<NodeId> members = new ArrayList<>();
        for (String id : ids) {
            members.add(NodeId.of(id));
        }
        return new Chain(members);
    }

    /** Nodes a, b, c (zones z1..z3, ACTIVE), Q=4, R=2, epoch 3, each partition changed at its own epoch. */
    static Ring sample() {
        List<NodeInfo> nodes = List.of(node("a", "z1", NodeState.ACTIVE), node("b", "z2", NodeState.ACTIVE),
                node("c", "z3", NodeState.JOINING));
        List<Partition> partitions = List.of(
                new Partition(0, chain("a", "b"), 1),
                new Partition(1, chain("b", "c"), 2),
                new Partition(2, chain("c", "a"), 3),
                new Partition(3, chain("a"), 0));
        return new Ring("test", 3, 4, 2, Ring.index(nodes), partitions);
    }
}
