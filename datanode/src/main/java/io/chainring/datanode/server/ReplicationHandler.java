package io.chainring.datanode.server;

import io.chainring.datanode.replication.AckCodec;
import io.chainring.datanode.replication.ChainPosition;
import io.chainring.datanode.replication.PartitionReplica;
import io.chainring.datanode.replication.Replication;
import io.chainring.datanode.storage.ApplyResult;
import io.chainring.datanode.storage.ChainApply;
import io.chainring.datanode.storage.ChainWrite;
import io.chainring.datanode.storage.PartitionStore;
import io.chainring.datanode.storage.ChangePage;
import io.chainring.datanode.storage.KeyedRecord;
import io.chainring.datanode.storage.StorageEngine;
import io.chainring.datanode.storage.VersionedRecord;
import io.chainring.ring.NodeId;
import io.chainring.ring.Partition;
import io.chainring.ring.Ring;
import io.chainring.thrift.AckBatch;
import io.chainring.thrift.ErrorCode;
import io.chainring.thrift.Unauthorized;
import io.chainring.transport.CallContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.chainring.thrift.AckResponse;
import io.chainring.thrift.HeadHandoff;
import io.chainring.thrift.InvalidRequest;
import io.chainring.thrift.PartitionAck;
import io.chainring.thrift.ReplicateBatch;
import io.chainring.thrift.ReplicateResponse;
import io.chainring.thrift.ReplicatedWrite;
import io.chainring.thrift.ReplicationService;
import io.chainring.thrift.ResendRequest;
import io.chainring.thrift.SnapshotChunk;
import io.chainring.thrift.TailReadResult;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.thrift.TException;

/**
 * The {@code replication} service (node to node, DESIGN §6): the write stream, CRAQ tail reads,
 * acks pushed upstream, and catch-up pulls. Fencing (§6.4): a batch is accepted only from the
 * partition's current predecessor (the tail, for a learner) at an epoch no older than the
 * partition's last chain change — else the whole batch is refused with {@code StaleRouting}, so
 * a zombie head cannot write through an old chain.
 */
public final class ReplicationHandler implements ReplicationService.Iface {
    /** Keys examined per catch-up chunk at most, so a filtered pull over a large partition answers in time. */
    private static final int MAX_EXAMINED_PER_CHUNK = 50_000;
    private static final Logger LOG = LoggerFactory.getLogger(ReplicationHandler.class);

    private final NodeId self;
    private final Router router;
    private final Replication replication;
    private final RequestChecks checks;
    private final Duration maxApplyPause;
    private final StorageEngine storage;

    public ReplicationHandler(NodeId self, RingView view, StorageEngine storage, RequestLimits limits, Replication replication) {
        this.self = self;
        this.storage = storage;
        this.router = new Router(self, view, storage::isHealthy);
        this.replication = replication;
        this.checks = new RequestChecks(limits);
        this.maxApplyPause = replication.config().peerTimeout().dividedBy(2);
    }

    @Override
    public ReplicateResponse replicate(ReplicateBatch batch) throws TException {
        return CallGuard.run("replicate", () -> {
            NodeId from = peer(batch == null ? null : batch.getFromNode());
            checkCaller(from, "replicate");
            // a held-back batch is judged by the ring current when it is applied, not when it arrived
            awaitFaults();
            Ring ring = router.ringFor(batch.getRingEpoch());
            Map<Integer, List<ChainWrite>> writes = writesByPartition(batch);
            Map<Integer, Long> committed = batch.isSetCommittedLsn() ? batch.getCommittedLsn() : Map.of();
            Map<Integer, Long> senderApplied = batch.isSetAppliedLsn() ? batch.getAppliedLsn() : Map.of();
            for (Integer p : committed.keySet()) {
                writes.putIfAbsent(p, List.of());
            }
            // check every partition before applying any: a misrouted batch is refused whole
            for (int p : writes.keySet()) {
                checkUpstream(ring, batch.getRingEpoch(), p, from);
                checkCommitted(from, p, committed.get(p), senderApplied.get(p));
            }
            if (batch.getWritesSize() > 0) {
                router.checkTakesWrites(); // at the disk limit: the declared reason, not an internal error
            }
            List<PartitionAck> acks = new ArrayList<>(writes.size());
            List<ResendRequest> resend = new ArrayList<>();
            List<PartitionReplica> receivers = new ArrayList<>(writes.size());
            List<ChainApply> parts = new ArrayList<>(writes.size());
            for (Map.Entry<Integer, List<ChainWrite>> e : writes.entrySet()) {
                PartitionReplica r = replica(ring, e.getKey());
                receivers.add(r);
                parts.add(r.toApply(e.getValue()));
            }
            // every partition's writes in one transaction: one commit for the batch (DESIGN "Storage")
            List<ApplyResult> results = PartitionStore.applyInOrder(parts);
            int i = 0;
            for (Map.Entry<Integer, List<ChainWrite>> e : writes.entrySet()) {
                PartitionReplica r = receivers.get(i);
                long resendAfter = r.received(results.get(i), committed.getOrDefault(e.getKey(), -1L),
                        senderApplied.getOrDefault(e.getKey(), -1L));
                i++;
                if (resendAfter >= 0) {
                    resend.add(new ResendRequest(e.getKey(), resendAfter));
                }
                acks.add(r.ack());
            }
            storage.flushCommits(); // the acks answered are in the OS first (DESIGN "Storage")
            return new ReplicateResponse(acks, resend, ring.epoch());
        });
    }

    @Override
    public TailReadResult tailGet(long ringEpoch, int partition, ByteBuffer key) throws TException {
        return CallGuard.run("tailGet", () -> {
            byte[] k = peerKey(key);
            Ring ring = router.ringFor(ringEpoch);
            Partition p = partition(ring, ringEpoch, partition);
            if (!p.chain().isEmpty() && !p.chain().tail().equals(self)) {
                throw Errors.stale("node " + self + " is not the tail of partition " + partition + " (chain " + p.chain()
                        + " at epoch " + ring.epoch() + ")", ring);
            }
            PartitionReplica r = replica(ring, partition);
            if (!r.tailReady()) {
                throw Errors.notServing("node " + self + " just became the tail of partition " + partition
                        + " and is still receiving committed writes; retry");
            }
            Optional<VersionedRecord> record = r.store().getRecord(k);
            TailReadResult result = new TailReadResult(record.map(VersionedRecord::isLive).orElse(false),
                    record.map(VersionedRecord::version).orElse(0L));
            record.filter(VersionedRecord::isLive).ifPresent(rec -> result.setValue(ByteBuffer.wrap(rec.value())));
            return result;
        });
    }

    @Override
    public AckResponse ack(AckBatch batch) throws TException {
        return CallGuard.run("ack", () -> {
            NodeId from = peer(batch == null ? null : batch.getFromNode());
            checkCaller(from, "ack");
            Ring ring = router.servingRing();
            if (batch.getRingEpoch() > ring.epoch()) {
                ring = router.ringFor(batch.getRingEpoch());
            }
            for (PartitionAck ack : batch.getAcks() == null ? List.<PartitionAck>of() : batch.getAcks()) {
                int p = ack.getPartition();
                if (p < 0 || p >= ring.partitionCount() || batch.getRingEpoch() < ring.partition(p).changedAt()) {
                    continue; // acks about another chain are of no use here
                }
                ChainPosition here = ChainPosition.of(ring.partition(p), self);
                // from the successor (or a learner, at the tail); at the head, from the tail too (ChainPosition#ackTargets)
                if (here.downstream().contains(from) || (here.isHead() && here.below().contains(from))) {
                    Optional<PartitionReplica> r = replication.replica(ring, p);
                    if (r.isPresent()) {
                        Map<NodeId, Long> applied = AckCodec.fromThrift(ack);
                        Optional<String> impossible = r.get().impossibleAck(applied);
                        if (impossible.isPresent()) {
                            LOG.warn("node {}: refusing an ack from {}: {}", self, from, impossible.get());
                            throw Errors.invalid("refused: " + impossible.get());
                        }
                        r.get().onAcks(applied);
                    }
                }
            }
            return new AckResponse(ring.epoch());
        });
    }

    /**
     * Asked of this node as a partition's new head by the head a ring change dropped while alive:
     * from which LSN this node writes and what is committed (DESIGN §7 drop step).
     */
    @Override
    public HeadHandoff handoff(long ringEpoch, int partition) throws TException {
        return CallGuard.run("handoff", () -> {
            Ring ring = router.ringFor(ringEpoch);
            Partition p = partition(ring, ringEpoch, partition);
            PartitionReplica r = replica(ring, partition);
            PartitionReplica.HandoffPoint point = r.handoffPoint().orElseThrow(() -> Errors.stale("node " + self
                    + " is not the head of partition " + partition + " (chain " + p.chain() + " at epoch " + ring.epoch() + ")", ring));
            return new HeadHandoff(ring.epoch(), point.headFromLsn(), point.committedLsn());
        });
    }

    @Override
    public SnapshotChunk catchUp(long ringEpoch, String requester, int partition, ByteBuffer startAfter, int maxBytes,
                                 long afterVersion) throws TException {
        return CallGuard.run("catchUp", () -> {
            NodeId to = peer(requester);
            checkCaller(to, "catchUp");
            byte[] cursor = checks.cursor(startAfter);
            if (maxBytes < 1 || afterVersion < 0) {
                throw Errors.invalid("catch-up needs a positive maxBytes and a non-negative afterVersion: " + maxBytes + ", " + afterVersion);
            }
            Ring ring = router.ringFor(ringEpoch);
            Partition p = partition(ring, ringEpoch, partition);
            // positions the replica first: a new learner's live stream starts before the first chunk is read
            PartitionReplica r = replica(ring, partition);
            if (!ChainPosition.of(p, self).downstream().contains(to)) {
                throw Errors.stale("node " + to + " is not downstream of " + self + " in partition " + partition
                        + " (chain " + p.chain() + ", learners " + p.learners() + " at epoch " + ring.epoch() + ")", ring);
            }
            long budget = Math.min(maxBytes, checks.limits().maxResponseBytes());
            ChangePage page = r.store().changesAfter(cursor, afterVersion, budget, MAX_EXAMINED_PER_CHUNK);
            List<ReplicatedWrite> records = new ArrayList<>(page.records().size());
            for (KeyedRecord kr : page.records()) {
                ReplicatedWrite w = new ReplicatedWrite(partition, kr.record().version(), ByteBuffer.wrap(kr.key()));
                if (kr.record().isLive()) {
                    w.setValue(ByteBuffer.wrap(kr.record().value()));
                }
                records.add(w);
            }
            SnapshotChunk chunk = new SnapshotChunk(records, page.done(), page.appliedLsn());
            if (page.resumeAfter() != null) {
                chunk.setResumeAfter(page.resumeAfter());
            }
            return chunk;
        });
    }

    /**
     * A request's self-declared node must be the member its connection proved (DESIGN: Security);
     * on a server without a cluster secret nothing was proved and nothing is checked.
     */
    private void checkCaller(NodeId claimed, String operation) throws Unauthorized {
        Optional<String> member = CallContext.member();
        if (member.isPresent() && !member.get().equals(claimed.value())) {
            LOG.warn("node {}: refusing {} that names node {} from a connection authenticated as {}", self, operation, claimed, member.get());
            throw new Unauthorized(ErrorCode.UNAUTHORIZED, operation + " names node " + claimed
                    + " but the connection authenticated as " + member.get());
        }
    }

    /**
     * A sender cannot know committed more than it applied itself: committed means a tail below it
     * applied it, and everything below it got its writes through it. Such a batch is refused
     * whole, before anything of it is applied.
     */
    private void checkCommitted(NodeId from, int partition, Long committed, Long applied) throws TException {
        if (committed != null && applied != null && committed > applied) {
            LOG.warn("node {}: refusing a batch from {}: partition {} committed LSN {} above the sender's applied LSN {}",
                    self, from, partition, committed, applied);
            throw Errors.invalid("refused: partition " + partition + "'s committed LSN " + committed
                    + " is above the sender's own applied LSN " + applied);
        }
    }

    private void checkUpstream(Ring ring, long batchEpoch, int partition, NodeId from) throws TException {
        Partition p = partition(ring, batchEpoch, partition);
        Optional<NodeId> upstream = ChainPosition.of(p, self).upstream();
        if (upstream.isEmpty() || !upstream.get().equals(from)) {
            throw Errors.stale("node " + from + " may not replicate partition " + partition + " to " + self + ": chain "
                    + p.chain() + ", learners " + p.learners() + " at epoch " + ring.epoch()
                    + (upstream.map(u -> "; this node receives it from " + u).orElse("; this node receives it from nobody")), ring);
        }
    }

    private Partition partition(Ring ring, long callerEpoch, int partition) throws TException {
        if (partition < 0 || partition >= ring.partitionCount()) {
            throw Errors.badPeerRequest("partition " + partition + " is out of range 0.." + (ring.partitionCount() - 1));
        }
        Partition p = ring.partition(partition);
        if (callerEpoch < p.changedAt()) {
            throw Errors.stale("caller's ring epoch " + callerEpoch + " is older than partition " + partition
                    + "'s chain, which changed at epoch " + p.changedAt(), ring);
        }
        return p;
    }

    private PartitionReplica replica(Ring ring, int partition) throws TException {
        return replication.replica(ring, partition)
                .orElseThrow(() -> Errors.notServing("node " + self + " holds no replica of partition " + partition + " yet"));
    }

    private void awaitFaults() throws TException {
        try {
            if (!replication.config().faults().awaitApplyAllowed(maxApplyPause)) {
                throw Errors.notServing("node " + self + ": applying replicated writes is paused (test fault)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Errors.notServing("node " + self + " is stopping");
        }
    }

    /**
     * A key a peer sent: out of limits is a peer's bug, answered as a protocol error (tailGet declares
     * no InvalidRequest; FrameFuzzIT found it logged as an unexpected failure with a stack trace).
     */
    private byte[] peerKey(ByteBuffer key) throws TException {
        try {
            return checks.key(key);
        } catch (InvalidRequest e) {
            throw Errors.badPeerRequest(e.getMessage());
        }
    }

    private static NodeId peer(String id) throws TException {
        try {
            return NodeId.of(id);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw Errors.badPeerRequest("invalid node id in a replication request: " + e.getMessage());
        }
    }

    private static Map<Integer, List<ChainWrite>> writesByPartition(ReplicateBatch batch) throws TException {
        Map<Integer, List<ChainWrite>> out = new TreeMap<>();
        if (batch.getWrites() == null) {
            return out;
        }
        for (ReplicatedWrite w : batch.getWrites()) {
            if (w == null || w.getKey() == null || w.getKey().length == 0 || w.getLsn() < 1) {
                throw Errors.badPeerRequest("malformed replicated write (missing key or LSN below 1)");
            }
            out.computeIfAbsent(w.getPartition(), p -> new ArrayList<>())
                    .add(new ChainWrite(w.getPartition(), w.getLsn(), w.getKey(), w.isSetValue() ? w.getValue() : null,
                            w.isSetRequestId() ? w.getRequestId() : null));
        }
        return out;
    }
}
