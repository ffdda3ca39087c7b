package io.chainring.datanode.server;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.chainring.ring.Chain;
import io.chainring.ring.HostPort;
import io.chainring.ring.NodeId;
import io.chainring.ring.NodeInfo;
import io.chainring.ring.NodeState;
import io.chainring.ring.Ring;
import java.util.ArrayList;
import java.util.List;

/** Rings and keys for server tests. */
final class TestRings {
    static final NodeId N1 = NodeId.of("n1");
    static final NodeId N2 = NodeId.of("n2");

    private TestRings() {
    }

    /**
     * Epoch 1, 8 partitions, replication 2. From n1's point of view: partitions 0-3 are headed
     * by n1 (chain [n1]), 4-5 have chain [n2, n1] (n1 is the tail), 6-7 have chain [n2].
     */
    static Ring ring(int port) {
        List<NodeInfo> nodes = List.of(
                new NodeInfo(N1, new HostPort("127.0.0.1", Math.max(port, 1)), "z1", NodeState.ACTIVE),
                new NodeInfo(N2, new HostPort("127.0.0.1", 1), "z2", NodeState.ACTIVE));
        List<Chain> chains = new ArrayList<>();
        for (int p = 0; p < 8; p++) {
            chains.add(p < 4 ? Chain.of(N1) : p < 6 ? Chain.of(N2, N1) : Chain.of(N2));
        }
        return Ring.empty("test", 8, 2).next(nodes, chains);
    }

    /** The same ring one epoch later with partition 0's chain changed (to [n1, n2]). */
    static Ring moved(Ring ring) {
        List<Chain> chains = new ArrayList<>(ring.chains());
        chains.set(0, Chain.of(N1, N2));
        return ring.next(ring.nodes().values(), chains);
    }

    /** A key (bytes of "key-i") that falls in the partition. */
    static byte[] keyIn(Ring ring, int partition, int nth) {
        int found = 0;
        for (int i = 0; i < 1_000_000; i++) {
            byte[] key = ("key-" + i).getBytes(UTF_8);
            if (ring.partitionOf(key) == partition && found++ == nth) {
                return key;
            }
        }
        throw new IllegalStateException("no key found for partition " + partition);
    }
}
