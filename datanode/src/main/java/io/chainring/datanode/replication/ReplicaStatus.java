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
 */
public record ReplicaStatus(int partition, Role role, int position, long keys, long lastLsn, long committedLsn,
                            long appliedLsn, int inFlight, long oldestInFlightMillis, boolean caughtUp, int suspectKeys) {
}
