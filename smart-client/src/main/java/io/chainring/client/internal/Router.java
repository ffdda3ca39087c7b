package io.chainring.client.internal;

import io.chainring.ring.Chain;
import io.chainring.ring.NodeId;
import io.chainring.ring.NodeInfo;
import io.chainring.ring.Ring;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Picks the node for a request (DESIGN §6.1, §6.3): writes go to the partition's head; reads
 * rotate over the chain's members (round robin), skipping members this call already tried and,
 * while others are left, members that failed recently.
 */
public final class Router {
    /** How long a node that refused or failed is avoided for reads. */
    static final long SUSPECT_NANOS = 1_000_000_000L;

    private final AtomicInteger next = new AtomicInteger();
    private final Map<NodeId, Long> suspectUntil = new ConcurrentHashMap<>();

    /** The head of the key's partition, or empty if the chain is empty in this ring. */
    public Optional<NodeInfo> head(Ring ring, int partition) {
        Chain chain = ring.partition(partition).chain();
        return chain.isEmpty() ? Optional.empty() : ring.node(chain.head());
    }

    /** The tail of the partition's chain (it holds only committed writes), or empty if the chain is empty. */
    public Optional<NodeInfo> tail(Ring ring, int partition) {
        Chain chain = ring.partition(partition).chain();
        return chain.isEmpty() ? Optional.empty() : ring.node(chain.tail());
    }

    /**
     * A member to read from.
     *
     * @param tried members this call already tried; when every member was tried, any member
     * @return empty if the chain is empty in this ring
     */
    public Optional<NodeInfo> reader(Ring ring, int partition, Set<NodeId> tried) {
        List<NodeId> members = ring.partition(partition).chain().members();
        if (members.isEmpty()) {
            return Optional.empty();
        }
        int start = Math.floorMod(next.getAndIncrement(), members.size());
        NodeId fallback = null;
        NodeId untriedSuspect = null;
        for (int i = 0; i < members.size(); i++) {
            NodeId m = members.get((start + i) % members.size());
            if (fallback == null) {
                fallback = m;
            }
            if (tried.contains(m)) {
                continue;
            }
            if (!isSuspect(m)) {
                return ring.node(m);
            }
            if (untriedSuspect == null) {
                untriedSuspect = m;
            }
        }
        return ring.node(untriedSuspect != null ? untriedSuspect : fallback);
    }

    /** {@code count} distinct members for a MAJORITY read, healthy ones first, rotating the start. */
    public List<NodeInfo> readers(Ring ring, int partition, int count) {
        List<NodeId> members = ring.partition(partition).chain().members();
        if (members.isEmpty()) {
            return List.of();
        }
        int start = Math.floorMod(next.getAndIncrement(), members.size());
        List<NodeInfo> healthy = new ArrayList<>();
        List<NodeInfo> suspect = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            NodeId m = members.get((start + i) % members.size());
            ring.node(m).ifPresent(n -> (isSuspect(m) ? suspect : healthy).add(n));
        }
        healthy.addAll(suspect);
        return List.copyOf(healthy.subList(0, Math.min(count, healthy.size())));
    }

    /** The majority of a k-member chain: ⌈(k+1)/2⌉. */
    public static int majority(int chainLength) {
        return chainLength / 2 + 1;
    }

    public void suspect(NodeId node) {
        suspectUntil.put(node, System.nanoTime() + SUSPECT_NANOS);
    }

    public void healthy(NodeId node) {
        if (!suspectUntil.isEmpty()) {
            suspectUntil.remove(node);
        }
    }

    public boolean isSuspect(NodeId node) {
        Long until = suspectUntil.get(node);
        if (until == null) {
            return false;
        }
        if (until - System.nanoTime() <= 0) {
            suspectUntil.remove(node, until);
            return false;
        }
        return true;
    }
}
