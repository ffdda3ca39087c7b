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
 * 0..Q-1 in order, chains name only known nodes and are at most R + 1 long (R replicas and,
 * while a move or a repair runs, a learner catching up at the tail).
 */
public record Ring(String cluster, long epoch, int partitionCount, int replication,
                   SortedMap<NodeId, NodeInfo> nodes, List<Partition> partitions, int minChainForWrites) {

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
        if (minChainForWrites < 1 || minChainForWrites > replication) {
            throw new IllegalArgumentException("min chain for writes must be 1.." + replication + ": " + minChainForWrites);
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
            // a move's promote step briefly makes a chain one longer than R (§7)
            if (p.chain().length() > replication + 1) {
                throw new IllegalArgumentException("partition " + i + " chain " + p.chain() + " is longer than replication " + replication + " + 1");
            }
            for (NodeId member : p.chain().members()) {
                if (!nodes.containsKey(member)) {
                    throw new IllegalArgumentException("partition " + i + " names unknown node " + member);
                }
            }
            for (NodeId learner : p.learners()) {
                if (!nodes.containsKey(learner)) {
                    throw new IllegalArgumentException("partition " + i + " names unknown learner " + learner);
                }
            }
        }
    }

    /** A ring with the default {@link #defaultMinChainForWrites(int) min chain for writes}. */
    public Ring(String cluster, long epoch, int partitionCount, int replication,
                SortedMap<NodeId, NodeInfo> nodes, List<Partition> partitions) {
        this(cluster, epoch, partitionCount, replication, nodes, partitions, defaultMinChainForWrites(replication));
    }

    /**
     * Writes are refused while a chain is shorter than this (§6.4): 2 when R ≥ 3, so an
     * acknowledged write always sits on two nodes; otherwise 1.
     */
    public static int defaultMinChainForWrites(int replication) {
        return replication >= 3 ? 2 : 1;
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
        return new Ring(cluster, nextEpoch, partitionCount, replication, index(newNodes), ps, minChainForWrites);
    }

    /**
     * The next ring with the given partitions' members replaced (chain and learners); a
     * partition whose members differ records the new epoch as its {@code changedAt}.
     */
    public Ring nextWithPartitions(Collection<NodeInfo> newNodes, List<Partition> changed) {
        long nextEpoch = epoch + 1;
        List<Partition> ps = new ArrayList<>(partitions);
        for (Partition c : changed) {
            Partition old = partitions.get(c.id());
            boolean same = old.chain().equals(c.chain()) && old.learners().equals(c.learners());
            ps.set(c.id(), same ? old : old.withMembers(c.chain(), c.learners(), nextEpoch));
        }
        return new Ring(cluster, nextEpoch, partitionCount, replication, index(newNodes), ps, minChainForWrites);
    }

    /** The next ring with only the node table changed (addresses, states). */
    public Ring withNodes(Collection<NodeInfo> newNodes) {
        return next(newNodes, partitions.stream().map(Partition::chain).toList());
    }

    public List<Chain> chains() {
        return partitions.stream().map(Partition::chain).toList();
    }

    /** Partitions whose chain or learners include the node: every partition it stores. */
    public List<Partition> partitionsInvolving(NodeId node) {
        return partitions.stream().filter(p -> p.involves(node)).toList();
    }

    /** Replica, head and tail counts per node (chain members only, not learners). */
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
