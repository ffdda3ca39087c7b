package io.chainring.controller.state;

import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What one live datanode said about its replicas in {@code node-admin stats()}: the ring epoch
 * it had, every partition it stores (in a chain, as a learner, or left over from an earlier
 * chain), and the partitions it is a learner of with {@code caughtUp} set (snapshot done, live
 * stream without a gap).
 *
 * @param ringEpoch the node's ring epoch when it answered; a learner's "caught up" counts only for
 *                  a chain that has not changed since that epoch
 */
public record ReplicaReport(long ringEpoch, SortedSet<Integer> stored, SortedSet<Integer> caughtUp) {
    public ReplicaReport {
        if (ringEpoch < 0) {
            throw new IllegalArgumentException("negative ring epoch " + ringEpoch);
        }
        stored = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(Objects.requireNonNull(stored, "stored")));
        caughtUp = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(Objects.requireNonNull(caughtUp, "caughtUp")));
    }

    public static ReplicaReport of(long ringEpoch, Set<Integer> stored, Set<Integer> caughtUp) {
        return new ReplicaReport(ringEpoch, new TreeSet<>(stored), new TreeSet<>(caughtUp));
    }

    public boolean stores(int partition) {
        return stored.contains(partition);
    }

    /** Whether the node reported itself caught up on the partition at a ring no older than {@code changedAt}. */
    public boolean caughtUpSince(int partition, long changedAt) {
        return ringEpoch >= changedAt && caughtUp.contains(partition);
    }
}
