package io.chainring.client;

/** Why the client fetched or installed a ring, as reported to {@link ClientListener#ringRefreshed}. */
public enum RingRefreshCause {
    /** The first ring, fetched from a seed when the client was built. */
    BOOTSTRAP,
    /** A node refused a request as stale and handed over its newer ring. */
    STALE_ROUTING,
    /** A node answered with a newer epoch, or a node failed: refetched in the background. */
    NEWER_EPOCH_SEEN,
    /** A request failed in a way that calls for a fresh ring before retrying (head down, no route). */
    REQUEST_FAILED,
    /** The periodic refresh ({@link ChainringClient.Builder#ringRefreshInterval}). */
    PERIODIC
}
