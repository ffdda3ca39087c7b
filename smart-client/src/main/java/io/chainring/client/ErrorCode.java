package io.chainring.client;

/**
 * Stable codes of client errors. The first five match the server's error codes (DESIGN §8); the
 * rest describe what happened on the client's side of the wire.
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
    /** The connection broke while the request was on the wire; the outcome is unknown. */
    CONNECTION,
    /** The calling thread was interrupted while it waited; the outcome is unknown. */
    INTERRUPTED,
    /** The server failed unexpectedly or answered something the client cannot read; the outcome is unknown. */
    INTERNAL
}
