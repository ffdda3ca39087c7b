package io.chainring.datanode.replication;

import io.chainring.ring.NodeId;
import io.chainring.thrift.AckBatch;
import io.chainring.thrift.AckResponse;
import io.chainring.thrift.PartitionAck;
import io.chainring.thrift.ReplicationService;
import java.util.ArrayList;
import java.util.List;
import java.util.Collection;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.thrift.TException;

/**
 * Pushes acks upstream to one node (DESIGN §6.1 step 4): for every partition whose predecessor
 * (or, for a learner, whose tail) it is, the applied LSNs of this node and of every node below.
 * It runs when acks from downstream brought news — the replicate answers reach only the
 * immediate predecessor, this relays them further up — and at least every five heartbeat
 * intervals, so a lost push heals.
 */
final class AckPusher extends PeerWorker {
    private static final int PERIODIC_EVERY = 5;

    private final ReplicaDirectory replicas;
    private final Runnable refreshRing;
    /** Partitions whose acks changed since pushed. */
    private final Set<Integer> news = ConcurrentHashMap.newKeySet();
    private volatile boolean all = true;
    private final long periodNanos;
    private long lastPushNanos;

    AckPusher(NodeId self, NodeId upstream, ReplicaDirectory replicas, PeerClients addresses, ReplicationConfig config,
              int maxFrameBytes, Runnable refreshRing) {
        super("ack-push", self, upstream, addresses, (int) config.peerTimeout().toMillis(), maxFrameBytes,
                config.heartbeatInterval().toMillis(), refreshRing);
        this.replicas = replicas;
        this.refreshRing = refreshRing;
        this.periodNanos = config.heartbeatInterval().toNanos() * PERIODIC_EVERY;
    }

    /** Acks of {@code partition} changed: push them soon. */
    void push(int partition) {
        news.add(partition);
        wake();
    }

    /** Every partition's acks may have changed (a ring change): push them all soon. */
    void pushAll() {
        all = true;
        wake();
    }

    /** Pushes the partitions with news; every few heartbeat intervals all of them. */
    @Override
    protected boolean runOnce(ReplicationService.Client client) throws TException {
        boolean due = System.nanoTime() - lastPushNanos >= periodNanos;
        Collection<PartitionReplica> candidates;
        if (due || all) {
            all = false;
            news.clear();
            candidates = replicas.all();
        } else if (news.isEmpty()) {
            return false;
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
            if (r.position().upstream().filter(peer::equals).isPresent()) {
                acks.add(AckCodec.toThrift(r.id(), r.selfAndBelow()));
            }
        }
        if (acks.isEmpty()) {
            return false;
        }
        long epoch = replicas.ringEpoch();
        AckResponse response = client.ack(new AckBatch(self.value(), epoch, acks));
        lastPushNanos = System.nanoTime();
        if (response.getRingEpoch() > epoch) {
            refreshRing.run();
        }
        return false;
    }

    @Override
    protected void onFailure() {
        all = true;
    }

    /** News wakes the pusher; otherwise it has nothing to do before the periodic push (no empty wake-ups). */
    @Override
    protected long waitMillis() {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(periodNanos - (System.nanoTime() - lastPushNanos)));
    }
}
