package io.chainring.datanode.storage;

/**
 * Result of a compare-and-set.
 *
 * @param applied whether the expected version matched and the value was written
 * @param version the new version when applied; otherwise the actual current version (0 when absent)
 */
public record CasOutcome(boolean applied, long version) {
    static CasOutcome applied(long newVersion) {
        return new CasOutcome(true, newVersion);
    }

    static CasOutcome mismatch(long actualVersion) {
        return new CasOutcome(false, actualVersion);
    }
}
