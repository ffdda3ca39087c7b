package io.chainring.datanode.replication;

import io.chainring.datanode.storage.ApplyResult;
import io.chainring.datanode.storage.ChainApply;
import io.chainring.datanode.storage.ChainWrite;
import io.chainring.datanode.storage.PartitionStore;
import io.chainring.datanode.storage.WriteObserver;
import io.chainring.ring.NodeId;
import io.chainring.thrift.PartitionAck;
import io.chainring.thrift.WriteAck;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One partition's chain replication state at this node (DESIGN §6): its position in the chain,
 * the writes it holds for downstream ({@link InFlightLog}), what it knows of everyone's progress
 * ({@link AckState}), head clients waiting for acks, send cursors per downstream node, the read
 * fences ({@link ReadFences}), and learner catch-up progress ({@link CatchUpState}).
 *
 * <p>It observes the partition's writes ({@link WriteObserver}) under the store's write lock;
 * so the lock order is always store, then replica: no method here calls into the store's write
 * path while holding the replica's monitor.
 */
public final class PartitionReplica implements WriteObserver {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionReplica.class);

    /** What the replica needs from the node around it. */
    interface Signals {
        /** New writes (or a new cursor) of {@code partition} for the stream to {@code target}. */
        void wakeSender(NodeId target, int partition);

        /** Acks of {@code partition} worth relaying to {@code upstream}. */
        void wakeAcks(NodeId upstream, int partition);

        /** A pass must fetch what this replica lacks (learner join, or a gap the predecessor cannot fill). */
        void startCatchUp(PartitionReplica replica, boolean learnerJoin);

        /** Client writes of a head that left must be settled by the new head's answer. */
        default void handOff(Handoff handoff) {
            for (AckWaiters.Pending p : handoff.waiting()) {
                p.future().completeExceptionally(new WriteOutcomeUnknown("the node left the head of partition "
                        + handoff.partition() + "; the write's outcome is unknown"));
            }
        }
    }

    private final int id;
    private final NodeId self;
    private final PartitionStore store;
    private final Clock clock;
    private final Signals signals;
    private final long gapTimeoutMillis;
    /** Most committed writes kept only for lagging learners; beyond it a learner falls back to a catch-up pass. */
    private final int maxRetained;
    private final InFlightLog log = new InFlightLog();
    private final AckWaiters waiters = new AckWaiters();
    private final Map<NodeId, Long> cursors = new HashMap<>();
    private final CatchUpState catchUp = new CatchUpState();
    private final CatchUpProgress progress = new CatchUpProgress();
    private final GapWatch gap = new GapWatch();
    private ChainPosition position;
    private final AckState acks;
    private final ReadFences fences = new ReadFences();
    private boolean positioned;
    /** As head: the applied LSN it had when it became head (it writes from the next one); -1 otherwise. */
    private long headFrom = -1;
    /** After this node left the head position to its successor: that node, which settles late waiters; else null. */
    private NodeId handedTo;
    private long lastSenderCommitted;

    PartitionReplica(NodeId self, PartitionStore store, Clock clock, Signals signals, long gapTimeoutMillis) {
        this(self, store, clock, signals, gapTimeoutMillis, ReplicationConfig.defaults().maxInFlightWrites());
    }

    PartitionReplica(NodeId self, PartitionStore store, Clock clock, Signals signals, long gapTimeoutMillis, int maxRetained) {
        this.id = store.id();
        this.self = Objects.requireNonNull(self, "self");
        this.store = store;
        this.clock = clock;
        this.signals = signals;
        this.gapTimeoutMillis = gapTimeoutMillis;
        this.maxRetained = maxRetained;
        this.position = ChainPosition.none(self, id, 0);
        this.acks = new AckState(position);
        acks.report(self, store.appliedLsn());
        acks.raiseCommitted(store.committedLsn());
    }

    public int id() {
        return id;
    }

    public PartitionStore store() {
        return store;
    }

    public synchronized ChainPosition position() {
        return position;
    }

    // ---------------------------------------------------------------- ring changes

    /**
     * What the caller must do outside the replica's monitor after a reposition.
     *
     * @param handoff client writes this node, a head that left, leaves to its successor's answer (or null)
     */
    record Transition(boolean becameHead, boolean startLearnerCatchUp, List<NodeId> wakeSenders, NodeId wakeAcks,
                      Handoff handoff) {
    }

    /** Client writes waiting at a head that left, and the new head (its successor) that settles them. */
    record Handoff(int partition, NodeId newHead, List<AckWaiters.Pending> waiting) {
    }

    /** A head's answer to its dropped predecessor (DESIGN §7 drop step). */
    public record HandoffPoint(long headFromLsn, long committedLsn) {
    }

    /** Follows a new chain for the partition (DESIGN §6.4: head, middle, tail lost; learner added or promoted). */
    synchronized Transition reposition(ChainPosition next) {
        return reposition(next, next.chain());
    }

    /**
     * Like {@link #reposition(ChainPosition)}; {@code newChain} is the partition's new chain even
     * when this node has no place in it (a dropped head hands its waiting writes to the new head).
     */
    synchronized Transition reposition(ChainPosition next, List<NodeId> newChain) {
        ChainPosition prev = positioned ? position : null;
        positioned = true;
        position = next;
        acks.reposition(next);
        Handoff handoff = null;
        if (next.isHead()) {
            handedTo = null;
        } else if (prev != null && prev.isHead()) {
            // a planned drop: the successor heads the new chain and can tell which of these writes it has
            Optional<NodeId> successor = prev.asChain().successorOf(self);
            handedTo = successor.isPresent() && !newChain.isEmpty() && newChain.get(0).equals(successor.get())
                    ? successor.get() : null;
            if (handedTo != null && waiters.size() > 0) {
                handoff = new Handoff(id, handedTo, waiters.drain());
            }
        }
        if (!next.isHead()) {
            headFrom = -1;
        }
        if (!next.isMember() && !next.isLearner()) {
            waiters.failAll(new WriteOutcomeUnknown("node " + self + " left the chain of partition " + id
                    + " (chain " + next.chain() + "); the write's outcome is unknown"));
            cursors.clear();
            log.clear();
            return new Transition(false, false, List.of(), null, handoff);
        }
        long applied = store.appliedLsn();
        boolean wasMember = prev != null && prev.isMember();
        boolean becameHead = next.isHead() && (prev == null || !prev.isHead());
        if (next.isMember() && !next.isTail() && !wasMember) {
            // after a restart or a join the dirty marks of what this node applied are unknown
            fences.unknownDirtyUpTo(applied);
        }
        if (next.isMember() && prev != null && !wasMember) {
            fences.joined(!next.isHead());
        }
        if (next.isHead()) {
            // a head has no predecessor to hear from: a promoted tail whose predecessors were all
            // dropped (R = 1, or every upstream node moved away) holds everything committed in its chain
            fences.heardPredecessor();
        }
        boolean startLearner = next.isLearner() && (prev == null || !prev.isLearner());
        if (startLearner) {
            catchUp.begin();
            log.clear(); // what it held as a member is not sent anywhere from a learner
        }
        if (next.isTail()) {
            advanceCommitted(acks.appliedBy(self));
        }
        retarget(next);
        advanceCommitted(acks.committed());
        return new Transition(becameHead, startLearner, next.downstream(), next.upstream().orElse(null), handoff);
    }

    private void retarget(ChainPosition next) {
        cursors.keySet().retainAll(next.downstream());
        for (NodeId t : next.downstream()) {
            if (cursors.containsKey(t)) {
                continue;
            }
            long start;
            if (next.learners().contains(t)) {
                // a new learner's stream starts now: what is applied here it gets from the catch-up pull
                start = acks.appliedBy(self);
                acks.report(t, start);
            } else {
                // a new successor holds at least what is committed; the rest is resent (duplicates are skipped)
                start = acks.knows(t) ? acks.appliedBy(t) : acks.committed();
            }
            cursors.put(t, Math.max(start, log.firstLsn() - 1));
        }
    }

    /** This replica became head and writes from after {@code appliedLsn}. */
    synchronized void becameHeadFrom(long appliedLsn) {
        if (position.isHead()) {
            headFrom = appliedLsn;
        }
    }

    /** As head: from where it writes and what is committed; empty when not head (or not yet settled as head). */
    public synchronized Optional<HandoffPoint> handoffPoint() {
        if (!position.isHead() || headFrom < 0) {
            return Optional.empty();
        }
        return Optional.of(new HandoffPoint(headFrom, acks.committed()));
    }

    // ---------------------------------------------------------------- writes (observer, under the store's lock)

    @Override
    public void prepared(ChainWrite write) {
        synchronized (this) {
            if (!position.isTail()) {
                log.markDirty(write.key(), write.lsn());
            }
        }
    }

    @Override
    public void committed(ChainWrite write) {
        List<NodeId> wake;
        synchronized (this) {
            acks.report(self, write.lsn());
            wake = position.downstream();
            if (!wake.isEmpty()) {
                log.append(write, clock.millis());
            }
            if (position.isTail()) {
                advanceCommitted(write.lsn());
            } else {
                waiters.completeMet(acks);
            }
        }
        for (NodeId t : wake) {
            signals.wakeSender(t, id);
        }
    }

    /** A future completed once the write at {@code lsn} meets the ack level. */
    public CompletableFuture<Long> awaitAck(long lsn, WriteAck level) {
        Handoff late;
        CompletableFuture<Long> f;
        synchronized (this) {
            f = waiters.add(lsn, level);
            waiters.completeMet(acks);
            if (handedTo == null || position.isHead()) {
                return f;
            }
            // the write was applied while the ring change took the head role away: the new head's
            // answer tells whether it got the write before that
            late = new Handoff(id, handedTo, waiters.drain());
        }
        signals.handOff(late);
        return f;
    }

    /** Writes in flight here (above the committed LSN). */
    public synchronized int inFlight() {
        return log.uncommitted();
    }

    // ---------------------------------------------------------------- the stream, receiving side

    /** Like {@link #receive(List, long, long)} without the sender's applied LSN. */
    public long receive(List<ChainWrite> writes, long senderCommitted) {
        return receive(writes, senderCommitted, -1);
    }

    /**
     * Applies a batch's writes for this partition from upstream, in LSN order. Returns the LSN to
     * ask the sender to resend after, or -1 when nothing must be resent. This replica is behind
     * — a gap — when a write skipped an LSN or when it stays below what the sender applied or
     * knows committed; a gap that resends do not close within the gap timeout starts a catch-up
     * pass from the sender.
     *
     * @param senderCommitted the sender's committed LSN, or -1 when the batch carried none
     * @param senderApplied   the sender's applied LSN when it built the batch, or -1 when unknown
     */
    public long receive(List<ChainWrite> writes, long senderCommitted, long senderApplied) {
        return received(store.applyInOrder(writes, overrides(), this), senderCommitted, senderApplied);
    }

    /** This replica's part of a batch that several partitions apply in one transaction; then {@link #received}. */
    public ChainApply toApply(List<ChainWrite> writes) {
        return new ChainApply(store, writes, overrides(), this);
    }

    /** After this replica's part of a batch was applied: like {@link #receive(List, long, long)}, with its result. */
    public long received(ApplyResult result, long senderCommitted, long senderApplied) {
        if (result.applied() > 0) {
            tellHeadDirectly();
        }
        boolean startPass = false;
        long resendAfter = -1;
        synchronized (this) {
            if (senderCommitted >= 0) {
                lastSenderCommitted = senderCommitted;
                fences.heardPredecessor();
                advanceCommitted(senderCommitted);
            }
            long applied = result.appliedLsn();
            boolean behind = result.gap() || applied < senderCommitted || applied < senderApplied;
            if (!behind) {
                gap.clear();
                catchUp.heard(true);
            } else if (!catchUp.running()) {
                if (gap.stuck(applied, clock.millis(), gapTimeoutMillis)) {
                    catchUp.startGapPass();
                    startPass = true;
                    gap.clear();
                } else {
                    resendAfter = applied;
                }
                catchUp.heard(false);
            }
        }
        if (startPass) {
            signals.startCatchUp(this, false);
        }
        return resendAfter;
    }

    /** As the tail of a chain of three or more: the head hears of applied writes from here at once ({@link ChainPosition#ackTargets}). */
    private void tellHeadDirectly() {
        NodeId head;
        synchronized (this) {
            List<NodeId> targets = position.ackTargets();
            head = targets.size() > 1 ? targets.get(1) : null;
        }
        if (head != null) {
            signals.wakeAcks(head, id);
        }
    }

    /**
     * Why acks from downstream cannot be true, if so: a node below this one claims an LSN above this
     * node's own applied LSN, but everything below holds only what passed through here. Accepting
     * it would raise the committed LSN past what the chain holds (issue 12: a forged ack made a
     * head acknowledge a write its frozen middle never had).
     */
    public synchronized Optional<String> impossibleAck(Map<NodeId, Long> applied) {
        long own = store.appliedLsn();
        for (Map.Entry<NodeId, Long> e : applied.entrySet()) {
            if (!e.getKey().equals(self) && e.getValue() > own) {
                return Optional.of("an ack for partition " + id + " claims node " + e.getKey() + " applied LSN " + e.getValue()
                        + ", above what " + self + " applied (" + own + ") and could have passed down");
            }
        }
        return Optional.empty();
    }

    /**
     * Acks from a node downstream: applied LSNs of it and the nodes below it. Returns whether
     * anything was news. Impossible acks ({@link #impossibleAck}) are ignored whole and logged.
     */
    public boolean onAcks(Map<NodeId, Long> applied) {
        NodeId relay;
        boolean news = false;
        synchronized (this) {
            Optional<String> impossible = impossibleAck(applied);
            if (impossible.isPresent()) {
                LOG.warn("node {}: ignoring {}", self, impossible.get());
                return false;
            }
            for (Map.Entry<NodeId, Long> e : applied.entrySet()) {
                news |= acks.report(e.getKey(), e.getValue());
            }
            if (news) {
                advanceCommitted(acks.committed());
            }
            relay = position.relaysAcks() ? position.upstream().orElse(null) : null;
        }
        if (news && relay != null) {
            signals.wakeAcks(relay, id);
        }
        return news;
    }

    /** Acks from a node downstream, in wire form. */
    public boolean onAcks(PartitionAck ack) {
        return onAcks(AckCodec.fromThrift(ack));
    }

    /** This node's and its downstream nodes' applied LSNs, in wire form. */
    public PartitionAck ack() {
        return AckCodec.toThrift(id, selfAndBelow());
    }

    /** This node's and its downstream nodes' applied LSNs, for acks sent upstream. */
    public synchronized Map<NodeId, Long> selfAndBelow() {
        acks.report(self, store.appliedLsn());
        return acks.selfAndBelow();
    }

    // ---------------------------------------------------------------- the stream, sending side

    /** The next writes for {@code target} after its cursor; empty when none or when it is no longer downstream. */
    public List<ChainWrite> nextToSend(NodeId target, int maxCount, long maxBytes) {
        return outbound(target, maxCount, maxBytes).writes();
    }

    /**
     * What goes to {@code target} in the next batch: the writes after its cursor, and this
     * node's applied and committed LSNs read together with them (a receiver left below the
     * applied LSN knows it has a gap).
     */
    synchronized Outbound outbound(NodeId target, int maxCount, long maxBytes) {
        Long cursor = cursors.get(target);
        List<ChainWrite> writes = cursor == null || maxCount <= 0 ? List.of() : log.after(cursor, maxCount, maxBytes);
        return new Outbound(writes, acks.appliedBy(self), acks.committed());
    }

    /** A batch's part for one partition. */
    record Outbound(List<ChainWrite> writes, long applied, long committed) {
    }

    /** {@code target} received everything up to {@code lsn}. */
    public synchronized void markSent(NodeId target, long lsn) {
        cursors.computeIfPresent(target, (t, c) -> Math.max(c, lsn));
    }

    /** Sends to {@code target} again from after {@code lsn} (its gap reply, or a failed call). */
    public synchronized void rewind(NodeId target, long lsn) {
        if (cursors.containsKey(target)) {
            cursors.put(target, Math.max(lsn, 0));
        }
    }

    /** Rewinds the stream to {@code target} to what it is known to have applied (after a failed call). */
    public synchronized void rewindToAcked(NodeId target) {
        if (cursors.containsKey(target)) {
            cursors.put(target, acks.appliedBy(target));
        }
    }

    public synchronized boolean feeds(NodeId target) {
        return cursors.containsKey(target);
    }

    public synchronized long committed() {
        return acks.committed();
    }

    // ---------------------------------------------------------------- reads

    /**
     * CRAQ (DESIGN §6.3): whether a LINEARIZABLE read of the key must ask the tail. Check after
     * reading the local value: a write is marked dirty before it commits locally.
     */
    public synchronized boolean readNeedsTail(byte[] key) {
        if (position.isTail()) {
            return false;
        }
        return fences.mustAskTail(log.isDirty(key), acks.committed(), store.appliedLsn());
    }

    /** Whether this tail may answer reads: it holds everything known committed. */
    public synchronized boolean tailReady() {
        return position.isTail() && fences.tailMayAnswer(acks.committed(), store.appliedLsn());
    }

    // ---------------------------------------------------------------- catch-up

    CatchUpState catchUp() {
        return catchUp;
    }

    CatchUpProgress progress() {
        return progress;
    }

    /** Overrides for writes to suspect keys (learner after a divergent suffix): they replace whatever is stored. */
    Predicate<byte[]> overrides() {
        return catchUp.suspects()::clear;
    }

    /** A pass finished: everything up to {@code applied} is held here; records up to {@code highest} were merged unmarked. */
    void passDone(long highest) {
        NodeId relay;
        synchronized (this) {
            if (!position.isTail()) {
                fences.unknownDirtyUpTo(highest);
            }
            acks.report(self, store.appliedLsn());
            catchUp.finish();
            gap.clear();
            relay = position.upstream().orElse(null);
        }
        if (relay != null) {
            signals.wakeAcks(relay, id);
        }
    }

    /**
     * Prepares a learner's catch-up (DESIGN §6.4 rejoin; call outside the monitor, it writes JE).
     * A learner trusts its own data only up to what it knew committed and held in order: records
     * above may be a divergent suffix (written when it was head or upstream of a lost tail, never
     * committed, LSNs since reused by a new head). Those keys become suspects; the applied LSN
     * drops to the trusted point so the pass fetches everything above it. Returns that point.
     */
    long prepareLearner() {
        long trusted = Math.min(store.appliedLsn(), committed());
        Suspects suspects = catchUp.suspects();
        suspects.reset();
        for (byte[] key : store.keysAbove(trusted)) {
            suspects.add(key);
        }
        store.forgetRecentRequests();
        store.setAppliedLsn(trusted);
        synchronized (this) {
            acks.setSelf(trusted);
            gap.clear();
        }
        return trusted;
    }

    synchronized void passFailed() {
        catchUp.fail();
    }

    // ---------------------------------------------------------------- stats

    /** A consistent view for node-admin stats. */
    public synchronized ReplicaStatus status() {
        long applied = store.appliedLsn();
        boolean caughtUp = position.isLearner() && catchUp.caughtUp() && applied >= lastSenderCommitted;
        CatchUpProgress.Snapshot pass = progress.snapshot();
        return new ReplicaStatus(id, position.role(), position.index(), store.keyCount(), store.lastLsn(),
                acks.committed(), applied, log.uncommitted(), log.oldestUncommittedMillis(clock.millis()), caughtUp,
                position.isLearner() ? catchUp.suspects().size() : 0, pass.keys(), pass.bytes(), pass.startedMillis(),
                store.dataBytes());
    }

    /** Persists the committed LSN now. Called outside the monitor (it writes JE). */
    void flushCommitted() {
        store.flushCommitted();
    }

    private void advanceCommitted(long lsn) {
        acks.raiseCommitted(lsn);
        long committed = acks.committed();
        log.commitUpTo(committed);
        log.trimUpTo(acks.retainFloor());
        if (log.size() - log.uncommitted() > maxRetained) {
            // a learner lags too far: stop holding committed writes for it (its gap turns into a catch-up pass)
            log.trimUpTo(committed);
        }
        store.noteCommitted(committed);
        waiters.completeMet(acks);
    }
}
