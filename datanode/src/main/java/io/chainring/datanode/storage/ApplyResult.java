package io.chainring.datanode.storage;

/**
 * What applying a run of chain writes in LSN order did.
 *
 * @param applied    writes applied (each at the next LSN)
 * @param duplicates writes skipped because this replica already held their LSN
 * @param gap        a write's LSN was beyond the next expected one: it and the rest were not
 *                   applied; the predecessor must resend from {@code appliedLsn}
 * @param appliedLsn the partition's applied LSN afterwards
 */
public record ApplyResult(int applied, int duplicates, boolean gap, long appliedLsn) {
}
