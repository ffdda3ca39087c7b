package io.chainring.controller.leader;

import io.chainring.metadata.NodeRegistry;
import io.chainring.metadata.RingConflictException;
import io.chainring.metadata.RingStore;
import io.chainring.ring.NodeId;
import io.chainring.ring.NodeState;

/**
 * The write stage. Every ring write is fenced: the first ring by create-if-absent, every later
 * one by compare-and-set on the znode version read in the same pass, so a deposed leader's
 * write fails instead of replacing a newer ring.
 */
public final class RingWriter {
    private final RingStore rings;
    private final NodeRegistry registry;

    public RingWriter(RingStore rings, NodeRegistry registry) {
        this.rings = rings;
        this.registry = registry;
    }

    /**
     * Marks the ring's nodes ACTIVE, then creates the first ring. The states go first: if the
     * ring write then fails, a later pass forms the ring from the same (live) nodes.
     *
     * @return the epoch written
     * @throws RingConflictException when a ring exists already
     */
    public long create(Decision.CreateRing decision) throws RingConflictException {
        for (NodeId id : decision.activate()) {
            registry.setState(id, NodeState.ACTIVE);
        }
        rings.create(decision.ring());
        return decision.ring().epoch();
    }

    /**
     * Replaces the ring if it is still at the znode version the decision was made on.
     *
     * @return the epoch written
     * @throws RingConflictException when the ring changed since it was read
     */
    public long update(Decision.UpdateRing decision) throws RingConflictException {
        rings.compareAndSet(decision.ring(), decision.expectedZkVersion());
        return decision.ring().epoch();
    }
}
