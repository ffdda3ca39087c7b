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
 * @param dataBytes    bytes of keys and values stored (a tombstone counts its key), maintained with
 *                     every write; {@link #UNKNOWN_BYTES} in a row written before it was kept
 *                     (the store estimates it when it opens the partition)
 */
public record PartitionMeta(long lastLsn, long appliedLsn, long liveKeys, long committedLsn, long dataBytes) {
    /** The data size of a row from before the size was kept. */
    public static final long UNKNOWN_BYTES = -1;
    static final PartitionMeta EMPTY = new PartitionMeta(0, 0, 0, 0, 0);
    /** The format before chain replication: no committed LSN (with one replica, applied was committed). */
    private static final int LEGACY_BYTES = 24;
    /** The format before the data size was kept. */
    private static final int NO_SIZE_BYTES = 32;
    private static final int BYTES = 40;

    public PartitionMeta {
        if (lastLsn < 0 || appliedLsn < 0 || liveKeys < 0 || committedLsn < 0 || dataBytes < UNKNOWN_BYTES) {
            throw new IllegalArgumentException("negative partition counters: last=" + lastLsn
                    + " applied=" + appliedLsn + " keys=" + liveKeys + " committed=" + committedLsn + " bytes=" + dataBytes);
        }
    }

    public PartitionMeta(long lastLsn, long appliedLsn, long liveKeys, long committedLsn) {
        this(lastLsn, appliedLsn, liveKeys, committedLsn, 0);
    }

    /**
     * The counters after applying a write at {@code lsn} that changed the live key count by
     * {@code keyDelta} and the stored bytes by {@code byteDelta}.
     */
    PartitionMeta advance(long lsn, int keyDelta, long byteDelta) {
        return new PartitionMeta(Math.max(lastLsn, lsn), Math.max(appliedLsn, lsn), liveKeys + keyDelta, committedLsn,
                bytesPlus(byteDelta));
    }

    /** The counters after a record was written out of LSN order (catch-up merge): applied stays. */
    PartitionMeta merged(long version, int keyDelta, long byteDelta) {
        return new PartitionMeta(Math.max(lastLsn, version), appliedLsn, liveKeys + keyDelta, committedLsn, bytesPlus(byteDelta));
    }

    PartitionMeta withCommitted(long committed) {
        return new PartitionMeta(lastLsn, appliedLsn, liveKeys, Math.max(committedLsn, committed), dataBytes);
    }

    PartitionMeta withApplied(long applied) {
        return new PartitionMeta(lastLsn, applied, liveKeys, committedLsn, dataBytes);
    }

    PartitionMeta withLastLsn(long last) {
        return new PartitionMeta(last, appliedLsn, liveKeys, committedLsn, dataBytes);
    }

    PartitionMeta withKeyDelta(int keyDelta, long byteDelta) {
        return new PartitionMeta(lastLsn, appliedLsn, liveKeys + keyDelta, committedLsn, bytesPlus(byteDelta));
    }

    PartitionMeta withDataBytes(long bytes) {
        return new PartitionMeta(lastLsn, appliedLsn, liveKeys, committedLsn, bytes);
    }

    /** An estimate may be below a later delete's size: the count never goes negative. */
    private long bytesPlus(long delta) {
        return dataBytes == UNKNOWN_BYTES ? UNKNOWN_BYTES : Math.max(0, dataBytes + delta);
    }

    byte[] encode() {
        return ByteBuffer.allocate(BYTES).putLong(lastLsn).putLong(appliedLsn).putLong(liveKeys).putLong(committedLsn)
                .putLong(dataBytes).array();
    }

    static PartitionMeta decode(byte[] bytes) {
        if (bytes.length != BYTES && bytes.length != NO_SIZE_BYTES && bytes.length != LEGACY_BYTES) {
            throw new RecordCodec.CorruptRecordException("partition meta of " + bytes.length + " bytes, expected " + BYTES);
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        long last = buf.getLong();
        long applied = buf.getLong();
        long keys = buf.getLong();
        // a legacy row comes from a single-replica store, where everything applied was committed
        long committed = bytes.length >= NO_SIZE_BYTES ? buf.getLong() : applied;
        long size = bytes.length == BYTES ? buf.getLong() : UNKNOWN_BYTES;
        return new PartitionMeta(last, applied, keys, committed, size);
    }
}
