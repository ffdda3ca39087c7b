package io.chainring.datanode.storage;

import com.sleepycat.je.Database;
import com.sleepycat.je.DatabaseEntry;
import com.sleepycat.je.Environment;
import com.sleepycat.je.LockMode;
import com.sleepycat.je.OperationStatus;
import com.sleepycat.je.Transaction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * One partition replica: a JE database of key → {@link VersionedRecord}.
 *
 * <p>Every write takes the next partition LSN as the record's version and commits the record
 * and the partition's {@link PartitionMeta} in one JE transaction (concurrent head writes share
 * one: group commit, see {@link #mutate}). Writes of a partition are
 * serialized by a lock, so LSN order is commit order — the order a chain successor must apply
 * them in. Reads do not take that lock; they see committed data only.
 *
 * <p>Head writes ({@link #put}, {@link #delete}, {@link #compareAndSet}) assign LSNs; replicas
 * apply the chain's writes with {@link #applyInOrder}, and catching-up replicas use
 * {@link #merge} and {@link #force} (see {@link ReplicaWrites}). A {@link WriteObserver} sees
 * each write under the lock, before and after its commit.
 *
 * <p>Deletes leave tombstones: a catching-up replica must learn of them (DESIGN §6.4).
 */
public final class PartitionStore {
    /** Records read to estimate the data size of a partition stored before it was kept. */
    private static final int SIZE_SAMPLE = 1000;
    private final int id;
    private final Environment env;
    private final Database db;
    private final MetaStore metaStore;
    private final FailStop failStop;
    private final CommitLog commitLog;
    /** Serializes writes so that LSN order equals commit order. */
    private final ReentrantLock writeOrder = new ReentrantLock();
    /** Operations hold the read side; close takes the write side so no operation sees a closed handle. */
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    /** Guarded by {@link #writeOrder}. */
    private final RecentRequests recentCas = new RecentRequests(RecentRequests.DEFAULT_CAPACITY);
    private final ReplicaWrites replicaWrites = new ReplicaWrites(this);
    /** Head writes waiting to be applied by the next holder of the write lock (group commit). */
    private final ConcurrentLinkedQueue<HeadWrite> headWrites = new ConcurrentLinkedQueue<>();
    /** Most head writes in one transaction. */
    private static final int MAX_GROUP = 256;
    private final PartitionScans scans;
    private volatile PartitionMeta meta;
    /** Highest committed LSN learned; persisted with the next meta row written. */
    private volatile long knownCommitted;
    private boolean closed;

    PartitionStore(int id, Environment env, Database db, MetaStore metaStore, FailStop failStop, CommitLog commitLog) {
        this.id = id;
        this.env = env;
        this.db = db;
        this.metaStore = metaStore;
        this.failStop = failStop;
        this.commitLog = commitLog;
        this.scans = new PartitionScans(db);
        PartitionMeta stored = metaStore.read(null, id);
        if (stored.dataBytes() == PartitionMeta.UNKNOWN_BYTES) {
            // a row from before the size was kept: estimate it once; every write keeps it from now on
            stored = stored.withDataBytes(scans.estimateBytes(SIZE_SAMPLE, stored.liveKeys()));
        }
        this.meta = stored;
        this.knownCommitted = meta.committedLsn();
    }

    public int id() {
        return id;
    }

    /** The partition's counters as of the last committed write. */
    public PartitionMeta meta() {
        return meta;
    }

    public long lastLsn() {
        return meta.lastLsn();
    }

    public long appliedLsn() {
        return meta.appliedLsn();
    }

    /** The highest committed LSN this replica knows of (persisted lazily, see {@link #noteCommitted}). */
    public long committedLsn() {
        return Math.max(knownCommitted, meta.committedLsn());
    }

    /** Number of keys holding a live value (exact: maintained in the same transaction as each write). */
    public long keyCount() {
        return meta.liveKeys();
    }

    /**
     * Bytes of keys and values stored (tombstones count their key), kept with every write; an
     * estimate for a partition stored by an older version until its records are rewritten.
     */
    public long dataBytes() {
        return meta.dataBytes();
    }

    /** The live value under the key; empty when absent or deleted. */
    public Optional<VersionedValue> get(byte[] key) {
        return getRecord(key).filter(VersionedRecord::isLive).map(r -> new VersionedValue(r.value(), r.version()));
    }

    /** The stored record under the key, tombstones included. */
    public Optional<VersionedRecord> getRecord(byte[] key) {
        requireKey(key);
        return read("get", () -> {
            DatabaseEntry value = new DatabaseEntry();
            OperationStatus status = db.get(null, new DatabaseEntry(key), value, LockMode.READ_COMMITTED);
            return status == OperationStatus.SUCCESS ? Optional.of(RecordCodec.decode(value.getData())) : Optional.empty();
        });
    }

    /** Writes the value; returns its version. */
    public long put(byte[] key, byte[] value) {
        return put(key, value, WriteObserver.NONE);
    }

    /** Writes the value at the next LSN, telling the observer; returns its version. */
    public long put(byte[] key, byte[] value, WriteObserver observer) {
        Objects.requireNonNull(value, "value");
        return mutate("put", key, null, current -> Change.value(value), observer).newVersion();
    }

    /**
     * Writes every value at consecutive LSNs, in the order given, in one transaction (the
     * multi-partition {@link #putAll(List)} with this partition alone); returns the versions.
     */
    public List<Long> putAll(List<byte[]> keys, List<byte[]> values, WriteObserver observer) {
        return putAll(List.of(new HeadPuts(this, keys, values, observer))).get(0);
    }

    /** Deletes the key: writes a tombstone at a new LSN only if a live value existed. */
    public RemoveOutcome delete(byte[] key) {
        return delete(key, WriteObserver.NONE);
    }

    public RemoveOutcome delete(byte[] key, WriteObserver observer) {
        Applied a = mutate("delete", key, null, current -> current != null && current.isLive() ? Change.TOMBSTONE : null, observer);
        return a.wrote() ? new RemoveOutcome(true, a.newVersion()) : RemoveOutcome.ABSENT;
    }

    /**
     * Writes the value only if the key's current version is {@code expectedVersion}; 0 means the
     * key must be absent (a tombstone counts as absent).
     */
    public CasOutcome compareAndSet(byte[] key, byte[] value, long expectedVersion) {
        return compareAndSet(key, value, expectedVersion, null, WriteObserver.NONE);
    }

    public CasOutcome compareAndSet(byte[] key, byte[] value, long expectedVersion, String requestId) {
        return compareAndSet(key, value, expectedVersion, requestId, WriteObserver.NONE);
    }

    /**
     * Like {@link #compareAndSet(byte[], byte[], long)}; when {@code requestId} is not null and a
     * compare-and-set with that id recently applied to this key (here, or upstream in the chain),
     * answers with that version instead of applying again (a client's retry after a timeout).
     */
    public CasOutcome compareAndSet(byte[] key, byte[] value, long expectedVersion, String requestId, WriteObserver observer) {
        Objects.requireNonNull(value, "value");
        if (expectedVersion < 0) {
            throw new IllegalArgumentException("expected version must not be negative: " + expectedVersion);
        }
        Applied a = mutate("compareAndSet", key, requestId,
                current -> liveVersion(current) == expectedVersion ? Change.value(value) : null, observer);
        return a.wrote() ? CasOutcome.applied(a.newVersion()) : CasOutcome.mismatch(liveVersion(a.previous()));
    }

    /**
     * Applies chain writes in LSN order in one JE transaction: writes at or below the applied
     * LSN are skipped (duplicates), the first write beyond the next expected LSN stops the run
     * (a gap). A record is replaced only by a higher version, or when {@code override} says the
     * stored record is suspect (catch-up after a divergent suffix). {@code override} is asked once
     * for every write, under the partition's write lock.
     */
    public ApplyResult applyInOrder(List<ChainWrite> writes, Predicate<byte[]> override, WriteObserver observer) {
        return replicaWrites.applyInOrder(writes, override, observer);
    }

    /**
     * Like {@link #applyInOrder(List, Predicate, WriteObserver)} for several partitions of one
     * environment at once, in one JE transaction (a replicate batch); results in the order given.
     */
    public static List<ApplyResult> applyInOrder(List<ChainApply> parts) {
        return ReplicaWrites.applyInOrder(parts);
    }

    /**
     * Merges catch-up records out of LSN order, each only if its version is higher than the
     * stored one (or the stored one is suspect); the applied LSN is not changed. Returns how many
     * records were written.
     */
    public int merge(List<ChainWrite> records, Predicate<byte[]> override) {
        return replicaWrites.merge(records, override);
    }

    /**
     * Replaces the key's record with the given one (null = remove the key entirely) if
     * {@code stillWanted} says so under the write lock; returns whether it did.
     */
    public boolean force(byte[] key, VersionedRecord record, BooleanSupplier stillWanted) {
        return replicaWrites.force(key, record, stillWanted);
    }

    /** Sets the applied LSN (catch-up: everything up to it is reflected here). May lower it. */
    public void setAppliedLsn(long applied) {
        replicaWrites.setApplied(applied);
    }

    /** Raises the applied LSN (a catch-up pass: everything up to it is reflected here); never lowers it. */
    public void raiseAppliedLsn(long applied) {
        replicaWrites.raiseApplied(applied);
    }

    /**
     * Makes the next head-assigned LSN follow the applied LSN (a replica that becomes head);
     * returns that applied LSN: the new head writes from the LSN after it.
     */
    public long continueFromApplied() {
        return replicaWrites.continueFromApplied();
    }

    /** Forgets remembered compare-and-set request ids. */
    public void forgetRecentRequests() {
        locked("forgetRecentRequests", () -> {
            recentCas.clear();
            return null;
        });
    }

    /**
     * Records that LSNs up to {@code committed} are committed. Kept in memory and written with
     * the next meta row (every write carries it); {@link #flushCommitted()} persists it now.
     */
    public void noteCommitted(long committed) {
        if (committed > knownCommitted) {
            synchronized (this) {
                knownCommitted = Math.max(knownCommitted, committed);
            }
        }
    }

    /** Persists the known committed LSN if the stored one is older. */
    public void flushCommitted() {
        if (knownCommitted > meta.committedLsn()) {
            replicaWrites.writeMetaOnly();
        }
    }

    /**
     * Up to {@code limit} live entries with keys strictly after {@code startAfter} (empty = from
     * the first key), in unsigned byte order. A page also stops before exceeding {@code maxBytes}
     * (but always holds at least one entry, so paging makes progress).
     */
    public RecordPage scan(byte[] startAfter, int limit, long maxBytes) {
        if (limit < 1) {
            throw new IllegalArgumentException("scan limit must be at least 1: " + limit);
        }
        return read("scan", () -> scans.page(startAfter, limit, maxBytes, false, meta.appliedLsn()));
    }

    /** Like {@link #scan} but with tombstones and without a count limit: a chunk of a partition snapshot. */
    public RecordPage snapshot(byte[] startAfter, long maxBytes) {
        return read("snapshot", () -> scans.page(startAfter, Integer.MAX_VALUE, maxBytes, true, meta.appliedLsn()));
    }

    /**
     * Records with a version above {@code afterVersion}, tombstones included, keys after
     * {@code startAfter}; stops at about {@code maxBytes} of records or after examining
     * {@code maxExamined} keys.
     */
    public ChangePage changesAfter(byte[] startAfter, long afterVersion, long maxBytes, int maxExamined) {
        return read("changesAfter", () -> scans.changes(startAfter, afterVersion, maxBytes, maxExamined, meta.appliedLsn()));
    }

    /** Keys whose record (live or tombstone) has a version above {@code version}. */
    public List<byte[]> keysAbove(long version) {
        return read("keysAbove", () -> scans.keysAbove(version));
    }

    void close() {
        lifecycle.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                db.close();
            }
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    // ---------------------------------------------------------------- primitives for ReplicaWrites

    /**
     * Runs the body under the write lock with the store open, translating JE failures. An
     * {@link InvariantViolation} from the body (the observers run in it, some after the commit)
     * is not translated: it stops the storage ({@link FailStop}) and goes to the caller as it is.
     */
    <T> T locked(String what, Supplier<T> body) {
        lifecycle.readLock().lock();
        try {
            ensureOpen(what);
            failStop.checkRunning(what + " in partition " + id);
            writeOrder.lock();
            try {
                return body.get();
            } finally {
                writeOrder.unlock();
            }
        } catch (RuntimeException e) {
            throw failed(what, e);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /**
     * Runs the body holding the write locks of several partitions, taken in list order — callers
     * give them in ascending partition order, so two such callers cannot deadlock.
     */
    /** The parts sorted by partition, the order {@link #lockedInOrder} takes their locks in; a partition may appear once. */
    static <T> List<T> inLockOrder(List<T> parts, Function<T, PartitionStore> store) {
        List<T> sorted = new ArrayList<>(parts);
        sorted.sort(java.util.Comparator.comparingInt(t -> store.apply(t).id()));
        for (int i = 1; i < sorted.size(); i++) {
            if (store.apply(sorted.get(i)) == store.apply(sorted.get(i - 1))) {
                throw new IllegalArgumentException("partition " + store.apply(sorted.get(i)).id() + " appears twice in one call");
            }
        }
        return sorted;
    }

    static void lockedInOrder(String what, List<PartitionStore> stores, Runnable body) {
        lockedFrom(what, stores, 0, body);
    }

    private static void lockedFrom(String what, List<PartitionStore> stores, int from, Runnable body) {
        if (from == stores.size()) {
            body.run();
            return;
        }
        stores.get(from).locked(what, () -> {
            lockedFrom(what, stores, from + 1, body);
            return null;
        });
    }

    /**
     * Writes values to several partitions at their next LSNs in one JE transaction (a client's
     * {@code multiPut}: one commit for the call, not one per partition it touches); returns each
     * part's versions in its order. Locks are taken in ascending partition order and held until
     * the observers heard of the commit. A failure before the commit writes nothing of the call.
     */
    public static List<List<Long>> putAll(List<HeadPuts> parts) {
        List<HeadPuts> sorted = inLockOrder(parts, HeadPuts::store);
        for (HeadPuts h : sorted) {
            h.store().failStop.checkRunning("putAll in partition " + h.store().id());
        }
        Map<HeadPuts, List<Long>> versions = new java.util.IdentityHashMap<>();
        lockedInOrder("putAll", sorted.stream().map(HeadPuts::store).toList(), () -> putAllLocked(sorted, versions));
        List<List<Long>> out = new ArrayList<>(parts.size());
        for (HeadPuts h : parts) {
            out.add(versions.get(h));
        }
        return out;
    }

    /** One partition's entries of a multi-partition put, in order, and who observes them. */
    public record HeadPuts(PartitionStore store, List<byte[]> keys, List<byte[]> values, WriteObserver observer) {
        public HeadPuts {
            Objects.requireNonNull(store, "store");
            Objects.requireNonNull(observer, "observer");
            if (keys.size() != values.size()) {
                throw new IllegalArgumentException(keys.size() + " keys but " + values.size() + " values");
            }
            for (int i = 0; i < keys.size(); i++) {
                requireKey(keys.get(i));
                Objects.requireNonNull(values.get(i), "value");
            }
        }
    }

    /** Under every part's write lock. */
    private static void putAllLocked(List<HeadPuts> parts, Map<HeadPuts, List<Long>> versions) {
        Transaction txn = parts.get(0).store().begin();
        List<List<ChainWrite>> prepared = new ArrayList<>(parts.size());
        List<PartitionMeta> staged = new ArrayList<>(parts.size());
        try {
            for (HeadPuts h : parts) {
                PartitionStore store = h.store();
                List<ChainWrite> writes = new ArrayList<>(h.keys().size());
                prepared.add(writes);
                PartitionMeta next = store.meta;
                for (int i = 0; i < h.keys().size(); i++) {
                    byte[] key = h.keys().get(i);
                    VersionedRecord previous = store.readForUpdate(txn, key);
                    long lsn = next.lastLsn() + 1;
                    ChainWrite write = new ChainWrite(store.id, lsn, key, h.values().get(i), null);
                    h.observer().prepared(write);
                    writes.add(write);
                    VersionedRecord record = write.record();
                    store.putRecord(txn, key, record);
                    next = next.advance(lsn, liveKeyDelta(previous, record), byteDelta(key, previous, record));
                }
                staged.add(store.stageMeta(txn, next));
            }
            parts.get(0).store().commitShared(txn);
        } catch (RuntimeException e) {
            abort(txn, e);
            for (int i = 0; i < prepared.size(); i++) {
                prepared.get(i).forEach(parts.get(i).observer()::aborted);
            }
            throw e;
        }
        for (int i = 0; i < parts.size(); i++) {
            parts.get(i).store().published(staged.get(i));
        }
        for (int i = 0; i < parts.size(); i++) {
            HeadPuts h = parts.get(i);
            List<Long> lsns = new ArrayList<>(prepared.get(i).size());
            for (ChainWrite w : prepared.get(i)) {
                h.observer().committed(w);
                lsns.add(w.lsn());
            }
            versions.put(h, lsns);
        }
    }

    /** What a failed write throws: an invariant violation as it is, after stopping the storage; JE's failures translated. */
    private RuntimeException failed(String what, RuntimeException e) {
        if (e instanceof InvariantViolation violation) {
            failStop.trip(what + " in partition " + id, violation);
            return violation;
        }
        return StorageException.translate(what + " in partition " + id, e);
    }

    Transaction begin() {
        return env.beginTransaction(null, null);
    }

    /** The record under the key, read with a write lock in the transaction; null when absent. */
    VersionedRecord readForUpdate(Transaction txn, byte[] key) {
        DatabaseEntry v = new DatabaseEntry();
        return db.get(txn, new DatabaseEntry(key), v, LockMode.RMW) == OperationStatus.SUCCESS ? RecordCodec.decode(v.getData()) : null;
    }

    void putRecord(Transaction txn, byte[] key, VersionedRecord record) {
        db.put(txn, new DatabaseEntry(key), new DatabaseEntry(RecordCodec.encode(record)));
    }

    void deleteRecord(Transaction txn, byte[] key) {
        db.delete(txn, new DatabaseEntry(key));
    }

    /**
     * Writes the meta row (with the known committed LSN) and commits; only then is the new meta
     * visible. Under write_no_sync the commit reaches JE's log buffer only: the {@link CommitLog}
     * writes it to the OS before anyone is told of it.
     */
    void commit(Transaction txn, PartitionMeta next) {
        PartitionMeta withCommitted = stageMeta(txn, next);
        commitShared(txn);
        published(withCommitted);
    }

    /** Writes the meta row (with the known committed LSN) in the transaction; returns it, for {@link #published} after the commit. */
    PartitionMeta stageMeta(Transaction txn, PartitionMeta next) {
        PartitionMeta withCommitted = next.withCommitted(knownCommitted);
        metaStore.write(txn, id, withCommitted);
        return withCommitted;
    }

    /** Commits a transaction of this environment's partitions (its meta rows staged), counted by the commit log. */
    void commitShared(Transaction txn) {
        com.sleepycat.je.Durability durability = commitLog.commitDurability();
        if (durability == null) {
            txn.commit();
        } else {
            txn.commit(durability);
        }
        commitLog.committed();
    }

    /** The meta row staged for this partition is committed: it is the partition's state now. */
    void published(PartitionMeta committed) {
        meta = committed;
    }

    PartitionMeta currentMeta() {
        return meta;
    }

    RecentRequests recentRequests() {
        return recentCas;
    }

    static void abort(Transaction txn, RuntimeException cause) {
        try {
            Transaction.State state = txn.getState();
            if (state != Transaction.State.COMMITTED && state != Transaction.State.ABORTED) {
                txn.abort();
            }
        } catch (RuntimeException abortFailure) {
            cause.addSuppressed(abortFailure);
        }
    }

    /** How the stored key+value bytes change when {@code next} replaces {@code previous} (null = absent). */
    static long byteDelta(byte[] key, VersionedRecord previous, VersionedRecord next) {
        return storedBytes(key, next) - storedBytes(key, previous);
    }

    private static long storedBytes(byte[] key, VersionedRecord r) {
        return r == null ? 0 : key.length + (r.isLive() ? r.value().length : 0);
    }

    static int liveKeyDelta(VersionedRecord previous, VersionedRecord next) {
        int before = previous != null && previous.isLive() ? 1 : 0;
        int after = next != null && next.isLive() ? 1 : 0;
        return after - before;
    }

    // ---------------------------------------------------------------- head writes

    /**
     * Group commit (DESIGN "Storage"): a head write joins the partition's queue; whoever holds
     * the write lock next applies every queued write, in queue order, in one JE transaction with
     * one meta row — so concurrent writes of a partition share a log write and a commit. Each
     * write still gets its own LSN, decided against the state the writes before it left, and the
     * observer sees them in LSN order exactly as for single writes. A writer that finds its write
     * already done by another thread returns its result.
     */
    private Applied mutate(String what, byte[] key, String requestId, Function<VersionedRecord, Change> decide, WriteObserver observer) {
        requireKey(key);
        Objects.requireNonNull(observer, "observer");
        failStop.checkRunning(what + " in partition " + id);
        return mutateAll(List.of(new HeadWrite(what, key, requestId, decide, observer))).get(0);
    }

    /** Queues the writes (in order) and applies them, with whatever else is queued, under the write lock. */
    private List<Applied> mutateAll(List<HeadWrite> writes) {
        HeadWrite last = writes.get(writes.size() - 1);
        headWrites.addAll(writes);
        locked(last.what, () -> {
            while (!last.done) {
                combine(); // the queue holds them until done: each round takes at most MAX_GROUP, in queue order
            }
            return null;
        });
        List<Applied> results = new ArrayList<>(writes.size());
        for (HeadWrite w : writes) {
            if (w.failure != null) {
                throw failed(w.what, w.failure);
            }
            results.add(w.result);
        }
        return results;
    }

    /** Applies the queued head writes in one transaction. Under the write lock. */
    private void combine() {
        List<HeadWrite> batch = new ArrayList<>();
        HeadWrite w;
        while (batch.size() < MAX_GROUP && (w = headWrites.poll()) != null) {
            batch.add(w);
        }
        if (batch.isEmpty()) {
            return;
        }
        Transaction txn = begin();
        List<HeadWrite> written = new ArrayList<>(batch.size());
        Map<String, Long> idsInBatch = new HashMap<>();
        PartitionMeta next = meta;
        try {
            for (HeadWrite h : batch) {
                if (h.requestId != null) {
                    Long same = idsInBatch.get(h.requestId);
                    long replayed = same != null ? same : recentCas.versionOf(h.requestId, h.key);
                    if (replayed > 0) {
                        h.result = new Applied(null, replayed);
                        continue;
                    }
                }
                VersionedRecord previous = readForUpdate(txn, h.key);
                Change change = h.decide.apply(previous);
                if (change == null) {
                    h.result = new Applied(previous, 0); // nothing to write
                    continue;
                }
                long lsn = next.lastLsn() + 1;
                ChainWrite write = new ChainWrite(id, lsn, h.key, change.tombstone() ? null : change.value(), h.requestId);
                h.observer.prepared(write);
                h.write = write;
                written.add(h);
                VersionedRecord record = write.record();
                putRecord(txn, h.key, record);
                next = next.advance(lsn, liveKeyDelta(previous, record), byteDelta(h.key, previous, record));
                h.result = new Applied(previous, lsn);
                if (h.requestId != null) {
                    idsInBatch.put(h.requestId, lsn);
                }
            }
            if (written.isEmpty()) {
                txn.abort();
            } else {
                commit(txn, next);
            }
        } catch (RuntimeException e) {
            abort(txn, e);
            for (HeadWrite h : written) {
                h.observer.aborted(h.write);
            }
            for (HeadWrite h : batch) {
                h.result = null;
                h.failure = e;
                h.done = true;
            }
            return;
        }
        try {
            for (HeadWrite h : written) {
                if (h.requestId != null) {
                    recentCas.remember(h.requestId, h.key, h.write.lsn());
                }
                h.observer.committed(h.write);
            }
        } catch (RuntimeException e) {
            // committed in JE, but the replication state refused it: no waiter of this batch may be told "ok"
            for (HeadWrite h : batch) {
                h.failure = e;
            }
            throw e;
        } finally {
            for (HeadWrite h : batch) {
                h.done = true;
            }
        }
    }

    /** A head write waiting in the group-commit queue; its fields are written under the write lock. */
    private static final class HeadWrite {
        final String what;
        final byte[] key;
        final String requestId;
        final Function<VersionedRecord, Change> decide;
        final WriteObserver observer;
        ChainWrite write;
        Applied result;
        RuntimeException failure;
        volatile boolean done;

        HeadWrite(String what, byte[] key, String requestId, Function<VersionedRecord, Change> decide, WriteObserver observer) {
            this.what = what;
            this.key = key;
            this.requestId = requestId;
            this.decide = decide;
            this.observer = observer;
        }
    }

    private <T> T read(String what, Supplier<T> op) {
        lifecycle.readLock().lock();
        try {
            ensureOpen(what);
            return op.get();
        } catch (RuntimeException e) {
            throw StorageException.translate(what + " in partition " + id, e);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    private void ensureOpen(String what) {
        if (closed) {
            throw new StorageException(StorageException.Kind.CLOSED, what + ": partition " + id + " is closed", null);
        }
    }

    private static long liveVersion(VersionedRecord r) {
        return r != null && r.isLive() ? r.version() : 0;
    }

    static void requireKey(byte[] key) {
        Objects.requireNonNull(key, "key");
        if (key.length == 0) {
            throw new IllegalArgumentException("empty key");
        }
    }

    /** What a write decided to store. */
    private record Change(boolean tombstone, byte[] value) {
        static final Change TOMBSTONE = new Change(true, new byte[0]);

        static Change value(byte[] value) {
            return new Change(false, value);
        }
    }

    /** What a write found and, if it wrote, the version it wrote (0 = nothing written). */
    private record Applied(VersionedRecord previous, long newVersion) {
        boolean wrote() {
            return newVersion > 0;
        }
    }
}
