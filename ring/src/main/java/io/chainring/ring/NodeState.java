package io.chainring.ring;

/** Lifecycle of a registered datanode (DESIGN §4). */
public enum NodeState {
    /** Registered, not yet part of the ring. */
    NEW,
    /** Receiving its share of partitions. */
    JOINING,
    /** Serving its share. */
    ACTIVE,
    /** Draining its partitions to other nodes. */
    DECOMMISSIONING,
    /** Holds nothing. */
    REMOVED;

    /** Whether the planner should give this node replicas. */
    public boolean holdsReplicas() {
        return this == JOINING || this == ACTIVE;
    }
}
