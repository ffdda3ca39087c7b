package io.chainring.datanode.replication;

import java.util.Collection;
import java.util.Optional;

/** The node's partition replicas and the ring epoch their positions come from. */
interface ReplicaDirectory {
    Collection<PartitionReplica> all();

    Optional<PartitionReplica> get(int partition);

    /** Epoch of the ring the replicas are positioned by. */
    long ringEpoch();

    /** Writes the partition commits made so far to the OS: before telling a peer what this node applied (DESIGN "Storage"). */
    void flushCommits();
}
