package io.chainring.datanode.replication;

import io.chainring.datanode.storage.ChainWrite;
import io.chainring.datanode.storage.VersionedRecord;
import io.chainring.ring.NodeId;
import io.chainring.thrift.ReplicatedWrite;
import io.chainring.thrift.SnapshotChunk;
import io.chainring.thrift.TailReadResult;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.apache.thrift.TException;

/**
 * One catch-up pass of a partition replica (DESIGN §6.4, §7 join): pulls from the source every
 * record with a version above what this replica holds in order, in key order with tombstones,
 * and merges each one if its version is higher than the stored one (or the stored one is
 * suspect). Meanwhile the live stream keeps arriving; for each key the higher version wins, so
 * the order does not matter. The first chunk's applied LSN {@code A} is the pass's result: every
 * write up to {@code A} is reflected once the pass is done. Then suspect keys the pull did not
 * reach are fixed one by one from the tail.
 */
final class CatchUpPass {
    /** What a pass achieved. */
    record Result(long appliedUpTo, long highestMerged, int merged, int fixed) {
    }

    private final NodeId self;
    private final PeerClients peers;
    private final LongSupplier ringEpoch;
    private final int chunkBytes;

    CatchUpPass(NodeId self, PeerClients peers, LongSupplier ringEpoch, int chunkBytes) {
        this.self = self;
        this.peers = peers;
        this.ringEpoch = ringEpoch;
        this.chunkBytes = chunkBytes;
    }

    Result run(PartitionReplica replica, NodeId source, NodeId tail) throws TException {
        int p = replica.id();
        long after = replica.store().appliedLsn();
        byte[] cursor = new byte[0];
        long first = -1;
        long highest = 0;
        int merged = 0;
        while (true) {
            byte[] startAfter = cursor;
            SnapshotChunk chunk = peers.call(source, c -> c.catchUp(ringEpoch.getAsLong(), self.value(), p,
                    ByteBuffer.wrap(startAfter), chunkBytes, after));
            if (first < 0) {
                first = chunk.getAppliedLsn();
            }
            List<ChainWrite> records = new ArrayList<>(chunk.getRecordsSize());
            for (ReplicatedWrite w : chunk.getRecords()) {
                ChainWrite cw = new ChainWrite(p, w.getLsn(), w.getKey(), w.isSetValue() ? w.getValue() : null, null);
                records.add(cw);
                highest = Math.max(highest, cw.lsn());
            }
            merged += replica.store().merge(records, replica.overrides());
            if (chunk.isDone()) {
                break;
            }
            if (chunk.isSetResumeAfter()) {
                cursor = chunk.getResumeAfter();
            } else if (!records.isEmpty()) {
                cursor = records.get(records.size() - 1).key();
            } else {
                throw new TException("catch-up chunk of partition " + p + " from " + source + " is empty, not done, and has no cursor");
            }
        }
        int fixed = fixSuspects(replica, tail);
        return new Result(first, highest, merged, fixed);
    }

    /** Suspect keys the pull did not reach get the tail's committed record, or are removed if the tail has none. */
    private int fixSuspects(PartitionReplica replica, NodeId tail) throws TException {
        Suspects suspects = replica.catchUp().suspects();
        int fixed = 0;
        for (byte[] key : suspects.snapshot()) {
            TailReadResult r = peers.call(tail, c -> c.tailGet(ringEpoch.getAsLong(), replica.id(), ByteBuffer.wrap(key)));
            VersionedRecord record = r.isFound() ? VersionedRecord.live(r.getVersion(), r.getValue())
                    : r.getVersion() > 0 ? VersionedRecord.tombstone(r.getVersion()) : null;
            if (replica.store().force(key, record, () -> suspects.clear(key))) {
                fixed++;
            }
        }
        return fixed;
    }
}
