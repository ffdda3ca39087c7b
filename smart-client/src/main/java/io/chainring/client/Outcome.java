package io.chainring.client;

/**
 * How one request to a node, or one whole call, ended, as reported to a {@link ClientListener}.
 * A small fixed set, so it is safe as a metrics label. A read that finds no value is a
 * {@link #SUCCESS}.
 */
public enum Outcome {
    /** Answered. */
    SUCCESS,
    /** The request itself is wrong (size limits, bad arguments). */
    INVALID_REQUEST,
    /** A compare-and-set found another version. */
    VERSION_MISMATCH,
    /** The node knew a newer ring than the client (a redirect). */
    STALE_ROUTING,
    /** The node was not serving (starting, stopping, cut off from ZooKeeper). */
    NOT_SERVING,
    /** Too few replicas, or no node could take it. */
    UNAVAILABLE,
    /** No TCP connection could be opened; nothing was sent. */
    CONNECT_FAILED,
    /** The connection broke after the request was sent; outcome unknown. */
    CONNECTION_BROKEN,
    /** The deadline passed. */
    TIMEOUT,
    /** The head applied the write but could not confirm its ack level. */
    OUTCOME_UNKNOWN,
    /** The server failed unexpectedly or sent something unreadable. */
    INTERNAL,
    /** The client was closed under the request. */
    CLOSED,
    /** The calling thread was interrupted while it waited. */
    INTERRUPTED;

    /** The outcome a call that failed with this exception reports. */
    public static Outcome of(Throwable error) {
        if (error == null) {
            return SUCCESS;
        }
        if (error instanceof ChainringException ce) {
            return switch (ce.code()) {
                case INVALID_REQUEST, NOT_FOUND, UNAUTHORIZED, CONFLICT -> INVALID_REQUEST;
                case STALE_ROUTING -> STALE_ROUTING;
                case UNAVAILABLE -> UNAVAILABLE;
                case VERSION_MISMATCH -> VERSION_MISMATCH;
                case TIMEOUT -> TIMEOUT;
                case OUTCOME_UNKNOWN -> OUTCOME_UNKNOWN;
                case CONNECTION -> CONNECTION_BROKEN;
                case INTERRUPTED -> INTERRUPTED;
                case INTERNAL -> INTERNAL;
            };
        }
        if (error instanceof IllegalArgumentException || error instanceof NullPointerException) {
            return INVALID_REQUEST;
        }
        if (error instanceof IllegalStateException) {
            return CLOSED;
        }
        return INTERNAL;
    }
}
