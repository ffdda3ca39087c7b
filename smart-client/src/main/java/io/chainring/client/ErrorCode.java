package io.chainring.client;

/**
 * Stable codes of client errors. Most match the server's error codes (DESIGN §8); TIMEOUT,
 * CONNECTION and INTERRUPTED describe what happened on the client's side of the wire.
 */
public enum ErrorCode {
    /** The request itself is wrong (size limits, bad arguments). Not applied. */
    INVALID_REQUEST,
    /** The client's ring stayed stale through every retry. Not applied. */
    STALE_ROUTING,
    /** No replica could take the request (too few replicas, nodes not serving or unreachable). Not applied. */
    UNAVAILABLE,
    /** A compare-and-set found another version. Not applied. */
    VERSION_MISMATCH,
    /** The call's deadline passed; the outcome is unknown. */
    TIMEOUT,
    /** The head applied the write but could not confirm its ack level; it may commit or be lost. */
    OUTCOME_UNKNOWN,
    /** The connection broke while the request was on the wire; the outcome is unknown. */
    CONNECTION,
    /** The calling thread was interrupted while it waited; the outcome is unknown. */
    INTERRUPTED,
    /** The server failed unexpectedly or answered something the client cannot read; the outcome is unknown. */
    INTERNAL,
    /** An admin call named something that does not exist (an unknown node). Not applied. */
    NOT_FOUND,
    /** An admin change without the right admin token. Not applied. */
    UNAUTHORIZED,
    /** An admin change conflicts with the cluster's state (a plan runs, the ring moved on). Not applied. */
    CONFLICT
}
