package io.chainring.datanode.server;

import io.chainring.datanode.replication.PartitionReplica;
import io.chainring.datanode.replication.Replication;
import io.chainring.datanode.replication.WriteNotApplied;
import io.chainring.datanode.replication.WriteOutcomeUnknown;
import io.chainring.datanode.storage.CasOutcome;
import io.chainring.datanode.storage.PartitionStore;
import io.chainring.datanode.storage.RemoveOutcome;
import io.chainring.ring.Partition;
import io.chainring.ring.Ring;
import io.chainring.thrift.OutcomeUnknown;
import io.chainring.thrift.WriteAck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.thrift.TException;

/**
 * Client writes at the head (DESIGN §6.1): the store assigns the LSN and the partition's replica
 * queues the write down the chain; the answer is due when the write meets its ack level — ONE
 * after the local write, MAJORITY after the first ⌈(k+1)/2⌉ chain nodes applied it, ALL after the
 * tail did. The local write runs on the calling thread; the wait for acks holds no thread: each
 * method returns a future that the ack completes, or the write timeout with {@code OutcomeUnknown}
 * (carrying the version written at the head).
 */
final class ChainWriter {
    private final Replication replication;
    private final Duration timeout;
    private final int maxInFlight;
    private final int maxWaiting;
    /** Writes waiting for acks hold memory (their futures, their entries in the in-flight log): bounded per node. */
    private final Semaphore waiting;

    ChainWriter(Replication replication) {
        this.replication = replication;
        this.timeout = replication.config().writeTimeout();
        this.maxInFlight = replication.config().maxInFlightWrites();
        this.maxWaiting = replication.config().maxWaitingWrites();
        this.waiting = new Semaphore(maxWaiting);
    }

    CompletableFuture<Long> put(Ring ring, Partition p, byte[] key, byte[] value, WriteAck ack) {
        return bounded(() -> {
            PartitionReplica r = writable(ring, p);
            long version = r.store().put(key, value, r);
            return await(r, version, ack, "put");
        });
    }

    CompletableFuture<RemoveOutcome> remove(Ring ring, Partition p, byte[] key, WriteAck ack) {
        return bounded(() -> {
            PartitionReplica r = writable(ring, p);
            RemoveOutcome outcome = r.store().delete(key, r);
            CompletableFuture<?> done = outcome.existed() ? await(r, outcome.version(), ack, "remove")
                    : awaitWhatWasSeen(r, ack, "remove found no value");
            return done.thenApply(v -> outcome);
        });
    }

    /**
     * Compare-and-set, always acknowledged by the whole chain (it must be linearizable). A replayed
     * request id waits too, and so does a mismatch, for the version it reports to commit.
     */
    CompletableFuture<CasOutcome> compareAndSet(Ring ring, Partition p, byte[] key, byte[] value, long expected, String requestId) {
        return bounded(() -> {
            PartitionReplica r = writable(ring, p);
            CasOutcome outcome = r.store().compareAndSet(key, value, expected, requestId, r);
            CompletableFuture<?> done = outcome.applied() ? await(r, outcome.version(), WriteAck.ALL, "compareAndSet")
                    : awaitWhatWasSeen(r, WriteAck.ALL, "compareAndSet found version " + outcome.version() + " (expected " + expected + ")");
            return done.thenApply(v -> outcome);
        });
    }

    /**
     * Puts the entries of every partition together in one transaction (each partition's entries
     * at consecutive LSNs, in the order given), then waits once per partition for its highest version.
     */
    CompletableFuture<List<Long>> multiPut(Ring ring, List<Partition> partitions, List<byte[]> keys, List<byte[]> values, WriteAck ack) {
        return bounded(() -> {
            Map<Integer, List<Integer>> byPartition = new LinkedHashMap<>();
            for (int i = 0; i < keys.size(); i++) {
                byPartition.computeIfAbsent(partitions.get(i).id(), p -> new ArrayList<>()).add(i);
            }
            Long[] versions = new Long[keys.size()];
            Map<PartitionReplica, Long> highest = new HashMap<>();
            List<PartitionReplica> replicas = new ArrayList<>(byPartition.size());
            List<PartitionStore.HeadPuts> parts = new ArrayList<>(byPartition.size());
            for (List<Integer> entries : byPartition.values()) {
                PartitionReplica r = writable(ring, partitions.get(entries.get(0)));
                List<byte[]> ks = new ArrayList<>(entries.size());
                List<byte[]> vs = new ArrayList<>(entries.size());
                for (int i : entries) {
                    ks.add(keys.get(i));
                    vs.add(values.get(i));
                }
                replicas.add(r);
                parts.add(new PartitionStore.HeadPuts(r.store(), ks, vs, r));
            }
            List<List<Long>> written = PartitionStore.putAll(parts);
            int part = 0;
            for (List<Integer> entries : byPartition.values()) {
                PartitionReplica r = replicas.get(part);
                List<Long> lsns = written.get(part++);
                for (int j = 0; j < entries.size(); j++) {
                    versions[entries.get(j)] = lsns.get(j);
                    highest.merge(r, lsns.get(j), Math::max);
                }
            }
            List<CompletableFuture<Long>> acks = new ArrayList<>(highest.size());
            highest.forEach((r, v) -> acks.add(await(r, v, ack, "multiPut")));
            List<Long> inOrder = java.util.Arrays.asList(versions);
            return CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).handle((v, e) -> {
                if (e != null && unwrap(e) instanceof OutcomeUnknown unknown) {
                    throw new CompletionException(unknown.setVersions(inOrder));
                }
                if (e != null) {
                    throw e instanceof CompletionException ce ? ce : new CompletionException(e);
                }
                return inOrder;
            });
        });
    }

    /** A write body: applies locally on the calling thread, returns the wait for its acks. */
    @FunctionalInterface
    private interface Write<T> {
        CompletableFuture<T> run() throws TException;
    }

    /** Runs a write if fewer than the maximum are waiting for acks; otherwise refuses it before anything is applied. */
    private <T> CompletableFuture<T> bounded(Write<T> write) {
        if (!waiting.tryAcquire()) {
            return CompletableFuture.failedFuture(Errors.unavailable("node " + replication.self() + " has " + maxWaiting
                    + " writes waiting for acks (max waiting writes); nothing was applied, retry"));
        }
        CompletableFuture<T> done;
        try {
            done = CallGuard.run("write", write::run);
        } catch (TException | RuntimeException e) {
            waiting.release();
            return CompletableFuture.failedFuture(e);
        }
        return done.whenComplete((v, e) -> waiting.release());
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
    private CompletableFuture<Long> awaitWhatWasSeen(PartitionReplica r, WriteAck ack, String what) {
        WriteAck level = ack == null ? WriteAck.ALL : ack;
        long seen = r.store().lastLsn();
        return flushedIfMet(r.awaitAck(seen, level)).orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).handle((v, e) -> {
            if (e == null) {
                return v;
            }
            Throwable cause = unwrap(e);
            String why = cause instanceof TimeoutException ? "not acknowledged at level " + level + " within " + timeout.toMillis() + " ms"
                    : cause.getMessage();
            throw new CompletionException(Errors.unavailable(what + " in partition " + r.id() + " against writes up to LSN " + seen
                    + " that are not committed yet (" + why + "); nothing was applied, retry"));
        });
    }

    private CompletableFuture<Long> await(PartitionReplica r, long version, WriteAck ack, String what) {
        WriteAck level = ack == null ? WriteAck.ALL : ack;
        return flushedIfMet(r.awaitAck(version, level)).orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).handle((v, e) -> {
            if (e == null) {
                return v;
            }
            Throwable cause = unwrap(e);
            if (cause instanceof TimeoutException) {
                throw new CompletionException(Errors.outcomeUnknown(what + " in partition " + r.id() + " was written at the head as version "
                        + version + " but not acknowledged at level " + level + " within " + timeout.toMillis()
                        + " ms; the outcome is unknown (it may still commit): read the key to find out", version));
            }
            if (cause instanceof WriteNotApplied notApplied) {
                // the head was dropped before forwarding it: the chain never holds it (DESIGN §7 head handoff)
                throw new CompletionException(Errors.unavailable(what + " in partition " + r.id() + ": " + notApplied.getMessage()
                        + "; nothing was applied, retry"));
            }
            if (cause instanceof WriteOutcomeUnknown unknown) {
                throw new CompletionException(Errors.outcomeUnknown(what + " in partition " + r.id() + " was written at the head as version "
                        + version + " but " + unknown.getMessage(), version));
            }
            // nothing else is ever put into an ack future: a bug, answered INTERNAL (outcome unknown)
            throw new CompletionException(new IllegalStateException(what + " in partition " + r.id()
                    + ": waiting for acks of version " + version + " failed unexpectedly", cause));
        });
    }

    /**
     * A write met its level at once (ONE, or a chain of one): its commit is written to the OS
     * before the caller answers (DESIGN "Storage"). A later ack came from a peer that got the write
     * from this node's stream, which flushed before sending it.
     */
    private <T> CompletableFuture<T> flushedIfMet(CompletableFuture<T> acked) {
        if (acked.isDone()) {
            replication.flushCommits();
        }
        return acked;
    }

    static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
