package io.chainring.datanode.replication;

import io.chainring.ring.NodeId;
import io.chainring.thrift.WriteAck;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one node knows of a partition's progress: the highest LSN each chain member and learner
 * applied (from acks, only growing), and the committed LSN — the highest LSN some tail applied,
 * which never goes back, whatever the chain becomes. Not thread-safe: the replica guards it.
 */
final class AckState {
    private final NodeId self;
    private final Map<NodeId, Long> applied = new HashMap<>();
    private ChainPosition position;
    private long committed;

    AckState(ChainPosition position) {
        this.self = position.self();
        this.position = position;
    }

    /** Follows a chain change: forgets nodes that left, keeps what is known of the others. */
    void reposition(ChainPosition next) {
        this.position = next;
        applied.keySet().removeIf(n -> !n.equals(self) && !next.chain().contains(n) && !next.learners().contains(n));
        recompute();
    }

    /** The node applied everything up to {@code lsn}; returns whether that is news. */
    boolean report(NodeId node, long lsn) {
        if (!node.equals(self) && !position.chain().contains(node) && !position.learners().contains(node)) {
            return false;
        }
        Long old = applied.get(node);
        if (old != null && old >= lsn) {
            return false;
        }
        applied.put(node, lsn);
        recompute();
        return true;
    }

    /** This node's applied LSN was reset (a learner that no longer trusts its suffix). */
    void setSelf(long lsn) {
        applied.put(self, lsn);
    }

    /** Someone upstream knows that LSNs up to {@code lsn} are committed. Returns whether that is news. */
    boolean raiseCommitted(long lsn) {
        if (lsn <= committed) {
            return false;
        }
        committed = lsn;
        return true;
    }

    long committed() {
        return committed;
    }

    /** Highest LSN the node is known to have applied; 0 when unknown. */
    long appliedBy(NodeId node) {
        return applied.getOrDefault(node, 0L);
    }

    boolean knows(NodeId node) {
        return applied.containsKey(node);
    }

    /** The highest LSN that meets the ack level (DESIGN §6.1 step 5). */
    long acked(WriteAck level) {
        List<NodeId> chain = position.chain();
        return switch (level) {
            case ONE -> appliedBy(self);
            case ALL -> committed;
            case MAJORITY -> {
                int needed = majority(chain.size());
                long min = Long.MAX_VALUE;
                for (int i = 0; i < needed && i < chain.size(); i++) {
                    min = Math.min(min, appliedBy(chain.get(i)));
                }
                yield chain.isEmpty() ? 0 : Math.max(min, committed);
            }
        };
    }

    /** ⌈(k+1)/2⌉: how many of a k-node chain's first members a MAJORITY write needs. */
    static int majority(int chainLength) {
        return (chainLength + 2) / 2;
    }

    /**
     * Up to where every node this one feeds holds the writes, so they need not be kept for
     * resending: the committed LSN, or lower while a learner lags or while a just-promoted tail
     * still catches up with what its predecessor committed as tail.
     */
    long retainFloor() {
        long floor = committed;
        for (NodeId d : position.downstream()) {
            if (applied.containsKey(d)) {
                floor = Math.min(floor, applied.get(d));
            }
        }
        return floor;
    }

    /** Applied LSNs of this node and every node below it (its successors and, at the tail, its learners). */
    Map<NodeId, Long> selfAndBelow() {
        Map<NodeId, Long> out = new LinkedHashMap<>();
        out.put(self, appliedBy(self));
        for (NodeId n : position.below()) {
            if (applied.containsKey(n)) {
                out.put(n, applied.get(n));
            }
        }
        if (position.isTail()) {
            for (NodeId l : position.learners()) {
                if (applied.containsKey(l)) {
                    out.put(l, applied.get(l));
                }
            }
        }
        return out;
    }

    private void recompute() {
        position.tail().filter(applied::containsKey).ifPresent(t -> committed = Math.max(committed, applied.get(t)));
    }
}
