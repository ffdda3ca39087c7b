package io.chainring.ring.plan;

import io.chainring.ring.Chain;
import io.chainring.ring.HostPort;
import io.chainring.ring.NodeId;
import io.chainring.ring.NodeInfo;
import io.chainring.ring.NodeState;
import io.chainring.ring.Ring;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/** Test clusters: random node sets and the ring after applying a plan. */
final class Clusters {
    static final int[] PARTITION_COUNTS = {1, 7, 16, 64, 256};

    private final Random random;
    private int nextId;

    Clusters(Random random) {
        this.random = random;
    }

    /** Ids with a random first letter, so id order differs from creation order. */
    NodeInfo newNode(String zone, NodeState state) {
        int i = nextId++;
        String id = (char) ('a' + random.nextInt(26)) + String.format("%03d", i);
        return new NodeInfo(NodeId.of(id), new HostPort("127.0.0.1", 7100 + i), zone, state);
    }

    /** An eligible node (JOINING or ACTIVE). */
    NodeInfo newNode(String zone) {
        return newNode(zone, random.nextBoolean() ? NodeState.ACTIVE : NodeState.JOINING);
    }

    /** n eligible nodes over the given number of zones, evenly (round robin) or at random. */
    List<NodeInfo> nodes(int n, int zones, boolean even) {
        List<NodeInfo> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(newNode(zoneName(even ? i % zones : random.nextInt(zones))));
        }
        return out;
    }

    int partitionCount() {
        return PARTITION_COUNTS[random.nextInt(PARTITION_COUNTS.length)];
    }

    static String zoneName(int zone) {
        return "z" + zone;
    }

    static Ring apply(Ring ring, Collection<NodeInfo> nodes, Plan plan) {
        return ring.next(nodes, plan.targetChains());
    }

    static List<NodeId> eligible(Collection<NodeInfo> nodes) {
        return nodes.stream().filter(n -> n.state().holdsReplicas()).map(NodeInfo::id).sorted().toList();
    }

    /** Replica, head and tail counts per eligible node (zeros included) for the chains. */
    static Map<NodeId, int[]> roles(List<Chain> chains, Collection<NodeId> nodes) {
        Map<NodeId, int[]> out = new TreeMap<>();
        for (NodeId id : nodes) {
            out.put(id, new int[3]);
        }
        for (Chain c : chains) {
            for (NodeId m : c.members()) {
                out.computeIfAbsent(m, k -> new int[3])[0]++;
            }
            if (!c.isEmpty()) {
                out.get(c.head())[1]++;
                out.get(c.tail())[2]++;
            }
        }
        return out;
    }
}
