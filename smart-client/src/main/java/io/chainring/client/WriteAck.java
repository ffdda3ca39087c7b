package io.chainring.client;

/**
 * When the head answers a write (DESIGN §6.1). {@link #ONE} and {@link #MAJORITY} answer sooner but
 * lose an acknowledged write if every node that applied it dies before the tail has it.
 */
public enum WriteAck {
    /** After the tail applied the write: the write is committed (default). */
    ALL,
    /** After the first ⌈(k+1)/2⌉ nodes of a k-node chain applied it. */
    MAJORITY,
    /** After the head applied it. */
    ONE
}
