package io.chainring.datanode.replication;

import io.chainring.datanode.storage.ChainWrite;
import io.chainring.ring.NodeId;
import io.chainring.thrift.PartitionAck;
import io.chainring.thrift.ReplicateBatch;
import io.chainring.thrift.ReplicateResponse;
import io.chainring.thrift.ReplicatedWrite;
import io.chainring.thrift.ResendRequest;
import io.chainring.thrift.ReplicationService;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The replication stream from this node to one downstream node (DESIGN §6.1 step 3): one
 * ordered, pipelined stream carrying every partition the pair shares. Each round drains what the
 * partitions hold above their send cursors into one batch (bounded by count and bytes) and calls
 * {@code replicate}; while a call is out, new writes gather for the next batch. The answer
 * carries acks and resend requests. This is the protocol side only: a {@link PeerLink} carries
 * the calls and runs the rounds on an event loop (when woken, when an answer arrives, and every
 * heartbeat interval). An idle stream sends an empty batch every interval (every
 * {@value #IDLE_EVERY} intervals once idle a while), which carries the committed LSNs and fetches
 * acks and gap replies.
 */
final class StreamSender implements PeerLink.Protocol {
    private final NodeId self;
    private final NodeId peer;
    private final ReplicaDirectory replicas;
    private final ReplicationConfig config;
    /** Partitions with new writes or a moved cursor since their last round (woken by the replicas). */
    private final Set<Integer> pending = ConcurrentHashMap.newKeySet();
    /** The next round looks at every partition (start, ring change, failure). */
    private volatile boolean fullScan = true;
    /** Per partition, the committed and applied LSNs last sent on this stream (sender thread only). */
    private final Map<Integer, long[]> lastSent = new HashMap<>();
    private long lastSentNanos;
    private long lastFullNanos;
    /** Every this many heartbeat intervals a round carries every partition's LSNs, changed or not (a safety net). */
    private static final int FULL_EVERY = 10;
    /**
     * A stream with no news (no writes, no changed LSNs, no wake-up) for this many heartbeat
     * intervals is idle: it sends a heartbeat — always a full round — only every
     * {@value #IDLE_EVERY} intervals, so an idle cluster costs little CPU (issue 10 goal: at most
     * 2% of a core per datanode). Any news ends it at once.
     */
    private static final int IDLE_AFTER = 10;
    private static final int IDLE_EVERY = 10;
    /** When the stream last had news (sender thread only). */
    private long lastNewsNanos;
    /** System.nanoTime, or a test's clock. */
    private final LongSupplier nanos;
    /** Runs a round soon (the link's wake-up). */
    private Runnable wake = () -> { };
    /** The batch in flight: what its answer confirms (loop only). */
    private Map<Integer, Long> sentCommitted = Map.of();
    private Map<Integer, Long> sentApplied = Map.of();
    private Map<PartitionReplica, Long> sentLast = Map.of();
    /** The batch in flight left writes behind (it filled up). */
    private boolean sentFull;

    StreamSender(NodeId self, NodeId target, ReplicaDirectory replicas, ReplicationConfig config) {
        this(self, target, replicas, config, System::nanoTime);
    }

    StreamSender(NodeId self, NodeId target, ReplicaDirectory replicas, ReplicationConfig config, LongSupplier nanos) {
        this.self = self;
        this.peer = target;
        this.replicas = replicas;
        this.config = config;
        this.nanos = nanos;
        this.lastNewsNanos = nanos.getAsLong();
    }

    /** What runs a round soon: the link that carries this stream. */
    void wakeWith(Runnable linkWake) {
        this.wake = linkWake;
    }

    /** New writes of {@code partition} for this stream. */
    void wake(int partition) {
        pending.add(partition);
        wake.run();
    }

    /** Every partition may have news (a ring change). */
    void wakeAll() {
        fullScan = true;
        wake.run();
    }

    @Override
    public Optional<PeerLink.Call> next() {
        return nextBatch().map(b -> new PeerLink.Call("replicate", new ReplicationService.replicate_args(b)));
    }

    @Override
    public void answered(Object answer) {
        answered((ReplicateResponse) answer);
    }

    /**
     * One round. Only partitions with news are looked at and sent — their writes, and their
     * committed/applied LSNs when those changed since last sent — so a write costs the same however
     * many partitions the pair shares. Every heartbeat interval a round looks at every partition
     * and sends the LSNs that changed (an idle partition's committed LSN), and every
     * {@value #FULL_EVERY} intervals — and after a ring change or a failed call — all of them.
     */
    Optional<ReplicateBatch> nextBatch() {
        replicas.flushCommits(); // the writes forwarded and the applied LSNs sent are in the OS first
        long now = nanos.getAsLong();
        if (fullScan || !pending.isEmpty()) {
            lastNewsNanos = now;
        }
        boolean idle = idle(now);
        long heartbeat = config.heartbeatInterval().toNanos() * (idle ? IDLE_EVERY : 1);
        boolean heartbeatDue = now - lastSentNanos >= heartbeat;
        boolean full = fullScan || now - lastFullNanos >= config.heartbeatInterval().toNanos() * FULL_EVERY || (idle && heartbeatDue);
        Collection<PartitionReplica> candidates;
        if (full || heartbeatDue) {
            fullScan = false;
            pending.clear();
            candidates = replicas.all();
            if (full) {
                lastFullNanos = now;
            }
        } else {
            candidates = new ArrayList<>(pending.size());
            for (Iterator<Integer> it = pending.iterator(); it.hasNext(); ) {
                int p = it.next();
                it.remove();
                replicas.get(p).ifPresent(candidates::add);
            }
        }
        List<ReplicatedWrite> writes = new ArrayList<>();
        Map<Integer, Long> committed = new HashMap<>();
        Map<Integer, Long> applied = new HashMap<>();
        Map<PartitionReplica, Long> lastByReplica = new LinkedHashMap<>();
        long bytes = 0;
        boolean more = false;
        for (PartitionReplica r : candidates) {
            if (!r.feeds(peer)) {
                continue;
            }
            int room = config.maxBatchWrites() - writes.size();
            PartitionReplica.Outbound out = r.outbound(peer, room, config.maxBatchBytes() - bytes);
            List<ChainWrite> ws = out.writes();
            long[] sent = lastSent.get(r.id());
            if (full || !ws.isEmpty() || sent == null || sent[0] != out.committed() || sent[1] != out.applied()) {
                committed.put(r.id(), out.committed());
                applied.put(r.id(), out.applied());
            }
            for (ChainWrite w : ws) {
                writes.add(toThrift(w));
                bytes += w.approximateBytes();
            }
            if (!ws.isEmpty()) {
                lastByReplica.put(r, ws.get(ws.size() - 1).lsn());
            }
            if (room <= 0 || ws.size() >= room || bytes >= config.maxBatchBytes()) {
                pending.add(r.id()); // the batch filled up: the rest of this partition goes next round
                more = true;
            }
        }
        if (writes.isEmpty() && !heartbeatDue && !full) {
            return Optional.empty(); // a full round (ring change, failed call) is sent at once: the receiver must hear every partition
        }
        if (!writes.isEmpty() || (!full && !committed.isEmpty())) {
            lastNewsNanos = now;
        }
        ReplicateBatch batch = new ReplicateBatch(self.value(), replicas.ringEpoch(), writes);
        batch.setCommittedLsn(committed);
        batch.setAppliedLsn(applied);
        sentCommitted = committed;
        sentApplied = applied;
        sentLast = lastByReplica;
        sentFull = more;
        return Optional.of(batch);
    }

    /**
     * The answer to the batch {@link #nextBatch} built last: its writes arrived, its acks and
     * resend requests apply. Returns whether more is waiting (the batch filled up, or a resend).
     */
    boolean answered(ReplicateResponse response) {
        boolean more = sentFull;
        lastSentNanos = nanos.getAsLong();
        Map<Integer, Long> applied = sentApplied;
        sentCommitted.forEach((p, c) -> lastSent.put(p, new long[]{c, applied.get(p)}));
        sentLast.forEach((r, lsn) -> r.markSent(peer, lsn));
        clearSent();
        for (PartitionAck ack : response.getAcks()) {
            replicas.get(ack.getPartition()).filter(r -> r.feeds(peer)).ifPresent(r -> r.onAcks(AckCodec.fromThrift(ack)));
        }
        for (ResendRequest resend : response.getResend()) {
            var replica = replicas.get(resend.getPartition()).filter(r -> r.feeds(peer));
            if (replica.isPresent()) {
                replica.get().rewind(peer, resend.getAppliedLsn());
                pending.add(resend.getPartition());
                more = true;
            }
        }
        return more;
    }

    private void clearSent() {
        sentCommitted = Map.of();
        sentApplied = Map.of();
        sentLast = Map.of();
        sentFull = false;
    }

    private boolean idle(long now) {
        return now - lastNewsNanos >= config.heartbeatInterval().toNanos() * IDLE_AFTER;
    }

    @Override
    public void failed() {
        clearSent();
        lastNewsNanos = nanos.getAsLong();
        for (PartitionReplica r : replicas.all()) {
            r.rewindToAcked(peer);
        }
        lastSent.clear();
        fullScan = true;
    }

    private static ReplicatedWrite toThrift(ChainWrite w) {
        ReplicatedWrite t = new ReplicatedWrite(w.partition(), w.lsn(), ByteBuffer.wrap(w.key()));
        if (w.value() != null) {
            t.setValue(ByteBuffer.wrap(w.value()));
        }
        if (w.requestId() != null) {
            t.setRequestId(w.requestId());
        }
        return t;
    }
}
