package io.chainring.datanode.storage;

/**
 * Result of a delete.
 *
 * @param existed whether a live value was there (only then a tombstone is written)
 * @param version the tombstone's version, 0 when nothing existed
 */
public record RemoveOutcome(boolean existed, long version) {
    static final RemoveOutcome ABSENT = new RemoveOutcome(false, 0);
}
