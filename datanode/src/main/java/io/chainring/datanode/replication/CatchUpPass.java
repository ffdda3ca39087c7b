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
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
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
final class CatchUpPass implements AutoCloseable {
    /** What a pass achieved. */
    record Result(long appliedUpTo, long highestMerged, int merged, int fixed) {
    }

    private final NodeId self;
    private final PeerClients peers;
    private final LongSupplier ringEpoch;
    /** Smallest pull under a low throttle: a few records, so paging stays cheap. */
    private static final int MIN_CHUNK_BYTES = 4096;

    private final int chunkBytes;
    private final BooleanSupplier closing;
    private final LongConsumer received;
    private final Clock clock;
    private final ExecutorService fetcher;

    /**
     * @param closing  whether the node is closing (passes stop between chunks)
     * @param received hears the key+value bytes of every chunk received (the node-wide counter)
     */
    CatchUpPass(NodeId self, PeerClients peers, LongSupplier ringEpoch, int chunkBytes, BooleanSupplier closing,
                LongConsumer received, Clock clock) {
        this.self = self;
        this.peers = peers;
        this.ringEpoch = ringEpoch;
        this.chunkBytes = chunkBytes;
        this.closing = closing;
        this.received = received;
        this.clock = clock;
        AtomicInteger n = new AtomicInteger();
        this.fetcher = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "catch-up-fetch-" + self + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Runs the pass. A learner's pulls are paced by {@code budget} (the node's repair or
     * rebalance budget): each chunk is paid for after it is merged, and no chunk is bigger than a
     * quarter second of the rate. A member's gap pass has no budget (null): the chain's acks wait
     * for it. The next chunk is asked for before the current one is merged, so the source's scan
     * and this node's merge overlap instead of taking turns.
     */
    Result run(PartitionReplica replica, NodeId source, NodeId tail, TokenBucket budget) throws TException, InterruptedException {
        int p = replica.id();
        long after = replica.store().appliedLsn();
        long first = -1;
        long highest = 0;
        int merged = 0;
        CatchUpProgress progress = replica.progress();
        progress.begin(clock.millis());
        CompletableFuture<SnapshotChunk> next = fetch(source, p, new byte[0], chunkBytes(budget), after);
        while (true) {
            if (closing.getAsBoolean()) {
                // the node is closing: stop between chunks (an interrupt inside JE would invalidate it)
                throw new CancellationException("node " + self + " is closing");
            }
            SnapshotChunk chunk = await(next);
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
            if (!chunk.isDone()) {
                byte[] cursor;
                if (chunk.isSetResumeAfter()) {
                    cursor = chunk.getResumeAfter();
                } else if (!records.isEmpty()) {
                    cursor = records.get(records.size() - 1).key();
                } else {
                    throw new TException("catch-up chunk of partition " + p + " from " + source + " is empty, not done, and has no cursor");
                }
                next = fetch(source, p, cursor, chunkBytes(budget), after);
            }
            merged += replica.store().merge(records, replica.overrides());
            progress.add(records.size(), bytes);
            received.accept(bytes);
            if (budget != null) {
                budget.acquire(bytes);
            }
            if (chunk.isDone()) {
                break;
            }
        }
        int fixed = fixSuspects(replica, tail);
        return new Result(first, highest, merged, fixed);
    }

    private int chunkBytes(TokenBucket budget) {
        return budget == null ? chunkBytes : budget.chunkBytes(Math.min(MIN_CHUNK_BYTES, chunkBytes), chunkBytes);
    }

    private CompletableFuture<SnapshotChunk> fetch(NodeId source, int p, byte[] startAfter, int maxBytes, long after) {
        CompletableFuture<SnapshotChunk> f = new CompletableFuture<>();
        try {
            fetcher.execute(() -> {
                try {
                    f.complete(peers.call(source, c -> c.catchUp(ringEpoch.getAsLong(), self.value(), p,
                            ByteBuffer.wrap(startAfter), maxBytes, after)));
                } catch (TException | RuntimeException e) {
                    f.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            f.completeExceptionally(new CancellationException("node " + self + " is closing"));
        }
        return f;
    }

    private static SnapshotChunk await(CompletableFuture<SnapshotChunk> f) throws TException, InterruptedException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof TException t) {
                throw t;
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("catch-up fetch failed", cause);
        }
    }

    /** Stops the fetch threads; a fetch in flight ends with its call's timeout at the latest. */
    @Override
    public void close() {
        fetcher.shutdown();
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
