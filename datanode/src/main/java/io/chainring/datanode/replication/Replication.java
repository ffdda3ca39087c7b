package io.chainring.datanode.replication;

import java.util.function.LongSupplier;
import io.chainring.datanode.storage.StorageEngine;
import io.chainring.metadata.ThrottleStore;
import io.chainring.ring.NodeId;
import io.chainring.ring.Partition;
import io.chainring.ring.Ring;
import io.chainring.transport.EventLoops;
import io.chainring.transport.MemberHandshake;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chain replication at one datanode (DESIGN §6): a {@link PartitionReplica} per partition the
 * node stores, positioned by the newest ring; a {@link StreamSender} per downstream node and an
 * {@link AckPusher} per upstream node, each carried by a {@link PeerLink} on the server's event loops; learner and gap catch-up on a {@link CatchUpRunner}.
 *
 * <p>{@link #onRing} is idempotent and only moves forward; request paths call
 * {@link #replica(Ring, int)}, which applies a newer ring first, so no request is judged by a
 * ring whose chain changes have not been applied to the replicas yet.
 */
public final class Replication implements ReplicaDirectory, PartitionReplica.Signals, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Replication.class);
    /** How often the rebalance rate adapts to the foreground's latency. */
    private static final long ADJUST_MILLIS = 250;

    /** Where rings come from: the newest one seen, and a re-read of the source. */
    public interface RingSource {
        Optional<Ring> current();

        Optional<Ring> refresh();
    }

    private final NodeId self;
    private final StorageEngine storage;
    private final RingSource rings;
    private final ReplicationConfig config;
    private final Clock clock;
    private final int maxFrameBytes;
    private final Map<Integer, PartitionReplica> replicas = new ConcurrentHashMap<>();
    private final Map<NodeId, Linked<StreamSender>> senders = new ConcurrentHashMap<>();
    private final Map<NodeId, Linked<AckPusher>> pushers = new ConcurrentHashMap<>();
    /** The event loops the streams run on: the server's, or this node's own when it has none to share. */
    private final EventLoops loops;
    private final Optional<EventLoops> ownLoops;
    private final PeerLink.Peers linkPeers;
    private final PeerClients peers;
    private final CatchUpRunner catchUp;
    private final HeadHandoffs handoffs;
    private final ScheduledExecutorService housekeeping;
    private final Object applyLock = new Object();
    /** The node's catch-up budgets (DESIGN §7): repair's, and rebalance's under the cluster's throttle. */
    private final CatchUpBudgets budgets = new CatchUpBudgets(ThrottleStore.DEFAULT_BYTES_PER_SECOND);
    private final AtomicLong catchUpBytes = new AtomicLong();
    /** Deletions of replicas the node left, pending their grace period, by partition. */
    private final Map<Integer, ScheduledFuture<?>> drops = new ConcurrentHashMap<>();
    private volatile Ring ring;
    private volatile boolean closed;

    public Replication(NodeId self, StorageEngine storage, RingSource rings, ReplicationConfig config, int maxFrameBytes, Clock clock) {
        this(self, storage, rings, config, maxFrameBytes, clock, Optional.empty());
    }

    /**
     * @param credentials this node's cluster-member credentials for the connections it opens to
     *                    its peers (DESIGN: Security); empty in a cluster without a secret
     */
    public Replication(NodeId self, StorageEngine storage, RingSource rings, ReplicationConfig config, int maxFrameBytes, Clock clock,
                       Optional<MemberHandshake.Credentials> credentials) {
        this(self, storage, rings, config, maxFrameBytes, clock, credentials, Optional.empty());
    }

    /**
     * @param loops the event loops of the node's server, which the streams to and from its peers
     *              share (DESIGN "Threads"); the caller closes them after this
     */
    public Replication(NodeId self, StorageEngine storage, RingSource rings, ReplicationConfig config, int maxFrameBytes, Clock clock,
                       Optional<MemberHandshake.Credentials> credentials, EventLoops loops) {
        this(self, storage, rings, config, maxFrameBytes, clock, credentials, Optional.of(loops));
    }

    private Replication(NodeId self, StorageEngine storage, RingSource rings, ReplicationConfig config, int maxFrameBytes, Clock clock,
                        Optional<MemberHandshake.Credentials> credentials, Optional<EventLoops> shared) {
        this.self = Objects.requireNonNull(self, "self");
        this.storage = Objects.requireNonNull(storage, "storage");
        this.rings = Objects.requireNonNull(rings, "rings");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxFrameBytes = maxFrameBytes;
        this.peers = new PeerClients(() -> Optional.ofNullable(ring), (int) config.peerTimeout().toMillis(), maxFrameBytes,
                Objects.requireNonNull(credentials, "credentials"));
        this.catchUp = new CatchUpRunner(self, new CatchUpPass(self, peers, this::ringEpoch, config.catchUpChunkBytes(),
                budgets::isClosed, catchUpBytes::addAndGet, clock), budgets, this::replicationFactor);
        this.handoffs = new HeadHandoffs(self, peers, this::ringEpoch, config.writeTimeout());
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "replication-housekeeping-" + self);
            t.setDaemon(true);
            return t;
        });
        this.ownLoops = shared.isPresent() ? Optional.empty() : Optional.of(EventLoops.create("replication-" + self, 1));
        this.loops = shared.orElseGet(ownLoops::get);
        this.linkPeers = new PeerLink.Peers(loops, peers, maxFrameBytes, config.peerTimeout(), housekeeping, this::refreshRing);
        housekeeping.scheduleWithFixedDelay(this::flushCommitted, 1, 1, TimeUnit.SECONDS);
        housekeeping.scheduleWithFixedDelay(budgets::adjust, ADJUST_MILLIS, ADJUST_MILLIS, TimeUnit.MILLISECONDS);
    }

    public NodeId self() {
        return self;
    }

    public ReplicationConfig config() {
        return config;
    }

    /**
     * Sets the cap on rebalance copies in bytes per second (0 = unlimited, no adaptation); passes
     * pulling now follow it at once. Below the cap the rate adapts to the foreground's latency.
     */
    public void setThrottle(long bytesPerSecond) {
        long before = budgets.cap();
        budgets.setCap(bytesPerSecond);
        if (before != bytesPerSecond) {
            LOG.info("node {}: catch-up throttle (rebalance cap) {} bytes/s (was {}; 0 = unlimited)", self, bytesPerSecond, before);
        }
    }

    /** The cluster's cap on rebalance copies, bytes per second; 0 = unlimited. */
    public long throttleBytesPerSecond() {
        return budgets.cap();
    }

    /** The rebalance copy rate in force now (adapted below the cap), bytes per second; 0 = unlimited. */
    public long rebalanceBytesPerSecond() {
        return budgets.rebalanceRate();
    }

    /** Sets the repair budget in bytes per second (0 = unlimited): learners of chains below R. */
    public void setRepairBudget(long bytesPerSecond) {
        budgets.setRepairRate(bytesPerSecond);
    }

    public long repairBytesPerSecond() {
        return budgets.repairRate();
    }

    /** Where the client p99 of the last second comes from (microseconds; 0 = no requests): the adaptive throttle's signal. */
    public void foregroundLatency(LongSupplier p99Micros) {
        budgets.foregroundLatency(p99Micros);
    }

    private int replicationFactor() {
        Ring r = ring;
        return r == null ? 0 : r.replication();
    }

    /** Key+value bytes received by catch-up passes since the node started. */
    public long catchUpBytesTotal() {
        return catchUpBytes.get();
    }

    /** Pooled connections to other datanodes (CRAQ tail reads). */
    public PeerClients peers() {
        return peers;
    }

    /**
     * Positions every replica by the ring, if it is newer than the last one applied: opens the
     * stores of partitions the node joins, prepares learners, starts and stops streams.
     */
    public void onRing(Ring next) {
        synchronized (applyLock) {
            Ring current = ring;
            if (closed || (current != null && next.epoch() <= current.epoch())) {
                return;
            }
            Set<NodeId> wakeSenders = new HashSet<>();
            Set<NodeId> wakeAcks = new HashSet<>();
            List<PartitionReplica> learners = new ArrayList<>();
            List<PartitionReplica.Handoff> handedOff = new ArrayList<>();
            for (Partition p : next.partitions()) {
                boolean involved = p.involves(self);
                PartitionReplica replica = replicas.get(p.id());
                if (!involved && replica == null) {
                    continue;
                }
                if (replica == null) {
                    replica = new PartitionReplica(self, storage.partition(p.id()), clock, this, config.gapTimeout().toMillis(),
                            config.maxInFlightWrites());
                    replicas.put(p.id(), replica);
                }
                ChainPosition position = involved ? ChainPosition.of(p, self) : ChainPosition.none(self, p.id(), p.changedAt());
                PartitionReplica.Transition t = replica.reposition(position, p.chain().members());
                if (involved) {
                    cancelDrop(p.id());
                } else {
                    scheduleDrop(p.id());
                }
                if (t.becameHead()) {
                    replica.becameHeadFrom(replica.store().continueFromApplied());
                }
                if (t.handoff() != null) {
                    handedOff.add(t.handoff());
                }
                if (t.startLearnerCatchUp()) {
                    long trusted = replica.prepareLearner();
                    LOG.info("node {}: learner of partition {}: trusting its data up to LSN {}, {} suspect keys above it",
                            self, replica.id(), trusted, replica.catchUp().suspects().size());
                    learners.add(replica);
                }
                wakeSenders.addAll(t.wakeSenders());
                if (t.wakeAcks() != null) {
                    wakeAcks.add(t.wakeAcks());
                }
            }
            if (current == null) {
                // partitions stored before a restart that this node no longer has a place in
                for (int id : storage.storedPartitions()) {
                    if (id < next.partitionCount() && !next.partition(id).involves(self)) {
                        scheduleDrop(id);
                    }
                }
            }
            ring = next;
            // pulls carry the ring epoch: start them only once it is the new one
            learners.forEach(r -> catchUp.start(r, true));
            handedOff.forEach(handoffs::settle);
            reconcileWorkers();
            wakeSenders.forEach(this::wakeSender);
            wakeAcks.forEach(this::wakeAcks);
        }
    }

    /**
     * The partition's replica positioned by at least this ring (applying it first if it is newer
     * than the last applied), or empty when the node does not store the partition.
     */
    public Optional<PartitionReplica> replica(Ring atLeast, int partition) {
        Ring current = ring;
        if (current == null || atLeast.epoch() > current.epoch()) {
            onRing(atLeast);
        }
        return Optional.ofNullable(replicas.get(partition));
    }

    /** Replication state of every partition replica, by partition. */
    public List<ReplicaStatus> status() {
        List<ReplicaStatus> out = new ArrayList<>();
        for (PartitionReplica r : replicas.values()) {
            out.add(r.status());
        }
        out.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
        return out;
    }

    /** The ring the replicas are positioned by, if any. */
    public Optional<Ring> appliedRing() {
        return Optional.ofNullable(ring);
    }

    // ---------------------------------------------------------------- ReplicaDirectory

    @Override
    public Collection<PartitionReplica> all() {
        return replicas.values();
    }

    @Override
    public Optional<PartitionReplica> get(int partition) {
        return Optional.ofNullable(replicas.get(partition));
    }

    @Override
    public void flushCommits() {
        storage.flushCommits();
    }

    @Override
    public long ringEpoch() {
        Ring r = ring;
        return r == null ? 0 : r.epoch();
    }

    // ---------------------------------------------------------------- Signals

    @Override
    public void wakeSender(NodeId target, int partition) {
        Linked<StreamSender> s = senders.get(target);
        if (s != null) {
            s.protocol().wake(partition);
        }
    }

    @Override
    public void wakeAcks(NodeId upstream, int partition) {
        Linked<AckPusher> p = pushers.get(upstream);
        if (p != null) {
            p.protocol().push(partition);
        }
    }

    /** A ring change: every partition's stream to {@code target} may have a new cursor. */
    private void wakeSender(NodeId target) {
        Linked<StreamSender> s = senders.get(target);
        if (s != null) {
            s.protocol().wakeAll();
        }
    }

    /** A ring change: every partition's acks to {@code upstream} may be news. */
    private void wakeAcks(NodeId upstream) {
        Linked<AckPusher> p = pushers.get(upstream);
        if (p != null) {
            p.protocol().pushAll();
        }
    }

    @Override
    public void startCatchUp(PartitionReplica replica, boolean learnerJoin) {
        catchUp.start(replica, learnerJoin);
    }

    @Override
    public void handOff(PartitionReplica.Handoff handoff) {
        handoffs.settle(handoff);
    }

    // ---------------------------------------------------------------- dropped replicas (DESIGN §7 drop step)

    /** Schedules the deletion of a replica the node left, unless one is pending already. */
    private void scheduleDrop(int partition) {
        if (drops.containsKey(partition)) {
            return;
        }
        try {
            drops.put(partition, housekeeping.schedule(() -> dropIfStillLeft(partition),
                    config.dropGrace().toMillis(), TimeUnit.MILLISECONDS));
            LOG.info("node {}: left partition {}; its data is deleted in {} ms unless the node gets it back",
                    self, partition, config.dropGrace().toMillis());
        } catch (RejectedExecutionException e) {
            LOG.debug("node {}: closing, partition {} is not deleted", self, partition);
        }
    }

    private void cancelDrop(int partition) {
        ScheduledFuture<?> pending = drops.remove(partition);
        if (pending != null && pending.cancel(false)) {
            LOG.info("node {}: partition {} is back in this node's place list; its data is kept", self, partition);
        }
    }

    /**
     * Deletes the partition's data if the node still has no place in it, by the applied ring and
     * by the newest one the node knows. Runs under the ring lock, so no reposition (and no new
     * catch-up, or head, or learner role) interleaves; the store lets an operation in progress
     * finish before it closes, and later ones on the old replica fail.
     */
    private void dropIfStillLeft(int partition) {
        synchronized (applyLock) {
            drops.remove(partition);
            if (closed) {
                return;
            }
            Ring applied = ring;
            Optional<Ring> newest;
            try {
                newest = rings.current();
            } catch (RuntimeException e) {
                LOG.warn("node {}: partition {} not deleted: cannot read the ring: {}", self, partition, e.toString());
                return;
            }
            if (involves(applied, partition) || newest.map(r -> involves(r, partition)).orElse(true)) {
                return;
            }
            PartitionReplica replica = replicas.get(partition);
            if (replica != null && (replica.position().isMember() || replica.position().isLearner())) {
                return;
            }
            try {
                replicas.remove(partition);
                storage.dropPartition(partition).ifPresent(freed -> LOG.info(
                        "node {}: deleted partition {} ({} live keys, {} bytes of keys and values freed): not in its chain "
                                + "or learners for {} ms", self, partition, freed.liveKeys(), freed.dataBytes(),
                        config.dropGrace().toMillis()));
            } catch (RuntimeException e) {
                LOG.warn("node {}: cannot delete partition {}: {}", self, partition, e.toString());
            }
        }
    }

    private boolean involves(Ring r, int partition) {
        return r != null && partition < r.partitionCount() && r.partition(partition).involves(self);
    }

    // ---------------------------------------------------------------- internals

    private void refreshRing() {
        rings.refresh().ifPresent(this::onRing);
    }

    private void reconcileWorkers() {
        Set<NodeId> targets = new HashSet<>();
        Set<NodeId> upstreams = new HashSet<>();
        for (PartitionReplica r : replicas.values()) {
            ChainPosition p = r.position();
            targets.addAll(p.downstream());
            upstreams.addAll(p.ackTargets());
        }
        targets.remove(self);
        upstreams.remove(self);
        for (NodeId t : targets) {
            senders.computeIfAbsent(t, n -> {
                StreamSender s = new StreamSender(self, n, this, config);
                return Linked.start(s, new PeerLink("replication-stream", self, n, s, linkPeers, config.heartbeatInterval().toMillis()),
                        s::wakeWith);
            });
        }
        for (NodeId u : upstreams) {
            pushers.computeIfAbsent(u, n -> {
                AckPusher p = new AckPusher(self, n, this, config, () -> refreshRingOffLoop());
                return Linked.start(p, new PeerLink("ack-push", self, n, p, linkPeers, config.heartbeatInterval().toMillis()),
                        p::wakeWith);
            });
        }
        retire(senders, targets);
        retire(pushers, upstreams);
    }

    /** A stream's protocol and the link that carries it. */
    private record Linked<P extends PeerLink.Protocol>(P protocol, PeerLink link) {
        static <P extends PeerLink.Protocol> Linked<P> start(P protocol, PeerLink link, java.util.function.Consumer<Runnable> wakeWith) {
            wakeWith.accept(link::wake);
            link.start();
            return new Linked<>(protocol, link);
        }
    }

    /** Stops the links to peers no longer needed (a call in flight is dropped with its connection). */
    private static <P extends PeerLink.Protocol> void retire(Map<NodeId, Linked<P>> links, Set<NodeId> keep) {
        for (NodeId n : new ArrayList<>(links.keySet())) {
            if (!keep.contains(n)) {
                links.remove(n).link().close();
            }
        }
    }

    /** Re-reads the ring on the housekeeping thread: callers on an event loop must not read ZooKeeper. */
    private void refreshRingOffLoop() {
        try {
            housekeeping.execute(this::refreshRing);
        } catch (RejectedExecutionException e) {
            LOG.debug("node {}: closing, no ring refresh", self);
        }
    }

    private void flushCommitted() {
        for (PartitionReplica r : replicas.values()) {
            try {
                r.flushCommitted();
            } catch (RuntimeException e) {
                LOG.warn("node {}: cannot persist the committed LSN of partition {}: {}", self, r.id(), e.toString());
            }
        }
    }

    @Override
    public void close() {
        synchronized (applyLock) {
            closed = true;
        }
        senders.values().forEach(s -> s.link().close());
        pushers.values().forEach(p -> p.link().close());
        senders.clear();
        pushers.clear();
        budgets.close(); // passes waiting for tokens finish at once
        catchUp.close();
        handoffs.close();
        // pending drops wait out their grace: a delayed task would hold shutdown up until it is due
        drops.values().forEach(f -> f.cancel(false));
        drops.clear();
        housekeeping.shutdown();
        try {
            if (!housekeeping.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("node {}: replication housekeeping did not stop within 10 s", self);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flushCommitted();
        peers.close();
        ownLoops.ifPresent(EventLoops::close);
    }
}
