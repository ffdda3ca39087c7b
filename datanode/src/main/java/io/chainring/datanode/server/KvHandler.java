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
import org.apache.thrift.TException;

/**
 * The {@code kv} service: client reads and writes, routed and fenced by ring epoch (DESIGN §6.5).
 * Writes are accepted at the head and go down the chain ({@link ChainWriter}); reads are served
 * by any chain member at the level asked ({@link CraqReader}).
 */
public final class KvHandler implements KvService.Iface {
    private final Router router;
    private final StorageEngine storage;
    private final RequestChecks checks;
    private final ChainWriter writer;
    private final CraqReader reader;

    public KvHandler(NodeId self, RingView view, StorageEngine storage, RequestLimits limits, Replication replication) {
        this.router = new Router(self, view, storage::isHealthy);
        this.storage = storage;
        this.checks = new RequestChecks(limits);
        this.writer = new ChainWriter(replication);
        this.reader = new CraqReader(replication);
    }

    @Override
    public TRing ring() throws TException {
        return CallGuard.run("ring", () -> RingCodec.toThrift(router.servingRing()));
    }

    @Override
    public GetResult get(long ringEpoch, ByteBuffer key, ReadLevel level) throws TException {
        return CallGuard.run("get", () -> {
            byte[] k = checks.key(key);
            Ring ring = router.ringFor(ringEpoch);
            Partition p = route(ring, ringEpoch, k, Access.READ);
            return getResult(reader.get(ring, p, k, level), ring.epoch());
        });
    }

    @Override
    public PutResult put(long ringEpoch, ByteBuffer key, ByteBuffer value, WriteAck ack) throws TException {
        return CallGuard.run("put", () -> {
            byte[] k = checks.key(key);
            byte[] v = checks.value(value);
            Ring ring = router.ringFor(ringEpoch);
            long version = writer.put(ring, route(ring, ringEpoch, k, Access.WRITE), k, v, ack);
            return new PutResult(version, ring.epoch());
        });
    }

    @Override
    public RemoveResult remove(long ringEpoch, ByteBuffer key, WriteAck ack) throws TException {
        return CallGuard.run("remove", () -> {
            byte[] k = checks.key(key);
            Ring ring = router.ringFor(ringEpoch);
            RemoveOutcome outcome = writer.remove(ring, route(ring, ringEpoch, k, Access.WRITE), k, ack);
            return new RemoveResult(outcome.existed(), outcome.version(), ring.epoch());
        });
    }

    @Override
    public PutResult compareAndSet(long ringEpoch, ByteBuffer key, ByteBuffer value, long expectedVersion, String requestId)
            throws TException {
        return CallGuard.run("compareAndSet", () -> {
            byte[] k = checks.key(key);
            byte[] v = checks.value(value);
            checks.expectedVersion(expectedVersion);
            Ring ring = router.ringFor(ringEpoch);
            String id = requestId == null || requestId.isEmpty() ? null : requestId;
            CasOutcome outcome = writer.compareAndSet(ring, route(ring, ringEpoch, k, Access.WRITE), k, v, expectedVersion, id);
            if (!outcome.applied()) {
                throw Errors.mismatch("expected version " + expectedVersion + " but the key "
                        + (outcome.version() == 0 ? "is absent" : "has version " + outcome.version()), outcome.version());
            }
            return new PutResult(outcome.version(), ring.epoch());
        });
    }

    @Override
    public MultiGetResult multiGet(long ringEpoch, List<ByteBuffer> keys, ReadLevel level) throws TException {
        return CallGuard.run("multiGet", () -> {
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
        });
    }

    /** Each entry is its own write (not atomic as a batch); all are checked and routed before the first is applied. */
    @Override
    public MultiPutResult multiPut(long ringEpoch, List<KeyValue> entries, WriteAck ack) throws TException {
        return CallGuard.run("multiPut", () -> {
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
            return new MultiPutResult(writer.multiPut(ring, partitions, ks, vs, ack), ring.epoch());
        });
    }

    @Override
    public ScanResult scan(long ringEpoch, int partition, ByteBuffer startAfter, int limit) throws TException {
        return CallGuard.run("scan", () -> {
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
