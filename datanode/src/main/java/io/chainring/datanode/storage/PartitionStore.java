package io.chainring.datanode.storage;

import com.sleepycat.je.Cursor;
import com.sleepycat.je.CursorConfig;
import com.sleepycat.je.Database;
import com.sleepycat.je.DatabaseEntry;
import com.sleepycat.je.Environment;
import com.sleepycat.je.LockMode;
import com.sleepycat.je.OperationStatus;
import com.sleepycat.je.Transaction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One partition replica: a JE database of key → {@link VersionedRecord}.
 *
 * <p>Every write takes the next partition LSN as the record's version and commits the record
 * and the partition's {@link PartitionMeta} in one JE transaction. Writes of a partition are
 * serialized by a lock, so LSN order is commit order — the order a chain successor must apply
 * them in. Reads do not take that lock; they see committed data only.
 *
 * <p>Deletes leave tombstones: a catching-up replica must learn of them (DESIGN §6.4).
 */
public final class PartitionStore {
    private final int id;
    private final Environment env;
    private final Database db;
    private final MetaStore metaStore;
    /** Serializes writes so that LSN order equals commit order. */
    private final ReentrantLock writeOrder = new ReentrantLock();
    /** Operations hold the read side; close takes the write side so no operation sees a closed handle. */
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    /** Guarded by {@link #writeOrder}. */
    private final RecentRequests recentCas = new RecentRequests(RecentRequests.DEFAULT_CAPACITY);
    private volatile PartitionMeta meta;
    private boolean closed;

    PartitionStore(int id, Environment env, Database db, MetaStore metaStore) {
        this.id = id;
        this.env = env;
        this.db = db;
        this.metaStore = metaStore;
        this.meta = metaStore.read(null, id);
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

    /** Number of keys holding a live value (exact: maintained in the same transaction as each write). */
    public long keyCount() {
        return meta.liveKeys();
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
        Objects.requireNonNull(value, "value");
        return mutate("put", key, current -> Change.value(value)).newVersion();
    }

    /** Deletes the key: writes a tombstone at a new LSN only if a live value existed. */
    public RemoveOutcome delete(byte[] key) {
        Applied a = mutate("delete", key, current -> current != null && current.isLive() ? Change.TOMBSTONE : null);
        return a.wrote() ? new RemoveOutcome(true, a.newVersion()) : RemoveOutcome.ABSENT;
    }

    /**
     * Writes the value only if the key's current version is {@code expectedVersion}; 0 means the
     * key must be absent (a tombstone counts as absent).
     */
    public CasOutcome compareAndSet(byte[] key, byte[] value, long expectedVersion) {
        return compareAndSet(key, value, expectedVersion, null);
    }

    /**
     * Like {@link #compareAndSet(byte[], byte[], long)}; when {@code requestId} is not null and a
     * compare-and-set with that id recently applied to this key, answers with that version
     * instead of applying again (a client's retry after a timeout).
     */
    public CasOutcome compareAndSet(byte[] key, byte[] value, long expectedVersion, String requestId) {
        Objects.requireNonNull(value, "value");
        if (expectedVersion < 0) {
            throw new IllegalArgumentException("expected version must not be negative: " + expectedVersion);
        }
        Applied a = mutate("compareAndSet", key, requestId,
                current -> liveVersion(current) == expectedVersion ? Change.value(value) : null);
        return a.wrote() ? CasOutcome.applied(a.newVersion()) : CasOutcome.mismatch(liveVersion(a.previous()));
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
        return page("scan", startAfter, limit, maxBytes, false);
    }

    /** Like {@link #scan} but with tombstones and without a count limit: a chunk of a partition snapshot. */
    public RecordPage snapshot(byte[] startAfter, long maxBytes) {
        return page("snapshot", startAfter, Integer.MAX_VALUE, maxBytes, true);
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

    private RecordPage page(String what, byte[] startAfter, int limit, long maxBytes, boolean withTombstones) {
        Objects.requireNonNull(startAfter, "startAfter");
        if (maxBytes < 1) {
            throw new IllegalArgumentException(what + " byte budget must be positive: " + maxBytes);
        }
        return read(what, () -> {
            long applied = meta.appliedLsn();
            List<KeyedRecord> out = new ArrayList<>();
            long bytes = 0;
            try (Cursor cursor = db.openCursor(null, CursorConfig.READ_COMMITTED)) {
                DatabaseEntry key = new DatabaseEntry();
                DatabaseEntry value = new DatabaseEntry();
                OperationStatus status = position(cursor, startAfter, key, value);
                while (status == OperationStatus.SUCCESS) {
                    VersionedRecord record = RecordCodec.decode(value.getData());
                    if (withTombstones || record.isLive()) {
                        KeyedRecord entry = new KeyedRecord(key.getData(), record);
                        if (out.size() >= limit || (!out.isEmpty() && bytes + entry.approximateBytes() > maxBytes)) {
                            return new RecordPage(out, false, applied);
                        }
                        out.add(entry);
                        bytes += entry.approximateBytes();
                    }
                    key = new DatabaseEntry();
                    status = cursor.getNext(key, value, null);
                }
            }
            return new RecordPage(out, true, applied);
        });
    }

    /** Moves the cursor to the first key strictly after {@code startAfter}. */
    private static OperationStatus position(Cursor cursor, byte[] startAfter, DatabaseEntry key, DatabaseEntry value) {
        if (startAfter.length == 0) {
            return cursor.getFirst(key, value, null);
        }
        key.setData(startAfter.clone());
        OperationStatus status = cursor.getSearchKeyRange(key, value, null);
        if (status == OperationStatus.SUCCESS && Arrays.equals(key.getData(), startAfter)) {
            status = cursor.getNext(key, value, null);
        }
        return status;
    }

    private Applied mutate(String what, byte[] key, Function<VersionedRecord, Change> decide) {
        return mutate(what, key, null, decide);
    }

    private Applied mutate(String what, byte[] key, String requestId, Function<VersionedRecord, Change> decide) {
        requireKey(key);
        lifecycle.readLock().lock();
        try {
            ensureOpen(what);
            writeOrder.lock();
            try {
                if (requestId != null) {
                    long replayed = recentCas.versionOf(requestId, key);
                    if (replayed > 0) {
                        return new Applied(null, replayed);
                    }
                }
                Applied applied = mutateLocked(key, decide);
                if (requestId != null && applied.wrote()) {
                    recentCas.remember(requestId, key, applied.newVersion());
                }
                return applied;
            } finally {
                writeOrder.unlock();
            }
        } catch (RuntimeException e) {
            throw StorageException.translate(what + " in partition " + id, e);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    private Applied mutateLocked(byte[] key, Function<VersionedRecord, Change> decide) {
        Transaction txn = env.beginTransaction(null, null);
        try {
            DatabaseEntry k = new DatabaseEntry(key);
            DatabaseEntry v = new DatabaseEntry();
            VersionedRecord previous = db.get(txn, k, v, LockMode.RMW) == OperationStatus.SUCCESS
                    ? RecordCodec.decode(v.getData()) : null;
            Change change = decide.apply(previous);
            if (change == null) {
                txn.abort(); // nothing to write
                return new Applied(previous, 0);
            }
            long lsn = meta.lastLsn() + 1;
            VersionedRecord next = change.tombstone() ? VersionedRecord.tombstone(lsn) : VersionedRecord.live(lsn, change.value());
            db.put(txn, k, new DatabaseEntry(RecordCodec.encode(next)));
            PartitionMeta nextMeta = meta.advance(lsn, liveKeyDelta(previous, next));
            metaStore.write(txn, id, nextMeta);
            txn.commit();
            meta = nextMeta;
            return new Applied(previous, lsn);
        } catch (RuntimeException e) {
            abort(txn, e);
            throw e;
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

    private static void abort(Transaction txn, RuntimeException cause) {
        try {
            Transaction.State state = txn.getState();
            if (state != Transaction.State.COMMITTED && state != Transaction.State.ABORTED) {
                txn.abort();
            }
        } catch (RuntimeException abortFailure) {
            cause.addSuppressed(abortFailure);
        }
    }

    private static long liveVersion(VersionedRecord r) {
        return r != null && r.isLive() ? r.version() : 0;
    }

    private static int liveKeyDelta(VersionedRecord previous, VersionedRecord next) {
        int before = previous != null && previous.isLive() ? 1 : 0;
        int after = next.isLive() ? 1 : 0;
        return after - before;
    }

    private static void requireKey(byte[] key) {
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
