package io.chainring.datanode.replication;

import io.chainring.ring.NodeId;
import io.chainring.thrift.AckBatch;
import io.chainring.thrift.AckResponse;
import io.chainring.thrift.PartitionAck;
import io.chainring.thrift.ReplicationService;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Collection;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pushes acks upstream to one node (DESIGN §6.1 step 4): for every partition whose predecessor
 * (or, for a learner, whose tail) it is — or whose head, when this node is the tail of a chain of
 * three or more ({@link ChainPosition#ackTargets}) — the applied LSNs of this node and of every
 * node below. It runs when writes were applied at such a tail, when acks from downstream brought
 * news — the replicate answers reach only the immediate predecessor, this relays them further up
 * — and at least every five heartbeat intervals, so a lost push heals. The protocol side only: a {@link PeerLink} carries the calls.
 */
final class AckPusher implements PeerLink.Protocol {
    private static final int PERIODIC_EVERY = 5;

    private final NodeId self;
    private final NodeId peer;
    private final ReplicaDirectory replicas;
    private final Runnable refreshRing;
    /** Partitions whose acks changed since pushed. */
    private final Set<Integer> news = ConcurrentHashMap.newKeySet();
    private volatile boolean all = true;
    private final long periodNanos;
    private long lastPushNanos;
    /** The ring epoch of the push in flight. */
    private long sentEpoch;
    private Runnable wake = () -> { };

    /**
     * @param refreshRing re-reads the ring when the upstream node knows a newer one; runs on the
     *                    link's event loop, so it must hand the work elsewhere
     */
    AckPusher(NodeId self, NodeId upstream, ReplicaDirectory replicas, ReplicationConfig config, Runnable refreshRing) {
        this.self = self;
        this.peer = upstream;
        this.replicas = replicas;
        this.refreshRing = refreshRing;
        this.periodNanos = config.heartbeatInterval().toNanos() * PERIODIC_EVERY;
    }

    /** What runs a push soon: the link that carries these acks. */
    void wakeWith(Runnable linkWake) {
        this.wake = linkWake;
    }

    /** Acks of {@code partition} changed: push them soon. */
    void push(int partition) {
        news.add(partition);
        wake.run();
    }

    /** Every partition's acks may have changed (a ring change): push them all soon. */
    void pushAll() {
        all = true;
        wake.run();
    }

    /** Pushes the partitions with news; every few heartbeat intervals all of them. */
    @Override
    public Optional<PeerLink.Call> next() {
        return nextBatch().map(b -> new PeerLink.Call("ack", new ReplicationService.ack_args(b)));
    }

    Optional<AckBatch> nextBatch() {
        replicas.flushCommits(); // the applied LSNs pushed are in the OS first
        boolean due = System.nanoTime() - lastPushNanos >= periodNanos;
        Collection<PartitionReplica> candidates;
        if (due || all) {
            all = false;
            news.clear();
            candidates = replicas.all();
        } else if (news.isEmpty()) {
            return Optional.empty();
        } else {
            candidates = new ArrayList<>(news.size());
            for (Iterator<Integer> it = news.iterator(); it.hasNext(); ) {
                int p = it.next();
                it.remove();
                replicas.get(p).ifPresent(candidates::add);
            }
        }
        List<PartitionAck> acks = new ArrayList<>();
        for (PartitionReplica r : candidates) {
            if (r.position().ackTargets().contains(peer)) {
                acks.add(AckCodec.toThrift(r.id(), r.selfAndBelow()));
            }
        }
        if (acks.isEmpty()) {
            return Optional.empty();
        }
        sentEpoch = replicas.ringEpoch();
        return Optional.of(new AckBatch(self.value(), sentEpoch, acks));
    }

    @Override
    public void answered(Object answer) {
        lastPushNanos = System.nanoTime();
        if (((AckResponse) answer).getRingEpoch() > sentEpoch) {
            refreshRing.run();
        }
    }

    @Override
    public void failed() {
        all = true;
    }
}
