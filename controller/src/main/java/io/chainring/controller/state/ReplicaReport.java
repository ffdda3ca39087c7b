package io.chainring.controller.state;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one live datanode said about its replicas in {@code node-admin stats()}: the ring epoch
 * it had, every partition it stores (in a chain, as a learner, or left over from an earlier
 * chain), the partitions it is a learner of with {@code caughtUp} set (snapshot done, live
 * stream without a gap), and per partition the sizes and catch-up progress that migrations show.
 *
 * @param ringEpoch the node's ring epoch when it answered; a learner's "caught up" counts only for
 *                  a chain that has not changed since that epoch
 */
public record ReplicaReport(long ringEpoch, SortedSet<Integer> stored, SortedSet<Integer> caughtUp,
                            SortedMap<Integer, PartitionFigures> figures) {

    /**
     * One replica's size and catch-up progress.
     *
     * @param keys               live keys stored
     * @param dataBytes          bytes of keys and values stored (an estimate)
     * @param catchUpKeys        records merged by the current or last catch-up pass
     * @param catchUpBytes       their bytes
     * @param catchUpStartMillis when that pass started, 0 if never
     */
    public record PartitionFigures(long keys, long dataBytes, long catchUpKeys, long catchUpBytes,
                                   long catchUpStartMillis) {
        public static final PartitionFigures NONE = new PartitionFigures(0, 0, 0, 0, 0);
    }

    public ReplicaReport {
        if (ringEpoch < 0) {
            throw new IllegalArgumentException("negative ring epoch " + ringEpoch);
        }
        stored = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(Objects.requireNonNull(stored, "stored")));
        caughtUp = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(Objects.requireNonNull(caughtUp, "caughtUp")));
        figures = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(Objects.requireNonNull(figures, "figures")));
    }

    /** A report without sizes or progress. */
    public ReplicaReport(long ringEpoch, SortedSet<Integer> stored, SortedSet<Integer> caughtUp) {
        this(ringEpoch, stored, caughtUp, new TreeMap<>());
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

    public Optional<PartitionFigures> figures(int partition) {
        return Optional.ofNullable(figures.get(partition));
    }

    /** Convenience for callers holding a map of reports. */
    public static Optional<PartitionFigures> figures(Map<?, ReplicaReport> reports, Object node, int partition) {
        ReplicaReport r = reports.get(node);
        return r == null ? Optional.empty() : r.figures(partition);
    }
}
