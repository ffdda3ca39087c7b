package io.chainring.client;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One key a {@link ChainringClient#scan scan} returned, with its value and version. Immutable:
 * the bytes are copied out. {@link #resumeAfter()} is the cursor that continues the scan right
 * after this entry, so a stream of entries can be resumed at any point.
 */
public final class ScanEntry {
    private final byte[] key;
    private final byte[] value;
    private final long version;
    private final ScanCursor cursor;

    ScanEntry(byte[] key, byte[] value, long version, ScanCursor cursor) {
        this.key = Objects.requireNonNull(key, "key");
        this.value = Objects.requireNonNull(value, "value");
        this.version = version;
        this.cursor = Objects.requireNonNull(cursor, "cursor");
    }

    /** The key (a copy). */
    public byte[] key() {
        return key.clone();
    }

    /** The key decoded as UTF-8. */
    public String keyAsString() {
        return new String(key, StandardCharsets.UTF_8);
    }

    /** The value (a copy). */
    public byte[] value() {
        return value.clone();
    }

    /** The value decoded as UTF-8. */
    public String valueAsString() {
        return new String(value, StandardCharsets.UTF_8);
    }

    /** The value's length in bytes, without copying it. */
    public int valueSize() {
        return value.length;
    }

    /** The value's version. */
    public long version() {
        return version;
    }

    /** The value and version as a {@link Versioned}. */
    public Versioned versioned() {
        return new Versioned(value, version);
    }

    /** The partition the key lives in. */
    public int partition() {
        return cursor.partition();
    }

    /** A cursor that resumes the same scan right after this entry. */
    public ScanCursor resumeAfter() {
        return cursor;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScanEntry e && version == e.version && Arrays.equals(key, e.key) && Arrays.equals(value, e.value);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(key) + Arrays.hashCode(value)) + Long.hashCode(version);
    }

    @Override
    public String toString() {
        return "ScanEntry[" + io.chainring.client.internal.Keys.show(key) + ", version " + version + ", " + value.length + " bytes]";
    }
}
