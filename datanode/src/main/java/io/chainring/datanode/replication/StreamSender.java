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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.thrift.TException;

/**
 * The replication stream from this node to one downstream node (DESIGN §6.1 step 3): one
 * ordered, pipelined stream carrying every partition the pair shares. Each round drains what the
 * partitions hold above their send cursors into one batch (bounded by count and bytes) and calls
 * {@code replicate}; while a call is out, new writes gather for the next batch. The answer
 * carries acks and resend requests. An idle stream sends an empty batch every interval, which
 * carries the committed LSNs and fetches acks and gap replies.
 */
final class StreamSender extends PeerWorker {
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

    StreamSender(NodeId self, NodeId target, ReplicaDirectory replicas, PeerClients addresses, ReplicationConfig config,
                 int maxFrameBytes, Runnable refreshRing) {
        super("replication-stream", self, target, addresses, (int) config.peerTimeout().toMillis(), maxFrameBytes,
                config.heartbeatInterval().toMillis(), refreshRing);
        this.replicas = replicas;
        this.config = config;
    }

    /** New writes of {@code partition} for this stream. */
    void wake(int partition) {
        pending.add(partition);
        wake();
    }

    /** Every partition may have news (a ring change). */
    void wakeAll() {
        fullScan = true;
        wake();
    }

    /**
     * One round. Only partitions with news are looked at and sent — their writes, and their
     * committed/applied LSNs when those changed since last sent — so a write costs the same however
     * many partitions the pair shares. Every heartbeat interval a round looks at every partition
     * and sends the LSNs that changed (an idle partition's committed LSN), and every
     * {@value #FULL_EVERY} intervals — and after a ring change or a failed call — all of them.
     */
    @Override
    protected boolean runOnce(ReplicationService.Client client) throws TException {
        long now = System.nanoTime();
        boolean heartbeatDue = now - lastSentNanos >= config.heartbeatInterval().toNanos();
        boolean full = fullScan || now - lastFullNanos >= config.heartbeatInterval().toNanos() * FULL_EVERY;
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
            return more; // a full round (ring change, failed call) is sent at once: the receiver must hear every partition
        }
        ReplicateBatch batch = new ReplicateBatch(self.value(), replicas.ringEpoch(), writes);
        batch.setCommittedLsn(committed);
        batch.setAppliedLsn(applied);
        ReplicateResponse response = client.replicate(batch);
        lastSentNanos = System.nanoTime();
        committed.forEach((p, c) -> lastSent.put(p, new long[]{c, applied.get(p)}));
        lastByReplica.forEach((r, lsn) -> r.markSent(peer, lsn));
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

    @Override
    protected void onFailure() {
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
