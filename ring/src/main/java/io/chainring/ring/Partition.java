package io.chainring.ring;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One vnode: its id, its chain, the ring epoch at which the chain last changed, and its
 * learners. Requests routed with an older epoch than {@code changedAt} are stale (DESIGN §6.5).
 *
 * <p>Learners are catching-up replicas behind the tail (§6.4, §7 "join"): they receive a
 * snapshot and the live write stream from the tail, are not counted for acks and serve no
 * reads. The controller promotes a caught-up learner to tail.
 */
public record Partition(int id, Chain chain, long changedAt, List<NodeId> learners) {
    public Partition {
        if (id < 0) {
            throw new IllegalArgumentException("negative partition id " + id);
        }
        Objects.requireNonNull(chain, "chain");
        if (changedAt < 0) {
            throw new IllegalArgumentException("negative changedAt " + changedAt);
        }
        learners = List.copyOf(learners);
        Set<NodeId> seen = new HashSet<>(chain.members());
        for (NodeId l : learners) {
            if (!seen.add(l)) {
                throw new IllegalArgumentException("partition " + id + ": learner " + l + " is already a member or listed twice");
            }
        }
    }

    public Partition(int id, Chain chain, long changedAt) {
        this(id, chain, changedAt, List.of());
    }

    public Partition withChain(Chain newChain, long epoch) {
        return new Partition(id, newChain, epoch, learners.stream().filter(l -> !newChain.contains(l)).toList());
    }

    public Partition withMembers(Chain newChain, List<NodeId> newLearners, long epoch) {
        return new Partition(id, newChain, epoch, newLearners);
    }

    /** Whether the node is in the chain or a learner of it. */
    public boolean involves(NodeId node) {
        return chain.contains(node) || learners.contains(node);
    }
}
