package io.chainring.datanode.storage;

import com.sleepycat.je.Transaction;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * The writes a replica receives rather than orders itself: chain writes applied in LSN order,
 * and catch-up records merged out of order (higher version wins) or forced over suspect ones.
 * All run under the partition's write lock, one JE transaction per call; chain writes of many
 * partitions may share one ({@link #applyInOrder(List)}).
 */
final class ReplicaWrites {
    private final PartitionStore store;

    ReplicaWrites(PartitionStore store) {
        this.store = store;
    }

    ApplyResult applyInOrder(List<ChainWrite> writes, Predicate<byte[]> override, WriteObserver observer) {
        return applyInOrder(List.of(new ChainApply(store, writes, override, observer))).get(0);
    }

    /**
     * Applies several partitions' chain writes in LSN order in one JE transaction (issue 10: a
     * replicate batch spans many partitions; one commit and one log record for all of them, not
     * one per partition). Each partition's write lock is held from its writes' staging until
     * their observers heard of the commit, taken in ascending partition order — as by every
     * caller that holds more than one — so LSN order stays commit order and no two batches
     * deadlock. A failure before the commit applies nothing of the batch.
     */
    static List<ApplyResult> applyInOrder(List<ChainApply> parts) {
        List<ChainApply> sorted = PartitionStore.inLockOrder(parts, ChainApply::store);
        Map<ChainApply, ApplyResult> results = new IdentityHashMap<>();
        List<ChainApply> locking = new ArrayList<>();
        for (ChainApply part : sorted) {
            if (part.writes().isEmpty()) {
                // only LSNs for this partition: nothing to order, no lock needed
                results.put(part, new ApplyResult(0, 0, false, part.store().currentMeta().appliedLsn()));
            } else {
                locking.add(part);
            }
        }
        if (!locking.isEmpty()) {
            PartitionStore.lockedInOrder("apply", locking.stream().map(ChainApply::store).toList(), () -> applyLocked(locking, results));
        }
        List<ApplyResult> out = new ArrayList<>(parts.size());
        for (ChainApply part : parts) {
            out.add(results.get(part));
        }
        return out;
    }


    /** A partition's part of a batch, staged in the shared transaction. */
    private record Staged(ChainApply part, List<ChainWrite> run, PartitionMeta meta, int duplicates, boolean gap) {
    }

    /** Under every part's write lock. */
    private static void applyLocked(List<ChainApply> parts, Map<ChainApply, ApplyResult> results) {
        List<Staged> staged = new ArrayList<>(parts.size());
        Transaction txn = null;
        int prepared = 0;
        Staged current = null;
        try {
            for (ChainApply part : parts) {
                PartitionStore store = part.store();
                PartitionMeta meta = store.currentMeta();
                long applied = meta.appliedLsn();
                List<ChainWrite> run = new ArrayList<>(part.writes().size());
                int duplicates = 0;
                boolean gap = false;
                for (ChainWrite w : part.writes()) {
                    checkPartition(store, w);
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
                    results.put(part, new ApplyResult(0, duplicates, gap, meta.appliedLsn()));
                    continue;
                }
                if (txn == null) {
                    txn = store.begin();
                }
                current = new Staged(part, run, meta, duplicates, gap);
                prepared = 0;
                for (ChainWrite w : run) {
                    part.observer().prepared(w);
                    prepared++;
                    boolean forced = part.override().test(w.key());
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
                staged.add(new Staged(part, run, meta, duplicates, gap));
                current = null;
            }
            if (txn == null) {
                return;
            }
            List<PartitionMeta> written = new ArrayList<>(staged.size());
            for (Staged st : staged) {
                written.add(st.part().store().stageMeta(txn, st.meta()));
            }
            staged.get(0).part().store().commitShared(txn);
            for (int i = 0; i < staged.size(); i++) {
                staged.get(i).part().store().published(written.get(i));
            }
        } catch (RuntimeException e) {
            if (txn != null) {
                PartitionStore.abort(txn, e);
            }
            for (Staged st : staged) {
                st.run().forEach(st.part().observer()::aborted);
            }
            if (current != null) {
                for (int i = 0; i < prepared; i++) {
                    current.part().observer().aborted(current.run().get(i));
                }
            }
            throw e;
        }
        for (Staged st : staged) {
            PartitionStore store = st.part().store();
            for (ChainWrite w : st.run()) {
                if (w.requestId() != null) {
                    store.recentRequests().remember(w.requestId(), w.key(), w.lsn());
                }
                st.part().observer().committed(w);
            }
            results.put(st.part(), new ApplyResult(st.run().size(), st.duplicates(), st.gap(), st.meta().appliedLsn()));
        }
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
        checkPartition(store, w);
    }

    private static void checkPartition(PartitionStore store, ChainWrite w) {
        if (w.partition() != store.id()) {
            throw new IllegalArgumentException("write for partition " + w.partition() + " sent to partition " + store.id());
        }
    }
}
