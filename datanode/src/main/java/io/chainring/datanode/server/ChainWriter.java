package io.chainring.datanode.server;

import io.chainring.datanode.replication.PartitionReplica;
import io.chainring.datanode.replication.Replication;
import io.chainring.datanode.replication.WriteNotApplied;
import io.chainring.datanode.storage.CasOutcome;
import io.chainring.datanode.storage.RemoveOutcome;
import io.chainring.ring.Partition;
import io.chainring.ring.Ring;
import io.chainring.thrift.WriteAck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.thrift.TException;

/**
 * Client writes at the head (DESIGN §6.1): the store assigns the LSN and the partition's replica
 * queues the write down the chain; then the request waits for its ack level — ONE after the
 * local write, MAJORITY after the first ⌈(k+1)/2⌉ chain nodes applied it, ALL after the tail
 * did. The wait runs on the Thrift worker thread, bounded by the write timeout: past it the
 * client gets a Thrift application error saying the outcome is unknown.
 */
final class ChainWriter {
    private final Replication replication;
    private final Duration timeout;
    private final int maxInFlight;
    private final int maxWaiting;
    /** Writes waiting for acks hold Thrift workers; the acks need workers too (ack pushes, replicate calls). */
    private final Semaphore waiting;

    ChainWriter(Replication replication) {
        this.replication = replication;
        this.timeout = replication.config().writeTimeout();
        this.maxInFlight = replication.config().maxInFlightWrites();
        this.maxWaiting = replication.config().maxWaitingWrites();
        this.waiting = new Semaphore(maxWaiting);
    }

    long put(Ring ring, Partition p, byte[] key, byte[] value, WriteAck ack) throws TException {
        return bounded(() -> {
            PartitionReplica r = writable(ring, p);
            long version = r.store().put(key, value, r);
            await(r, version, ack, "put");
            return version;
        });
    }

    RemoveOutcome remove(Ring ring, Partition p, byte[] key, WriteAck ack) throws TException {
        return bounded(() -> {
            PartitionReplica r = writable(ring, p);
            RemoveOutcome outcome = r.store().delete(key, r);
            if (outcome.existed()) {
                await(r, outcome.version(), ack, "remove");
            } else {
                awaitWhatWasSeen(r, ack, "remove found no value");
            }
            return outcome;
        });
    }

    /**
     * Compare-and-set, always acknowledged by the whole chain (it must be linearizable). A replayed
     * request id waits too, and so does a mismatch, for the version it reports to commit.
     */
    CasOutcome compareAndSet(Ring ring, Partition p, byte[] key, byte[] value, long expected, String requestId) throws TException {
        return bounded(() -> {
            PartitionReplica r = writable(ring, p);
            CasOutcome outcome = r.store().compareAndSet(key, value, expected, requestId, r);
            if (outcome.applied()) {
                await(r, outcome.version(), WriteAck.ALL, "compareAndSet");
            } else {
                awaitWhatWasSeen(r, WriteAck.ALL, "compareAndSet found version " + outcome.version() + " (expected " + expected + ")");
            }
            return outcome;
        });
    }

    /** Puts each entry in turn, then waits once per partition for its highest version. */
    List<Long> multiPut(Ring ring, List<Partition> partitions, List<byte[]> keys, List<byte[]> values, WriteAck ack) throws TException {
        return bounded(() -> {
            List<Long> versions = new ArrayList<>(keys.size());
            Map<PartitionReplica, Long> highest = new HashMap<>();
            for (int i = 0; i < keys.size(); i++) {
                PartitionReplica r = writable(ring, partitions.get(i));
                long v = r.store().put(keys.get(i), values.get(i), r);
                versions.add(v);
                highest.merge(r, v, Math::max);
            }
            for (Map.Entry<PartitionReplica, Long> e : highest.entrySet()) {
                await(e.getKey(), e.getValue(), ack, "multiPut");
            }
            return versions;
        });
    }

    /** Runs a write if fewer than the maximum are waiting for acks; otherwise refuses it before anything is applied. */
    private <T> T bounded(CallGuard.Call<T> write) throws TException {
        if (!waiting.tryAcquire()) {
            throw Errors.unavailable("node " + replication.self() + " has " + maxWaiting
                    + " writes waiting for acks (max waiting writes); nothing was applied, retry");
        }
        try {
            return write.run();
        } finally {
            waiting.release();
        }
    }

    private PartitionReplica writable(Ring ring, Partition p) throws TException {
        PartitionReplica r = replication.replica(ring, p.id())
                .orElseThrow(() -> Errors.notServing("partition " + p.id() + " has no replica on this node yet; retry"));
        if (!r.position().isHead()) {
            // the ring moved on between routing and now
            throw Errors.stale("node " + replication.self() + " is no longer the head of partition " + p.id()
                    + " (chain " + r.position().chain() + ")", replication.appliedRing().orElse(ring));
        }
        int inFlight = r.inFlight();
        if (inFlight >= maxInFlight) {
            throw Errors.unavailable("partition " + p.id() + " has " + inFlight + " writes in flight (limit " + maxInFlight
                    + "): the chain " + p.chain() + " is slow or a replica is down; retry later");
        }
        return r;
    }

    /**
     * A write that changed nothing (a CAS mismatch, a delete of an absent key) was still judged by
     * the head's latest state, which may hold writes not yet committed. Answering at once would
     * show the client a version that may still be lost with the head (seen as a stale read after
     * a CAS mismatch under faults), so it answers once everything up to the head's last LSN is
     * acknowledged at the request's level. If that does not happen in time nothing was applied,
     * so the client gets a plain refusal.
     */
    private void awaitWhatWasSeen(PartitionReplica r, WriteAck ack, String what) throws TException {
        WriteAck level = ack == null ? WriteAck.ALL : ack;
        long seen = r.store().lastLsn();
        CompletableFuture<Long> acked = r.awaitAck(seen, level);
        try {
            acked.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            String why = e instanceof TimeoutException ? "not acknowledged at level " + level + " within " + timeout.toMillis() + " ms"
                    : e.getCause().getMessage();
            throw Errors.unavailable(what + " in partition " + r.id() + " against writes up to LSN " + seen
                    + " that are not committed yet (" + why + "); nothing was applied, retry");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Errors.unavailable(what + " in partition " + r.id() + ": interrupted while waiting for earlier writes to commit;"
                    + " nothing was applied, retry");
        }
    }

    private void await(PartitionReplica r, long version, WriteAck ack, String what) throws TException {
        WriteAck level = ack == null ? WriteAck.ALL : ack;
        CompletableFuture<Long> acked = r.awaitAck(version, level);
        try {
            acked.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw Errors.outcomeUnknown(what + " in partition " + r.id() + " was written at the head as version " + version
                    + " but not acknowledged at level " + level + " within " + timeout.toMillis()
                    + " ms; the outcome is unknown (it may still commit): read the key to find out");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WriteNotApplied notApplied) {
                // the head was dropped before forwarding it: the chain never holds it (DESIGN §7 head handoff)
                throw Errors.unavailable(what + " in partition " + r.id() + ": " + notApplied.getMessage()
                        + "; nothing was applied, retry");
            }
            throw Errors.outcomeUnknown(what + " in partition " + r.id() + " was written at the head as version " + version
                    + " but " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Errors.outcomeUnknown(what + " in partition " + r.id() + ": interrupted while waiting for acks; the outcome is unknown");
        }
    }
}
