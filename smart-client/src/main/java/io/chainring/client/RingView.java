package io.chainring.client;

import io.chainring.ring.KeyHasher;
import java.util.Objects;

/**
 * What the client currently knows of the ring: a snapshot taken when {@link ChainringClient#ring()}
 * was called. The client refreshes its ring on its own; this is for monitoring and tests.
 *
 * @param cluster        the cluster's name
 * @param epoch          the ring epoch the client routes with
 * @param partitionCount the number of partitions (fixed for the cluster's life)
 * @param replication    the target chain length
 */
public record RingView(String cluster, long epoch, int partitionCount, int replication) {
    public RingView {
        Objects.requireNonNull(cluster, "cluster");
    }

    /** The partition a key belongs to (DESIGN §5), the same on every client. */
    public int partitionOf(byte[] key) {
        return KeyHasher.partitionOf(Objects.requireNonNull(key, "key"), partitionCount);
    }
}
