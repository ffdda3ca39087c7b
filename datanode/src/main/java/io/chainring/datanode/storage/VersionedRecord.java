package io.chainring.datanode.storage;

import java.util.Arrays;
import java.util.Objects;

/**
 * What a partition stores under a key: the version (the partition LSN that wrote it) and either
 * a value or a tombstone. Tombstones are kept so that a replica catching up learns of deletes.
 * The value array is not copied: treat it as read-only.
 */
public record VersionedRecord(long version, boolean tombstone, byte[] value) {
    private static final byte[] NONE = new byte[0];

    public VersionedRecord {
        if (version < 1) {
            throw new IllegalArgumentException("versions start at 1: " + version);
        }
        Objects.requireNonNull(value, "value");
        if (tombstone && value.length != 0) {
            throw new IllegalArgumentException("a tombstone carries no value");
        }
    }

    public static VersionedRecord live(long version, byte[] value) {
        return new VersionedRecord(version, false, value);
    }

    public static VersionedRecord tombstone(long version) {
        return new VersionedRecord(version, true, NONE);
    }

    public boolean isLive() {
        return !tombstone;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VersionedRecord r && r.version == version && r.tombstone == tombstone
                && Arrays.equals(r.value, value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, tombstone, Arrays.hashCode(value));
    }

    @Override
    public String toString() {
        return tombstone ? "tombstone@" + version : "value(" + value.length + " bytes)@" + version;
    }
}
