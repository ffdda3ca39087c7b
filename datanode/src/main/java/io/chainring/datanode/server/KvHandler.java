package io.chainring.datanode.server;

import io.chainring.datanode.replication.Replication;
import io.chainring.datanode.storage.CasOutcome;
import io.chainring.datanode.storage.KeyedRecord;
import io.chainring.datanode.storage.RecordPage;
import io.chainring.datanode.storage.RemoveOutcome;
import io.chainring.datanode.storage.StorageEngine;
import io.chainring.datanode.storage.VersionedRecord;
import io.chainring.ring.NodeId;
import io.chainring.ring.Partition;
import io.chainring.ring.Ring;
import io.chainring.ring.RingCodec;
import io.chainring.thrift.GetResult;
import io.chainring.thrift.KeyValue;
import io.chainring.thrift.KvService;
import io.chainring.thrift.MultiGetResult;
import io.chainring.thrift.MultiPutResult;
import io.chainring.thrift.PutResult;
import io.chainring.thrift.ReadLevel;
import io.chainring.thrift.RemoveResult;
import io.chainring.thrift.ScanResult;
import io.chainring.thrift.TRing;
import io.chainring.thrift.VersionedEntry;
import io.chainring.thrift.WriteAck;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.thrift.TException;
import org.apache.thrift.async.AsyncMethodCallback;

/**
 * The {@code kv} service: client reads and writes, routed and fenced by ring epoch (DESIGN §6.5).
 * Writes are accepted at the head and go down the chain ({@link ChainWriter}); reads are served
 * by any chain member at the level asked ({@link CraqReader}). Asynchronous: reads answer on the
 * calling thread (a read the tail must answer, on {@code tailReads}), writes when their ack level
 * is met — a write waiting for acks holds no thread.
 */
public final class KvHandler implements KvService.AsyncIface {
    private final Router router;
    private final StorageEngine storage;
    private final RequestChecks checks;
    private final ChainWriter writer;
    private final CraqReader reader;
    private final Waits waits;

    /**
     * @param waits runs what may wait — a read the tail must answer (a network call), a request at
     *              a ring epoch this node has not seen yet (it waits for its ring) — so that the
     *              single-key methods may start on a connection's event loop and answer there
     */
    public KvHandler(NodeId self, RingView view, StorageEngine storage, RequestLimits limits, Replication replication,
                     Executor waits) {
        this.waits = new Waits(self, view, waits);
        this.router = new Router(self, view, storage::isHealthy);
        this.storage = storage;
        this.checks = new RequestChecks(limits);
        this.writer = new ChainWriter(replication);
        this.reader = new CraqReader(replication);
    }

    @Override
    public void ring(AsyncMethodCallback<TRing> done) {
        answer(done, CallGuard.Call.of("ring", () -> RingCodec.toThrift(router.servingRing())));
    }

    /** A read answered locally ({@code answer}), or the routed key whose answer only the tail has. */
    private record Lookup(GetResult answer, Ring ring, Partition partition, byte[] key) {
    }

    @Override
    public void get(long ringEpoch, ByteBuffer key, ReadLevel level, AsyncMethodCallback<GetResult> done) {
        if (!elsewhereIfWaiting(ringEpoch, done, () -> getNow(ringEpoch, key, level, done))) {
            getNow(ringEpoch, key, level, done);
        }
    }

    private void getNow(long ringEpoch, ByteBuffer key, ReadLevel level, AsyncMethodCallback<GetResult> done) {
        Lookup lookup;
        try {
            lookup = CallGuard.run("get", () -> {
                byte[] k = checks.key(key);
                Ring ring = router.ringFor(ringEpoch);
                Partition p = route(ring, ringEpoch, k, Access.READ);
                Optional<CraqReader.Read> local = reader.local(ring, p, k, level);
                return new Lookup(local.map(read -> getResult(read, ring.epoch())).orElse(null), ring, p, k);
            });
        } catch (TException | RuntimeException e) {
            done.onError(e);
            return;
        }
        if (lookup.answer() != null) {
            done.onComplete(lookup.answer());
            return;
        }
        waits.run(done, () -> answer(done, CallGuard.Call.of("get", () ->
                getResult(reader.fromTail(lookup.ring(), lookup.partition(), lookup.key()), lookup.ring().epoch()))));
    }

    /** Runs {@code call} on the waits pool if a call at the client's epoch would wait for this node's ring; returns whether it did. */
    private boolean elsewhereIfWaiting(long clientEpoch, AsyncMethodCallback<?> done, Runnable call) {
        boolean wait = waits.wouldWaitForRing(clientEpoch);
        if (wait) {
            waits.run(done, call);
        }
        return wait;
    }

    @Override
    public void put(long ringEpoch, ByteBuffer key, ByteBuffer value, WriteAck ack, AsyncMethodCallback<PutResult> done) {
        answerLater(ringEpoch, done, "put", () -> {
            byte[] k = checks.key(key);
            byte[] v = checks.value(value);
            Ring ring = router.ringFor(ringEpoch);
            return writer.put(ring, route(ring, ringEpoch, k, Access.WRITE), k, v, ack)
                    .thenApply(version -> new PutResult(version, ring.epoch()));
        });
    }

    @Override
    public void remove(long ringEpoch, ByteBuffer key, WriteAck ack, AsyncMethodCallback<RemoveResult> done) {
        answerLater(ringEpoch, done, "remove", () -> {
            byte[] k = checks.key(key);
            Ring ring = router.ringFor(ringEpoch);
            return writer.remove(ring, route(ring, ringEpoch, k, Access.WRITE), k, ack)
                    .thenApply(outcome -> new RemoveResult(outcome.existed(), outcome.version(), ring.epoch()));
        });
    }

    @Override
    public void compareAndSet(long ringEpoch, ByteBuffer key, ByteBuffer value, long expectedVersion, String requestId,
                              AsyncMethodCallback<PutResult> done) {
        answerLater(ringEpoch, done, "compareAndSet", () -> {
            byte[] k = checks.key(key);
            byte[] v = checks.value(value);
            checks.expectedVersion(expectedVersion);
            Ring ring = router.ringFor(ringEpoch);
            String id = requestId == null || requestId.isEmpty() ? null : requestId;
            return writer.compareAndSet(ring, route(ring, ringEpoch, k, Access.WRITE), k, v, expectedVersion, id)
                    .thenApply(outcome -> {
                        if (!outcome.applied()) {
                            throw new java.util.concurrent.CompletionException(Errors.mismatch("expected version " + expectedVersion
                                    + " but the key " + (outcome.version() == 0 ? "is absent" : "has version " + outcome.version()),
                                    outcome.version()));
                        }
                        return new PutResult(outcome.version(), ring.epoch());
                    });
        });
    }

    @Override
    public void multiGet(long ringEpoch, List<ByteBuffer> keys, ReadLevel level, AsyncMethodCallback<MultiGetResult> done) {
        answer(done, CallGuard.Call.of("multiGet", () -> {
            List<byte[]> ks = new ArrayList<>();
            for (ByteBuffer key : nonNull(keys, "keys")) {
                ks.add(checks.key(key));
            }
            Ring ring = router.ringFor(ringEpoch);
            // route every key before reading any, so a misrouted batch fails as a whole
            List<Partition> partitions = new ArrayList<>(ks.size());
            for (byte[] k : ks) {
                partitions.add(route(ring, ringEpoch, k, Access.READ));
            }
            List<GetResult> results = new ArrayList<>(ks.size());
            long bytes = 0;
            for (int i = 0; i < ks.size(); i++) {
                CraqReader.Read read = reader.get(ring, partitions.get(i), ks.get(i), level);
                bytes += ks.get(i).length + read.record().map(r -> r.value().length).orElse(0) + 32;
                if (bytes > checks.limits().maxResponseBytes()) {
                    throw Errors.invalid("multiGet answer would exceed " + checks.limits().maxResponseBytes()
                            + " bytes (max response bytes) after " + i + " of " + ks.size() + " keys; ask for fewer keys");
                }
                results.add(getResult(read, ring.epoch()));
            }
            return new MultiGetResult(results, ring.epoch());
        }));
    }

    /** Each entry is its own write (not atomic as a batch); all are checked and routed before the first is applied. */
    @Override
    public void multiPut(long ringEpoch, List<KeyValue> entries, WriteAck ack, AsyncMethodCallback<MultiPutResult> done) {
        answerLater(ringEpoch, done, "multiPut", () -> {
            List<byte[]> ks = new ArrayList<>();
            List<byte[]> vs = new ArrayList<>();
            for (KeyValue kv : nonNull(entries, "entries")) {
                if (kv == null) {
                    throw Errors.invalid("multiPut entry " + ks.size() + " is missing");
                }
                ks.add(checks.key(kv.bufferForKey()));
                vs.add(checks.value(kv.bufferForValue()));
            }
            Ring ring = router.ringFor(ringEpoch);
            List<Partition> partitions = new ArrayList<>(ks.size());
            for (byte[] k : ks) {
                partitions.add(route(ring, ringEpoch, k, Access.WRITE));
            }
            return writer.multiPut(ring, partitions, ks, vs, ack).thenApply(versions -> new MultiPutResult(versions, ring.epoch()));
        });
    }

    @Override
    public void scan(long ringEpoch, int partition, ByteBuffer startAfter, int limit, AsyncMethodCallback<ScanResult> done) {
        answer(done, CallGuard.Call.of("scan", () -> {
            byte[] cursor = checks.cursor(startAfter);
            checks.scanLimit(limit);
            Ring ring = router.ringFor(ringEpoch);
            Partition p = router.route(ring, ringEpoch, partition, Access.READ);
            RecordPage page = storage.partition(p.id()).scan(cursor, limit, checks.limits().maxResponseBytes());
            List<VersionedEntry> entries = new ArrayList<>(page.records().size());
            for (KeyedRecord r : page.records()) {
                entries.add(new VersionedEntry(ByteBuffer.wrap(r.key()), ByteBuffer.wrap(r.record().value()), r.record().version()));
            }
            return new ScanResult(entries, page.done(), ring.epoch());
        }));
    }

    /** Runs a request that answers at once, on this thread. */
    private static <T> void answer(AsyncMethodCallback<T> done, CallGuard.Named<T> call) {
        Waits.complete(done, () -> CallGuard.run(call.operation(), call.body()));
    }

    /**
     * Runs a write's local part on this thread (or on {@code waits} if it would wait for the
     * client's ring epoch); answers when the returned future completes.
     */
    private <T> void answerLater(long clientEpoch, AsyncMethodCallback<T> done, String operation,
                                 CallGuard.Call<CompletableFuture<T>> call) {
        if (!elsewhereIfWaiting(clientEpoch, done, () -> answerLater(done, operation, call))) {
            answerLater(done, operation, call);
        }
    }

    private static <T> void answerLater(AsyncMethodCallback<T> done, String operation, CallGuard.Call<CompletableFuture<T>> call) {
        CompletableFuture<T> future;
        try {
            future = CallGuard.run(operation, call);
        } catch (TException | RuntimeException e) {
            done.onError(e);
            return;
        }
        future.whenComplete((v, e) -> {
            if (e == null) {
                done.onComplete(v);
            } else {
                Throwable cause = ChainWriter.unwrap(e);
                done.onError(cause instanceof Exception x ? x : new IllegalStateException(cause));
            }
        });
    }

    private Partition route(Ring ring, long clientEpoch, byte[] key, Access access) throws TException {
        return router.route(ring, clientEpoch, ring.partitionOf(key), access);
    }

    /** Found with value and version; or not found with the tombstone's version (0 if the key never existed). */
    private static GetResult getResult(CraqReader.Read read, long ringEpoch) {
        Optional<VersionedRecord> record = read.record();
        boolean found = record.map(VersionedRecord::isLive).orElse(false);
        GetResult r = new GetResult(found, record.map(VersionedRecord::version).orElse(0L), ringEpoch);
        if (found) {
            r.setValue(ByteBuffer.wrap(record.get().value()));
        }
        return r;
    }

    private static <T> List<T> nonNull(List<T> list, String name) throws TException {
        if (list == null) {
            throw Errors.invalid(name + " are missing");
        }
        return list;
    }
}
