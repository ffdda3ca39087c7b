package io.chainring.datanode.replication;

/**
 * One partition replica's replication state, for node-admin stats (DESIGN §6, issue "observability").
 *
 * @param position             index in the chain, 0 = head, -1 when not a member
 * @param lastLsn              highest LSN assigned or received (the head's last LSN)
 * @param committedLsn         highest LSN known applied by the tail
 * @param appliedLsn           highest LSN up to which this replica holds every write
 * @param inFlight             writes held here above the committed LSN
 * @param oldestInFlightMillis age of the oldest of them
 * @param caughtUp             learners: catch-up pass done, no gap since
 * @param suspectKeys          learners: keys still to be checked against the tail (divergent suffix)
 * @param catchUpKeys          records received by the current or last catch-up pass
 * @param catchUpBytes         their key+value bytes
 * @param catchUpStartedMillis when that pass started (epoch millis), 0 = never
 * @param dataBytes            key+value bytes stored for the partition (tombstones count their key)
 */
public record ReplicaStatus(int partition, Role role, int position, long keys, long lastLsn, long committedLsn,
                            long appliedLsn, int inFlight, long oldestInFlightMillis, boolean caughtUp, int suspectKeys,
                            long catchUpKeys, long catchUpBytes, long catchUpStartedMillis, long dataBytes) {
    /** Without catch-up progress and size (tests). */
    public ReplicaStatus(int partition, Role role, int position, long keys, long lastLsn, long committedLsn,
                         long appliedLsn, int inFlight, long oldestInFlightMillis, boolean caughtUp, int suspectKeys) {
        this(partition, role, position, keys, lastLsn, committedLsn, appliedLsn, inFlight, oldestInFlightMillis, caughtUp,
                suspectKeys, 0, 0, 0, 0);
    }
}
