package io.chainring.datanode.storage;

import java.util.List;

/**
 * A page of a partition in unsigned key order.
 *
 * @param records    the records, ascending by key
 * @param done       no keys follow the last record (at the time it was read)
 * @param appliedLsn the partition's applied LSN read before the page; every write at or below it
 *                   is reflected in the page (later writes may be too)
 */
public record RecordPage(List<KeyedRecord> records, boolean done, long appliedLsn) {
    public RecordPage {
        records = List.copyOf(records);
    }
}
