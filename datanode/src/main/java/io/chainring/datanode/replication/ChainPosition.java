package io.chainring.datanode.replication;

import io.chainring.ring.Chain;
import io.chainring.ring.NodeId;
import io.chainring.ring.Partition;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where one node stands in one partition at one ring: its role, whom it receives from
 * ({@link #upstream()}) and whom it forwards to ({@link #downstream()}). Pure; derived from
 * the ring.
 *
 * @param changedAt ring epoch at which the partition's chain or learners last changed
 */
public record ChainPosition(NodeId self, int partition, long changedAt, List<NodeId> chain, List<NodeId> learners) {
    public ChainPosition {
        Objects.requireNonNull(self, "self");
        chain = List.copyOf(chain);
        learners = List.copyOf(learners);
    }

    public static ChainPosition of(Partition p, NodeId self) {
        return new ChainPosition(self, p.id(), p.changedAt(), p.chain().members(), p.learners());
    }

    /** The position of a node that is not involved in the partition. */
    public static ChainPosition none(NodeId self, int partition, long changedAt) {
        return new ChainPosition(self, partition, changedAt, List.of(), List.of());
    }

    public Role role() {
        int i = chain.indexOf(self);
        if (i < 0) {
            return learners.contains(self) ? Role.LEARNER : Role.NONE;
        }
        if (i == 0) {
            return Role.HEAD;
        }
        return i == chain.size() - 1 ? Role.TAIL : Role.MIDDLE;
    }

    /** Index in the chain, 0 for the head, -1 when not a member. */
    public int index() {
        return chain.indexOf(self);
    }

    public boolean isMember() {
        return chain.contains(self);
    }

    public boolean isHead() {
        return !chain.isEmpty() && chain.get(0).equals(self);
    }

    public boolean isTail() {
        return !chain.isEmpty() && chain.get(chain.size() - 1).equals(self);
    }

    public boolean isLearner() {
        return !chain.contains(self) && learners.contains(self);
    }

    public Optional<NodeId> tail() {
        return chain.isEmpty() ? Optional.empty() : Optional.of(chain.get(chain.size() - 1));
    }

    /** The node this one receives the stream from: its predecessor, or the tail for a learner. */
    public Optional<NodeId> upstream() {
        int i = chain.indexOf(self);
        if (i > 0) {
            return Optional.of(chain.get(i - 1));
        }
        return i < 0 && learners.contains(self) ? tail() : Optional.empty();
    }

    /** The nodes this one forwards to: its successor, or every learner when it is the tail. */
    public List<NodeId> downstream() {
        int i = chain.indexOf(self);
        if (i < 0) {
            return List.of();
        }
        if (i + 1 < chain.size()) {
            return List.of(chain.get(i + 1));
        }
        return learners;
    }

    /**
     * Where this node pushes its acks: its upstream, and — as the tail of a chain of three or more —
     * the head as well, directly: the tail's ack completes the head's ALL writes, and relayed by the
     * middle it would cost them a hop more (DESIGN "Acks").
     */
    public List<NodeId> ackTargets() {
        Optional<NodeId> up = upstream();
        if (up.isEmpty()) {
            return List.of();
        }
        if (isTail() && chain.size() >= 3) {
            return List.of(up.get(), chain.get(0));
        }
        return List.of(up.get());
    }

    /**
     * Whether acks learned from below go on up at once: not from the middle of a chain of three,
     * whose head hears the tail directly ({@link #ackTargets}); the periodic push still carries them.
     */
    public boolean relaysAcks() {
        return upstream().isPresent() && !(chain.size() == 3 && chain.indexOf(self) == 1);
    }

    /** Chain members after this node (those whose applied LSNs its acks carry), learners excluded. */
    public List<NodeId> below() {
        int i = chain.indexOf(self);
        return i < 0 ? List.of() : chain.subList(i + 1, chain.size());
    }

    public Chain asChain() {
        return new Chain(chain);
    }
}
