package io.chainring.datanode.server;

import io.chainring.datanode.replication.PartitionReplica;
import io.chainring.datanode.replication.Replication;
import io.chainring.datanode.storage.VersionedRecord;
import io.chainring.ring.NodeId;
import io.chainring.ring.Partition;
import io.chainring.ring.Ring;
import io.chainring.thrift.NotServing;
import io.chainring.thrift.ReadLevel;
import io.chainring.thrift.StaleRouting;
import io.chainring.thrift.TailReadResult;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.apache.thrift.TException;

/**
 * Reads at a chain member (DESIGN §6.3). LINEARIZABLE, CRAQ-style: the tail answers from its
 * store (everything it applied is committed); another member reads its local record and, if the
 * key has a write in flight here (dirty) or the node does not know its dirty keys (just
 * restarted or caught up), asks the tail and returns the tail's answer. ONE and MAJORITY answer
 * from the local store, dirty or not (the client reads a majority and keeps the highest version).
 */
final class CraqReader {
    /** A read's answer: the record, or empty when the key never existed. */
    record Read(Optional<VersionedRecord> record) {
    }

    private final Replication replication;

    CraqReader(Replication replication) {
        this.replication = replication;
    }

    Read get(Ring ring, Partition p, byte[] key, ReadLevel level) throws TException {
        Optional<Read> local = local(ring, p, key, level);
        return local.isPresent() ? local.get() : fromTail(ring, p, key);
    }

    /**
     * The read answered from this node's store, or empty when only the tail can answer (a
     * dirty key, or dirty keys unknown here): then {@link #fromTail} asks it, a network call.
     */
    Optional<Read> local(Ring ring, Partition p, byte[] key, ReadLevel level) throws TException {
        PartitionReplica r = replication.replica(ring, p.id())
                .orElseThrow(() -> Errors.notServing("partition " + p.id() + " has no replica on this node yet; retry"));
        if (!r.position().isMember()) {
            throw Errors.stale("node " + replication.self() + " is no longer in the chain of partition " + p.id()
                    + " (chain " + r.position().chain() + ")", replication.appliedRing().orElse(ring));
        }
        if (level == ReadLevel.ONE || level == ReadLevel.MAJORITY) {
            return Optional.of(new Read(r.store().getRecord(key)));
        }
        if (r.position().isTail()) {
            if (!r.tailReady()) {
                throw Errors.notServing("node " + replication.self() + " just became the tail of partition " + p.id()
                        + " and is still receiving committed writes; retry");
            }
            return Optional.of(new Read(r.store().getRecord(key)));
        }
        // read first, then check: a write is marked dirty before it commits here, so a clean key after the read means the value was committed
        Optional<VersionedRecord> local = r.store().getRecord(key);
        return r.readNeedsTail(key) ? Optional.empty() : Optional.of(new Read(local));
    }

    /** The tail's answer for a key this node cannot answer itself (blocks for a call to the tail). */
    Read fromTail(Ring ring, Partition p, byte[] key) throws TException {
        PartitionReplica r = replication.replica(ring, p.id())
                .orElseThrow(() -> Errors.notServing("partition " + p.id() + " has no replica on this node yet; retry"));
        NodeId tail = r.position().tail()
                .orElseThrow(() -> Errors.unavailable("partition " + r.id() + " has no replicas at ring epoch " + ring.epoch()));
        TailReadResult t;
        try {
            t = replication.peers().call(tail, c -> c.tailGet(ring.epoch(), r.id(), ByteBuffer.wrap(key)));
        } catch (StaleRouting | NotServing e) {
            throw Errors.notServing("key has a write in flight at " + replication.self() + " and the tail " + tail
                    + " of partition " + r.id() + " cannot answer now (" + e.getMessage() + "); retry");
        } catch (TException e) {
            throw Errors.notServing("key has a write in flight at " + replication.self() + " and the tail " + tail
                    + " of partition " + r.id() + " is unreachable (" + e.getMessage() + "); retry");
        }
        if (t.isFound()) {
            return new Read(Optional.of(VersionedRecord.live(t.getVersion(), t.getValue())));
        }
        return new Read(t.getVersion() > 0 ? Optional.of(VersionedRecord.tombstone(t.getVersion())) : Optional.empty());
    }
}
