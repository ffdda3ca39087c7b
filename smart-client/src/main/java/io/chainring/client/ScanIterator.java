package io.chainring.client;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/** Walks a scan page by page, fetching the next page when the current one is used up. Not API. */
final class ScanIterator implements Iterator<ScanEntry> {
    private final ChainringClient client;
    private final int pageSize;
    private ScanCursor next;
    private List<ScanEntry> page = List.of();
    private int index;

    ScanIterator(ChainringClient client, ScanCursor from, int pageSize) {
        this.client = client;
        this.next = java.util.Objects.requireNonNull(from, "from");
        this.pageSize = pageSize;
    }

    @Override
    public boolean hasNext() {
        while (index >= page.size()) {
            if (next.isDone()) {
                return false;
            }
            ScanPage p = client.scan(next, pageSize);
            page = p.entries();
            index = 0;
            next = p.next();
        }
        return true;
    }

    @Override
    public ScanEntry next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the scan is done");
        }
        return page.get(index++);
    }
}
