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
import java.time.Clock;
import java.util.function.LongConsumer;
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
    /** Smallest pull under a low throttle: a few records, so paging stays cheap. */
    private static final int MIN_CHUNK_BYTES = 4096;

    private final int chunkBytes;
    private final TokenBucket throttle;
    private final LongConsumer received;
    private final Clock clock;

    /**
     * @param throttle the node's catch-up throttle, shared by every pass a learner runs
     * @param received hears the key+value bytes of every chunk received (the node-wide counter)
     */
    CatchUpPass(NodeId self, PeerClients peers, LongSupplier ringEpoch, int chunkBytes, TokenBucket throttle,
                LongConsumer received, Clock clock) {
        this.self = self;
        this.peers = peers;
        this.ringEpoch = ringEpoch;
        this.chunkBytes = chunkBytes;
        this.throttle = throttle;
        this.received = received;
        this.clock = clock;
    }

    /**
     * Runs the pass. A learner's pulls (a move's copy) are throttled node-wide: each chunk is
     * paid for before the next is asked for, and no chunk is bigger than a quarter second of
     * the rate. A member's gap pass is not: the chain's acks wait for it.
     */
    Result run(PartitionReplica replica, NodeId source, NodeId tail, boolean throttled) throws TException, InterruptedException {
        int p = replica.id();
        long after = replica.store().appliedLsn();
        byte[] cursor = new byte[0];
        long first = -1;
        long highest = 0;
        int merged = 0;
        CatchUpProgress progress = replica.progress();
        progress.begin(clock.millis());
        while (true) {
            if (throttle.isClosed()) {
                // the node is closing: stop between chunks (an interrupt inside JE would invalidate it)
                throw new java.util.concurrent.CancellationException("node " + self + " is closing");
            }
            byte[] startAfter = cursor;
            int maxBytes = throttled ? throttle.chunkBytes(Math.min(MIN_CHUNK_BYTES, chunkBytes), chunkBytes) : chunkBytes;
            SnapshotChunk chunk = peers.call(source, c -> c.catchUp(ringEpoch.getAsLong(), self.value(), p,
                    ByteBuffer.wrap(startAfter), maxBytes, after));
            if (first < 0) {
                first = chunk.getAppliedLsn();
            }
            List<ChainWrite> records = new ArrayList<>(chunk.getRecordsSize());
            long bytes = 0;
            for (ReplicatedWrite w : chunk.getRecords()) {
                ChainWrite cw = new ChainWrite(p, w.getLsn(), w.getKey(), w.isSetValue() ? w.getValue() : null, null);
                records.add(cw);
                highest = Math.max(highest, cw.lsn());
                bytes += cw.key().length + (cw.value() == null ? 0 : cw.value().length);
            }
            merged += replica.store().merge(records, replica.overrides());
            progress.add(records.size(), bytes);
            received.accept(bytes);
            if (throttled) {
                throttle.acquire(bytes);
            }
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
