package io.chainring.client;

/**
 * How fresh a read must be (DESIGN §3, §6.3).
 */
public enum ReadLevel {
    /** The latest committed value; any chain member may answer (it asks the tail when the key is dirty). */
    LINEARIZABLE,
    /** The highest version among a majority of the chain's replicas, read one after the other. */
    MAJORITY,
    /** Whatever one replica holds, committed or not; fastest, may be stale. */
    ONE
}
