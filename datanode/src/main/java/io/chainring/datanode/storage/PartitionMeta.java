package io.chainring.datanode.storage;

import java.nio.ByteBuffer;

/**
 * Per-partition counters kept in the meta database and written in the same JE transaction as
 * every record, so they can never disagree with the data after a crash.
 *
 * @param lastLsn      highest LSN assigned in this partition (by this node as head, or received)
 * @param appliedLsn   highest LSN up to which this replica holds every write, in order; a
 *                     replica with a gap asks for everything above it (DESIGN §6.4)
 * @param liveKeys     number of keys with a live (non-tombstone) value
 * @param committedLsn highest LSN this node knew committed (applied by a tail) when the row was
 *                     last written. It may lag the truth, never lead it: records above it may be
 *                     a divergent suffix that the chain never committed (see replication notes)
 */
public record PartitionMeta(long lastLsn, long appliedLsn, long liveKeys, long committedLsn) {
    static final PartitionMeta EMPTY = new PartitionMeta(0, 0, 0, 0);
    /** The format before chain replication: no committed LSN (with one replica, applied was committed). */
    private static final int LEGACY_BYTES = 24;
    private static final int BYTES = 32;

    public PartitionMeta {
        if (lastLsn < 0 || appliedLsn < 0 || liveKeys < 0 || committedLsn < 0) {
            throw new IllegalArgumentException("negative partition counters: last=" + lastLsn
                    + " applied=" + appliedLsn + " keys=" + liveKeys + " committed=" + committedLsn);
        }
    }

    /** The counters after applying a write at {@code lsn} that changed the live key count by {@code keyDelta}. */
    PartitionMeta advance(long lsn, int keyDelta) {
        return new PartitionMeta(Math.max(lastLsn, lsn), Math.max(appliedLsn, lsn), liveKeys + keyDelta, committedLsn);
    }

    /** The counters after a record was written out of LSN order (catch-up merge): applied stays. */
    PartitionMeta merged(long version, int keyDelta) {
        return new PartitionMeta(Math.max(lastLsn, version), appliedLsn, liveKeys + keyDelta, committedLsn);
    }

    PartitionMeta withCommitted(long committed) {
        return new PartitionMeta(lastLsn, appliedLsn, liveKeys, Math.max(committedLsn, committed));
    }

    PartitionMeta withApplied(long applied) {
        return new PartitionMeta(lastLsn, applied, liveKeys, committedLsn);
    }

    PartitionMeta withLastLsn(long last) {
        return new PartitionMeta(last, appliedLsn, liveKeys, committedLsn);
    }

    PartitionMeta withKeyDelta(int keyDelta) {
        return new PartitionMeta(lastLsn, appliedLsn, liveKeys + keyDelta, committedLsn);
    }

    byte[] encode() {
        return ByteBuffer.allocate(BYTES).putLong(lastLsn).putLong(appliedLsn).putLong(liveKeys).putLong(committedLsn).array();
    }

    static PartitionMeta decode(byte[] bytes) {
        if (bytes.length != BYTES && bytes.length != LEGACY_BYTES) {
            throw new RecordCodec.CorruptRecordException("partition meta of " + bytes.length + " bytes, expected " + BYTES);
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        long last = buf.getLong();
        long applied = buf.getLong();
        long keys = buf.getLong();
        // a legacy row comes from a single-replica store, where everything applied was committed
        long committed = bytes.length == BYTES ? buf.getLong() : applied;
        return new PartitionMeta(last, applied, keys, committed);
    }
}
