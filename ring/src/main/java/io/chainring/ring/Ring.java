package io.chainring.ring;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The versioned ring: every partition's chain and the nodes they name. Immutable; every change
 * produces a new ring with a higher epoch. Validated on construction: partition ids are
 * 0..Q-1 in order, chains name only known nodes and are at most R long.
 */
public record Ring(String cluster, long epoch, int partitionCount, int replication,
                   SortedMap<NodeId, NodeInfo> nodes, List<Partition> partitions) {

    public Ring {
        Objects.requireNonNull(cluster, "cluster");
        if (epoch < 0) {
            throw new IllegalArgumentException("negative epoch " + epoch);
        }
        if (partitionCount < 1) {
            throw new IllegalArgumentException("partition count must be at least 1: " + partitionCount);
        }
        if (replication < 1) {
            throw new IllegalArgumentException("replication must be at least 1: " + replication);
        }
        nodes = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(nodes));
        partitions = List.copyOf(partitions);
        if (partitions.size() != partitionCount) {
            throw new IllegalArgumentException("ring has " + partitions.size() + " partitions, expected " + partitionCount);
        }
        for (int i = 0; i < partitionCount; i++) {
            Partition p = partitions.get(i);
            if (p.id() != i) {
                throw new IllegalArgumentException("partition at index " + i + " has id " + p.id());
            }
            if (p.changedAt() > epoch) {
                throw new IllegalArgumentException("partition " + i + " changed at " + p.changedAt() + " after ring epoch " + epoch);
            }
            if (p.chain().length() > replication) {
                throw new IllegalArgumentException("partition " + i + " chain " + p.chain() + " is longer than replication " + replication);
            }
            for (NodeId member : p.chain().members()) {
                if (!nodes.containsKey(member)) {
                    throw new IllegalArgumentException("partition " + i + " names unknown node " + member);
                }
            }
        }
    }

    /** A ring at epoch 0 with no chains assigned yet. */
    public static Ring empty(String cluster, int partitionCount, int replication) {
        List<Partition> ps = new ArrayList<>(partitionCount);
        for (int i = 0; i < partitionCount; i++) {
            ps.add(new Partition(i, Chain.empty(), 0));
        }
        return new Ring(cluster, 0, partitionCount, replication, new TreeMap<>(), ps);
    }

    public static SortedMap<NodeId, NodeInfo> index(Collection<NodeInfo> nodes) {
        SortedMap<NodeId, NodeInfo> map = new TreeMap<>();
        for (NodeInfo n : nodes) {
            map.put(n.id(), n);
        }
        return map;
    }

    public int partitionOf(byte[] key) {
        return KeyHasher.partitionOf(key, partitionCount);
    }

    public Partition partition(int id) {
        return partitions.get(id);
    }

    public Partition partitionFor(byte[] key) {
        return partitions.get(partitionOf(key));
    }

    public Optional<NodeInfo> node(NodeId id) {
        return Optional.ofNullable(nodes.get(id));
    }

    /** True once every partition has at least one replica. */
    public boolean isAssigned() {
        return partitions.stream().noneMatch(p -> p.chain().isEmpty());
    }

    /** Partitions whose chain includes the node. */
    public List<Partition> partitionsOf(NodeId node) {
        return partitions.stream().filter(p -> p.chain().contains(node)).toList();
    }

    /**
     * The next ring: epoch+1, the given nodes, and the given chains; a partition whose chain
     * differs from this ring's records the new epoch as its {@code changedAt}.
     */
    public Ring next(Collection<NodeInfo> newNodes, List<Chain> chains) {
        if (chains.size() != partitionCount) {
            throw new IllegalArgumentException("expected " + partitionCount + " chains, got " + chains.size());
        }
        long nextEpoch = epoch + 1;
        List<Partition> ps = new ArrayList<>(partitionCount);
        for (int i = 0; i < partitionCount; i++) {
            Partition old = partitions.get(i);
            Chain c = chains.get(i);
            ps.add(c.equals(old.chain()) ? old : old.withChain(c, nextEpoch));
        }
        return new Ring(cluster, nextEpoch, partitionCount, replication, index(newNodes), ps);
    }

    /** The next ring with only the node table changed (addresses, states). */
    public Ring withNodes(Collection<NodeInfo> newNodes) {
        return next(newNodes, partitions.stream().map(Partition::chain).toList());
    }

    public List<Chain> chains() {
        return partitions.stream().map(Partition::chain).toList();
    }

    /** Replica, head and tail counts per node. */
    public Map<NodeId, int[]> roleCounts() {
        Map<NodeId, int[]> counts = new TreeMap<>();
        for (NodeId id : nodes.keySet()) {
            counts.put(id, new int[3]);
        }
        for (Partition p : partitions) {
            Chain c = p.chain();
            for (NodeId m : c.members()) {
                counts.computeIfAbsent(m, k -> new int[3])[0]++;
            }
            if (!c.isEmpty()) {
                counts.get(c.head())[1]++;
                counts.get(c.tail())[2]++;
            }
        }
        return counts;
    }
}
