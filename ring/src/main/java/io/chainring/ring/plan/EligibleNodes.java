package io.chainring.ring.plan;

import io.chainring.ring.NodeId;
import io.chainring.ring.NodeInfo;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The nodes that may hold replicas, indexed 0..N-1 in {@link NodeId} order (so the planner never
 * depends on the iteration order of its input), with their zones indexed in name order.
 */
final class EligibleNodes {
    private final List<NodeId> ids;
    private final Map<NodeId, Integer> index;
    private final int[] zoneOf;
    private final int zoneCount;
    private final int replicas;
    private final boolean zonesEven;

    private EligibleNodes(List<NodeId> ids, int[] zoneOf, int zoneCount, int replication) {
        this.ids = List.copyOf(ids);
        this.index = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            index.put(ids.get(i), i);
        }
        this.zoneOf = zoneOf;
        this.zoneCount = zoneCount;
        this.replicas = Math.min(replication, ids.size());
        int[] perZone = new int[zoneCount];
        for (int z : zoneOf) {
            perZone[z]++;
        }
        boolean equal = true;
        for (int n : perZone) {
            equal &= n == perZone[0];
        }
        this.zonesEven = zoneCount >= replicas && equal;
    }

    /** Why no plan is possible over these nodes (none may hold replicas), or empty when one is. */
    static Optional<String> whyNone(Collection<NodeInfo> nodes) {
        if (nodes.stream().anyMatch(n -> n.state().holdsReplicas())) {
            return Optional.empty();
        }
        long registered = nodes.stream().map(NodeInfo::id).distinct().count();
        return Optional.of("no JOINING or ACTIVE node among " + registered
                + " registered nodes: refusing to plan a ring that would drop every replica");
    }

    /**
     * @throws IllegalArgumentException if two entries share an id
     * @throws IllegalStateException    if no node holds replicas (callers ask {@link #whyNone} first)
     */
    static EligibleNodes of(Collection<NodeInfo> nodes, int replication) {
        Map<NodeId, NodeInfo> byId = new TreeMap<>();
        for (NodeInfo n : nodes) {
            Objects.requireNonNull(n, "node");
            if (byId.put(n.id(), n) != null) {
                throw new IllegalArgumentException("node " + n.id() + " is listed twice");
            }
        }
        List<NodeId> ids = new ArrayList<>();
        TreeSet<String> zones = new TreeSet<>();
        for (NodeInfo n : byId.values()) {
            if (n.state().holdsReplicas()) {
                ids.add(n.id());
                zones.add(n.zone());
            }
        }
        if (ids.isEmpty()) {
            throw new IllegalStateException("no JOINING or ACTIVE node among " + byId.size()
                    + " registered nodes: refusing to plan a ring that would drop every replica");
        }
        List<String> zoneNames = new ArrayList<>(zones);
        int[] zoneOf = new int[ids.size()];
        for (int i = 0; i < ids.size(); i++) {
            zoneOf[i] = zoneNames.indexOf(byId.get(ids.get(i)).zone());
        }
        return new EligibleNodes(ids, zoneOf, zoneNames.size(), replication);
    }

    int size() {
        return ids.size();
    }

    /** R' = min(R, N): the length of every target chain. */
    int replicas() {
        return replicas;
    }

    NodeId id(int node) {
        return ids.get(node);
    }

    /** The node's index, or -1 when the node may not hold replicas. */
    int indexOf(NodeId id) {
        return index.getOrDefault(id, -1);
    }

    int zoneOf(int node) {
        return zoneOf[node];
    }

    int zoneCount() {
        return zoneCount;
    }

    /**
     * True when the nodes are spread evenly over at least R' zones: then zone-distinct chains
     * are always possible, and the planner treats them as a requirement rather than a wish.
     */
    boolean zonesEven() {
        return zonesEven;
    }
}
