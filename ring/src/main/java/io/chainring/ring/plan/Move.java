package io.chainring.ring.plan;

import io.chainring.ring.NodeId;
import java.util.Objects;
import java.util.Optional;

/**
 * One replica of one partition changing hands: {@code from} gives it up, {@code to} receives it.
 * {@code from} is empty when a replica is only added (a chain below R gains a member);
 * {@code to} is empty when a replica is only dropped (no node can take it).
 */
public record Move(int partition, Optional<NodeId> from, Optional<NodeId> to) {
    public Move {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (from.isEmpty() && to.isEmpty()) {
            throw new IllegalArgumentException("a move needs a source or a target");
        }
    }

    public static Move of(int partition, NodeId from, NodeId to) {
        return new Move(partition, Optional.ofNullable(from), Optional.ofNullable(to));
    }
}
