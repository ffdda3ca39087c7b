package io.chainring.client;

import java.util.List;
import java.util.Objects;

/**
 * One page of a {@link ChainringClient#scan scan}: up to the asked number of entries, and the
 * cursor to continue from. A page may hold fewer entries than asked even when more keys follow
 * (an empty partition range, a slow cluster); only {@code next().isDone()} says the scan is over.
 *
 * @param entries the entries, partition by partition, in key order inside a partition
 * @param next    where the next page starts
 */
public record ScanPage(List<ScanEntry> entries, ScanCursor next) {
    public ScanPage {
        entries = List.copyOf(entries);
        Objects.requireNonNull(next, "next");
    }

    /** Whether this is the last page (the scan is done). */
    public boolean isLast() {
        return next.isDone();
    }
}
