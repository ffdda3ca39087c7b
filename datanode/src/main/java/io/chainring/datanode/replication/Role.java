package io.chainring.datanode.replication;

/** A node's place in one partition's chain, as reported in node-admin stats. */
public enum Role {
    /** First in the chain: orders writes (also the tail when the chain has one node). */
    HEAD,
    /** Between head and tail: applies, forwards, answers clean reads. */
    MIDDLE,
    /** Last in the chain: its apply is the commit point. */
    TAIL,
    /** Catching up behind the tail: not counted for acks, serves no reads. */
    LEARNER,
    /** Stores the partition (or did) but has no place in its chain. */
    NONE
}
