package io.chainring.ring;

import java.util.Objects;

/**
 * One vnode: its id, its chain, and the ring epoch at which the chain last changed.
 * Requests routed with an older epoch than {@code changedAt} are stale (DESIGN §6.5).
 */
public record Partition(int id, Chain chain, long changedAt) {
    public Partition {
        if (id < 0) {
            throw new IllegalArgumentException("negative partition id " + id);
        }
        Objects.requireNonNull(chain, "chain");
        if (changedAt < 0) {
            throw new IllegalArgumentException("negative changedAt " + changedAt);
        }
    }

    public Partition withChain(Chain newChain, long epoch) {
        return new Partition(id, newChain, epoch);
    }
}
