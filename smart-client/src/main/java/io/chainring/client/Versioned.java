package io.chainring.client;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A stored value and its version. A version is the partition's log sequence number at which the
 * value was written: versions of one key only grow (also across a delete and a new put), but they
 * are shared by every key of the partition, so they are not per-key counters — a new key's first
 * version may well be 277, and a key's next version is not its last plus one. Use a version for
 * {@link ChainringClient#compareAndSet} and to order values of one key, nothing else.
 * Immutable: the bytes are copied in and out.
 *
 * @param value   the value bytes (a copy on every call)
 * @param version the version, always positive for a stored value
 */
public record Versioned(byte[] value, long version) {
    private static final int SHOWN_BYTES = 32;

    public Versioned {
        Objects.requireNonNull(value, "value");
        if (version <= 0) {
            throw new IllegalArgumentException("version must be positive: " + version);
        }
        value = value.clone();
    }

    /** A copy of the value bytes. */
    @Override
    public byte[] value() {
        return value.clone();
    }

    /** The value decoded as UTF-8. */
    public String valueAsString() {
        return new String(value, StandardCharsets.UTF_8);
    }

    /** The value decoded with {@code codec} (e.g. your JSON mapper's, see {@link Codec#of}). */
    public <T> T value(Codec<T> codec) {
        return Objects.requireNonNull(codec, "codec").decode(value.clone());
    }

    /** The value's length in bytes, without copying it. */
    public int size() {
        return value.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Versioned other && version == other.version && Arrays.equals(value, other.value);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(value) + Long.hashCode(version);
    }

    @Override
    public String toString() {
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < Math.min(value.length, SHOWN_BYTES); i++) {
            hex.append(String.format("%02x", value[i]));
        }
        if (value.length > SHOWN_BYTES) {
            hex.append("...");
        }
        return "Versioned[version=" + version + ", " + value.length + " bytes: " + hex + "]";
    }
}
