package io.chainring.datanode.storage;

import java.util.Objects;

/** A key with its stored record (live value or tombstone). Arrays are not copied. */
public record KeyedRecord(byte[] key, VersionedRecord record) {
    public KeyedRecord {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(record, "record");
    }

    /** Rough wire size, used to cut pages to a byte budget. */
    int approximateBytes() {
        return key.length + record.value().length + 32;
    }
}
