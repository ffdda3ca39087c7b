package io.chainring.datanode.storage;

/** A live value and its version, as returned by a read. The array is not copied: treat it as read-only. */
public record VersionedValue(byte[] value, long version) {
}
