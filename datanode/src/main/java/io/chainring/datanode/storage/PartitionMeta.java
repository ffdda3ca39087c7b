package io.chainring.datanode.storage;

import java.nio.ByteBuffer;

/**
 * Per-partition counters kept in the meta database and written in the same JE transaction as
 * every record, so they can never disagree with the data after a crash.
 *
 * @param lastLsn    highest LSN assigned in this partition (by this node as head, or received)
 * @param appliedLsn highest LSN applied to this replica; a catching-up replica asks for
 *                   everything above it (DESIGN §6.4). Equal to lastLsn while the node applies
 *                   its own writes only
 * @param liveKeys   number of keys with a live (non-tombstone) value
 */
public record PartitionMeta(long lastLsn, long appliedLsn, long liveKeys) {
    static final PartitionMeta EMPTY = new PartitionMeta(0, 0, 0);
    private static final int BYTES = 24;

    public PartitionMeta {
        if (lastLsn < 0 || appliedLsn < 0 || liveKeys < 0) {
            throw new IllegalArgumentException("negative partition counters: last=" + lastLsn
                    + " applied=" + appliedLsn + " keys=" + liveKeys);
        }
    }

    /** The counters after applying a write at {@code lsn} that changed the live key count by {@code keyDelta}. */
    PartitionMeta advance(long lsn, int keyDelta) {
        return new PartitionMeta(Math.max(lastLsn, lsn), Math.max(appliedLsn, lsn), liveKeys + keyDelta);
    }

    byte[] encode() {
        return ByteBuffer.allocate(BYTES).putLong(lastLsn).putLong(appliedLsn).putLong(liveKeys).array();
    }

    static PartitionMeta decode(byte[] bytes) {
        if (bytes.length != BYTES) {
            throw new RecordCodec.CorruptRecordException("partition meta of " + bytes.length + " bytes, expected " + BYTES);
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        return new PartitionMeta(buf.getLong(), buf.getLong(), buf.getLong());
    }
}
