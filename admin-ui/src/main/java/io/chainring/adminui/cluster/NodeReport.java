package io.chainring.adminui.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the UI last heard from one datanode: its stats, or why it could not get them.
 *
 * @param nodeId the node asked
 * @param at     when the answer (or the failure) came
 * @param rtt    how long the stats call took
 * @param stats  the answer; null when the call failed
 * @param error  why the call failed; null when it worked
 */
public record NodeReport(String nodeId, Instant at, Duration rtt, Stats stats, String error) {
    public NodeReport {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(rtt, "rtt");
        if ((stats == null) == (error == null)) {
            throw new IllegalArgumentException("a node report has either stats or an error");
        }
    }

    public static NodeReport ok(String nodeId, Instant at, Duration rtt, Stats stats) {
        return new NodeReport(nodeId, at, rtt, Objects.requireNonNull(stats, "stats"), null);
    }

    public static NodeReport failed(String nodeId, Instant at, Duration rtt, String error) {
        return new NodeReport(nodeId, at, rtt, null, Objects.requireNonNull(error, "error"));
    }

    public boolean ok() {
        return stats != null;
    }

    /**
     * A datanode's {@code node-admin.stats()} answer.
     *
     * @param requestsTotal    client requests it answered since it started (null from nodes that do not say)
     * @param requestP99Micros 99th percentile of its client request latency over the last seconds (null likewise)
     */
    public record Stats(String nodeId, String address, long ringEpoch, boolean serving, long diskBytes,
                        long uptimeMillis, String durability, List<PartitionStat> partitions, Long requestsTotal,
                        Long requestP99Micros) {
        public Stats {
            partitions = List.copyOf(partitions);
        }

        /** Without the request figures. */
        public Stats(String nodeId, String address, long ringEpoch, boolean serving, long diskBytes, long uptimeMillis,
                     String durability, List<PartitionStat> partitions) {
            this(nodeId, address, ringEpoch, serving, diskBytes, uptimeMillis, durability, partitions, null, null);
        }

        /** Live keys over every partition replica the node holds. */
        public long keys() {
            return partitions.stream().mapToLong(PartitionStat::keys).sum();
        }
    }

    /**
     * One partition replica on a node; position 0 is the head, -1 means the ring no longer names it here.
     *
     * @param role     what the node says it is: HEAD, MIDDLE, TAIL, LEARNER or NONE (null from nodes that do not say)
     * @param caughtUp for a learner: whether its snapshot is done and its live stream has no gap (else null)
     */
    public record PartitionStat(int partition, int position, long keys, long lastLsn, long committedLsn, int inFlight,
                                long oldestInFlightMillis, String role, Boolean caughtUp) {
        /** Without the optional fields. */
        public PartitionStat(int partition, int position, long keys, long lastLsn, long committedLsn, int inFlight,
                             long oldestInFlightMillis) {
            this(partition, position, keys, lastLsn, committedLsn, inFlight, oldestInFlightMillis, null, null);
        }

        public boolean isLearner() {
            return "LEARNER".equals(role);
        }
    }
}
