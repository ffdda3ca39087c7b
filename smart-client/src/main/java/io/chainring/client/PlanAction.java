package io.chainring.client;

/** What a rebalancing plan does to the nodes it names (DESIGN §7). */
public enum PlanAction {
    /** NEW nodes join the ring and receive their share of the partition replicas. */
    ADD,
    /** Live nodes drain their replicas to the others, then become REMOVED. */
    DECOMMISSION,
    /** Dead nodes are forgotten; their replicas are re-created on the others. */
    REMOVE
}
