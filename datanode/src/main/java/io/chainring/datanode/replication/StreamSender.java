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
    private long lastSentNanos;

    StreamSender(NodeId self, NodeId target, ReplicaDirectory replicas, PeerClients addresses, ReplicationConfig config,
                 int maxFrameBytes, Runnable refreshRing) {
        super("replication-stream", self, target, addresses, (int) config.peerTimeout().toMillis(), maxFrameBytes,
                config.heartbeatInterval().toMillis(), refreshRing);
        this.replicas = replicas;
        this.config = config;
    }

    @Override
    protected boolean runOnce(ReplicationService.Client client) throws TException {
        List<PartitionReplica> feeding = new ArrayList<>();
        for (PartitionReplica r : replicas.all()) {
            if (r.feeds(peer)) {
                feeding.add(r);
            }
        }
        if (feeding.isEmpty()) {
            return false;
        }
        List<ReplicatedWrite> writes = new ArrayList<>();
        Map<Integer, Long> committed = new HashMap<>();
        Map<Integer, Long> applied = new HashMap<>();
        Map<PartitionReplica, Long> lastByReplica = new LinkedHashMap<>();
        long bytes = 0;
        for (PartitionReplica r : feeding) {
            PartitionReplica.Outbound out = r.outbound(peer, config.maxBatchWrites() - writes.size(), config.maxBatchBytes() - bytes);
            committed.put(r.id(), out.committed());
            applied.put(r.id(), out.applied());
            List<ChainWrite> ws = out.writes();
            for (ChainWrite w : ws) {
                writes.add(toThrift(w));
                bytes += w.approximateBytes();
            }
            if (!ws.isEmpty()) {
                lastByReplica.put(r, ws.get(ws.size() - 1).lsn());
            }
        }
        boolean heartbeatDue = System.nanoTime() - lastSentNanos >= config.heartbeatInterval().toNanos();
        if (writes.isEmpty() && !heartbeatDue) {
            return false;
        }
        ReplicateBatch batch = new ReplicateBatch(self.value(), replicas.ringEpoch(), writes);
        batch.setCommittedLsn(committed);
        batch.setAppliedLsn(applied);
        ReplicateResponse response = client.replicate(batch);
        lastSentNanos = System.nanoTime();
        lastByReplica.forEach((r, lsn) -> r.markSent(peer, lsn));
        for (PartitionAck ack : response.getAcks()) {
            replicas.get(ack.getPartition()).filter(r -> r.feeds(peer)).ifPresent(r -> r.onAcks(AckCodec.fromThrift(ack)));
        }
        boolean resent = false;
        for (ResendRequest resend : response.getResend()) {
            var replica = replicas.get(resend.getPartition()).filter(r -> r.feeds(peer));
            if (replica.isPresent()) {
                replica.get().rewind(peer, resend.getAppliedLsn());
                resent = true;
            }
        }
        boolean full = writes.size() >= config.maxBatchWrites() || bytes >= config.maxBatchBytes();
        return full || resent;
    }

    @Override
    protected void onFailure() {
        for (PartitionReplica r : replicas.all()) {
            r.rewindToAcked(peer);
        }
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
