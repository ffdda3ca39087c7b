package io.chainring.datanode.storage;

import java.util.List;

/**
 * A page of a partition's records with versions above a bound, in unsigned key order,
 * tombstones included: a chunk of a catch-up pull.
 *
 * @param records     matching records, ascending by key
 * @param done        no keys follow (at the time they were read)
 * @param appliedLsn  the partition's applied LSN read before the page
 * @param resumeAfter when not done, the next page starts after this key (it may be past the last record)
 */
public record ChangePage(List<KeyedRecord> records, boolean done, long appliedLsn, byte[] resumeAfter) {
    public ChangePage {
        records = List.copyOf(records);
    }
}
