package io.chainring.datanode.storage;

import java.util.Objects;

/**
 * One write as it travels down a chain: partition, LSN (the record's version), key, and the
 * value or, when {@code value} is null, a tombstone. {@code requestId} is the compare-and-set
 * request id that produced it, if any, so every replica can answer that request's retry.
 * Arrays are not copied: treat them as read-only.
 */
public record ChainWrite(int partition, long lsn, byte[] key, byte[] value, String requestId) {
    public ChainWrite {
        if (lsn < 1) {
            throw new IllegalArgumentException("LSNs start at 1: " + lsn);
        }
        Objects.requireNonNull(key, "key");
        if (key.length == 0) {
            throw new IllegalArgumentException("empty key");
        }
    }

    public boolean tombstone() {
        return value == null;
    }

    /** The record this write stores. */
    public VersionedRecord record() {
        return value == null ? VersionedRecord.tombstone(lsn) : VersionedRecord.live(lsn, value);
    }

    /** Rough wire size, used to cut batches to a byte budget. */
    public int approximateBytes() {
        return key.length + (value == null ? 0 : value.length) + (requestId == null ? 0 : requestId.length()) + 32;
    }

    @Override
    public String toString() {
        return "write(p" + partition + " lsn " + lsn + (value == null ? " tombstone" : " " + value.length + " bytes") + ")";
    }
}
