package io.chainring.datanode.storage;

import com.sleepycat.je.Transaction;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * The writes a replica receives rather than orders itself: chain writes applied in LSN order,
 * and catch-up records merged out of order (higher version wins) or forced over suspect ones.
 * All run under the partition's write lock, one JE transaction per call.
 */
final class ReplicaWrites {
    private final PartitionStore store;

    ReplicaWrites(PartitionStore store) {
        this.store = store;
    }

    ApplyResult applyInOrder(List<ChainWrite> writes, Predicate<byte[]> override, WriteObserver observer) {
        if (writes.isEmpty()) {
            // a batch that only carries LSNs: nothing to order, no lock needed
            return new ApplyResult(0, 0, false, store.currentMeta().appliedLsn());
        }
        return store.locked("apply", () -> {
            PartitionMeta meta = store.currentMeta();
            long applied = meta.appliedLsn();
            List<ChainWrite> run = new ArrayList<>(writes.size());
            int duplicates = 0;
            boolean gap = false;
            for (ChainWrite w : writes) {
                checkPartition(w);
                if (w.lsn() <= applied) {
                    duplicates++;
                } else if (w.lsn() == applied + 1) {
                    run.add(w);
                    applied++;
                } else {
                    gap = true;
                    break;
                }
            }
            if (run.isEmpty()) {
                return new ApplyResult(0, duplicates, gap, meta.appliedLsn());
            }
            Transaction txn = store.begin();
            int prepared = 0;
            try {
                for (ChainWrite w : run) {
                    observer.prepared(w);
                    prepared++;
                    boolean forced = override.test(w.key());
                    VersionedRecord previous = store.readForUpdate(txn, w.key());
                    VersionedRecord next = w.record();
                    int delta = 0;
                    long bytes = 0;
                    if (forced || previous == null || previous.version() < w.lsn()) {
                        store.putRecord(txn, w.key(), next);
                        delta = PartitionStore.liveKeyDelta(previous, next);
                        bytes = PartitionStore.byteDelta(w.key(), previous, next);
                    }
                    meta = meta.advance(w.lsn(), delta, bytes);
                }
                store.commit(txn, meta);
            } catch (RuntimeException e) {
                PartitionStore.abort(txn, e);
                for (int i = 0; i < prepared; i++) {
                    observer.aborted(run.get(i));
                }
                throw e;
            }
            for (ChainWrite w : run) {
                if (w.requestId() != null) {
                    store.recentRequests().remember(w.requestId(), w.key(), w.lsn());
                }
                observer.committed(w);
            }
            return new ApplyResult(run.size(), duplicates, gap, meta.appliedLsn());
        });
    }

    int merge(List<ChainWrite> records, Predicate<byte[]> override) {
        if (records.isEmpty()) {
            return 0;
        }
        return store.locked("merge", () -> {
            PartitionMeta meta = store.currentMeta();
            Transaction txn = store.begin();
            int written = 0;
            try {
                for (ChainWrite w : records) {
                    checkPartition(w);
                    boolean forced = override.test(w.key());
                    VersionedRecord previous = store.readForUpdate(txn, w.key());
                    if (forced || previous == null || previous.version() < w.lsn()) {
                        VersionedRecord next = w.record();
                        store.putRecord(txn, w.key(), next);
                        meta = meta.merged(w.lsn(), PartitionStore.liveKeyDelta(previous, next),
                                PartitionStore.byteDelta(w.key(), previous, next));
                        written++;
                    }
                }
                if (written == 0) {
                    txn.abort();
                } else {
                    store.commit(txn, meta);
                }
            } catch (RuntimeException e) {
                PartitionStore.abort(txn, e);
                throw e;
            }
            return written;
        });
    }

    boolean force(byte[] key, VersionedRecord record, BooleanSupplier stillWanted) {
        PartitionStore.requireKey(key);
        return store.locked("force", () -> {
            if (!stillWanted.getAsBoolean()) {
                return false;
            }
            PartitionMeta meta = store.currentMeta();
            Transaction txn = store.begin();
            try {
                VersionedRecord previous = store.readForUpdate(txn, key);
                if (record == null) {
                    store.deleteRecord(txn, key);
                    meta = meta.withKeyDelta(PartitionStore.liveKeyDelta(previous, null), PartitionStore.byteDelta(key, previous, null));
                } else {
                    store.putRecord(txn, key, record);
                    meta = meta.merged(record.version(), PartitionStore.liveKeyDelta(previous, record),
                            PartitionStore.byteDelta(key, previous, record));
                }
                store.commit(txn, meta);
            } catch (RuntimeException e) {
                PartitionStore.abort(txn, e);
                throw e;
            }
            return true;
        });
    }

    void raiseApplied(long applied) {
        store.locked("raiseApplied", () -> {
            PartitionMeta meta = store.currentMeta();
            if (applied > meta.appliedLsn()) {
                writeMeta(meta.withApplied(applied).withLastLsn(Math.max(meta.lastLsn(), applied)));
            }
            return null;
        });
    }

    void setApplied(long applied) {
        if (applied < 0) {
            throw new IllegalArgumentException("negative applied LSN " + applied);
        }
        store.locked("setApplied", () -> {
            PartitionMeta meta = store.currentMeta();
            if (meta.appliedLsn() != applied) {
                writeMeta(meta.withApplied(applied).withLastLsn(Math.max(meta.lastLsn(), applied)));
            }
            return null;
        });
    }

    long continueFromApplied() {
        return store.locked("continueFromApplied", () -> {
            PartitionMeta meta = store.currentMeta();
            if (meta.lastLsn() != meta.appliedLsn()) {
                writeMeta(meta.withLastLsn(meta.appliedLsn()));
            }
            return meta.appliedLsn();
        });
    }

    void writeMetaOnly() {
        store.locked("writeMeta", () -> {
            writeMeta(store.currentMeta());
            return null;
        });
    }

    private void writeMeta(PartitionMeta meta) {
        Transaction txn = store.begin();
        try {
            store.commit(txn, meta);
        } catch (RuntimeException e) {
            PartitionStore.abort(txn, e);
            throw e;
        }
    }

    private void checkPartition(ChainWrite w) {
        if (w.partition() != store.id()) {
            throw new IllegalArgumentException("write for partition " + w.partition() + " sent to partition " + store.id());
        }
    }
}
