package io.chainring.client;

import java.util.List;
import java.util.Objects;

/**
 * One datanode's view of replication ({@link AdminClient#replication()}): for each partition it
 * stores, its role and how far the chain's commit point trails its writes.
 *
 * @param nodeId     the node's id
 * @param address    host:port of its Thrift service
 * @param reachable  false when the node did not answer (the other fields are then empty)
 * @param ringEpoch  the ring epoch the node serves
 * @param serving    whether it serves requests (connected to ZooKeeper, ring current)
 * @param partitions per partition replication figures
 */
public record ReplicationStatus(String nodeId, String address, boolean reachable, long ringEpoch, boolean serving,
                                List<Partition> partitions) {
    public ReplicationStatus {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(address, "address");
        partitions = List.copyOf(partitions);
    }

    /** Writes applied here but not yet known committed at the tail, summed over partitions. */
    public long inFlight() {
        return partitions.stream().mapToLong(Partition::inFlight).sum();
    }

    /** The largest {@code lastLsn - committedLsn} over the node's partitions: the replication lag in LSNs. */
    public long maxLagLsns() {
        return partitions.stream().mapToLong(Partition::lagLsns).max().orElse(0);
    }

    /** Age of the oldest write still in flight at this node, in milliseconds (0 when none). */
    public long oldestInFlightMillis() {
        return partitions.stream().mapToLong(Partition::oldestInFlightMillis).max().orElse(0);
    }

    /** Partitions this node is catching up on as a learner. */
    public long learning() {
        return partitions.stream().filter(p -> "LEARNER".equals(p.role())).count();
    }

    /**
     * One partition at one node.
     *
     * @param partition            the partition id
     * @param role                 HEAD, MIDDLE, TAIL, LEARNER or NONE
     * @param lastLsn              the highest LSN written here
     * @param committedLsn         the highest LSN known applied by the tail
     * @param appliedLsn           the highest LSN applied here
     * @param inFlight             writes applied here and not yet known committed
     * @param oldestInFlightMillis age of the oldest of those
     * @param caughtUp             for a learner: snapshot done and live stream without a gap
     */
    public record Partition(int partition, String role, long lastLsn, long committedLsn, long appliedLsn,
                            int inFlight, long oldestInFlightMillis, boolean caughtUp) {
        /** {@code lastLsn - committedLsn}, never negative. */
        public long lagLsns() {
            return Math.max(0, lastLsn - committedLsn);
        }
    }
}
