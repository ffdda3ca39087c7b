package io.chainring.client;

import io.chainring.client.internal.ClientCore;
import io.chainring.client.internal.Deadline;
import io.chainring.thrift.ScanResult;
import io.chainring.thrift.VersionedEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fills one scan page: walks the partitions from the cursor, asking each for the entries after the
 * cursor's key, and moves the cursor past what it returned. A prefix scan starts each partition
 * just before the prefix and leaves the partition at the first key past it (keys are in unsigned
 * byte order inside a partition), so it reads little beyond the matching keys. Not API.
 */
final class ScanPager {
    /** Most entries asked of one node in one request (servers accept up to 10,000 by default). */
    static final int MAX_REQUEST_ENTRIES = 1000;

    private final ClientCore core;

    ScanPager(ClientCore core) {
        this.core = core;
    }

    /**
     * Up to {@code limit} entries from {@code cursor}. Returns early, with fewer entries, once half
     * the deadline is spent, so that a page over many empty partitions ends in time; the cursor
     * always moves forward unless the page fails.
     */
    ScanPage page(ScanCursor cursor, int limit, ReadLevel level, Deadline deadline) {
        long started = System.nanoTime();
        long halfBudget = deadline.budget().toNanos() / 2;
        int q = core.partitionCount();
        if (!cursor.isStart() && cursor.partitionCount() != q) {
            throw new IllegalArgumentException("this scan cursor belongs to a cluster with " + cursor.partitionCount()
                    + " partitions; this cluster has " + q);
        }
        ScanCursor c = cursor.isStart() ? cursor.atStartOf(q, 0) : cursor;
        byte[] prefix = c.prefixNoCopy();
        List<ScanEntry> out = new ArrayList<>(Math.min(limit, MAX_REQUEST_ENTRIES));
        while (out.size() < limit && !c.isDone()) {
            int p = c.partition();
            byte[] after = c.lastKeyNoCopy().length == 0 ? floorOf(prefix) : c.lastKeyNoCopy();
            ScanResult r = core.scanPartition(p, after, Math.min(limit - out.size(), MAX_REQUEST_ENTRIES), level, deadline);
            boolean partitionDone = r.isDone();
            byte[] last = null;
            for (VersionedEntry e : r.getEntries()) {
                byte[] key = e.getKey();
                if (prefix.length > 0 && !startsWith(key, prefix)) {
                    if (Arrays.compareUnsigned(key, prefix) < 0) {
                        last = key; // between the floor and the prefix: skip
                        continue;
                    }
                    partitionDone = true; // past the prefix: nothing more in this partition
                    break;
                }
                last = key;
                out.add(new ScanEntry(key, e.getValue(), e.getVersion(), c.at(q, p, key)));
            }
            if (partitionDone) {
                c = c.atStartOf(q, p + 1);
            } else if (last == null) {
                throw new ChainringException(ErrorCode.INTERNAL, "scan of partition " + p
                        + " made no progress: the node sent no entries but more remain", false);
            } else {
                c = c.at(q, p, last);
            }
            if (System.nanoTime() - started > halfBudget) {
                break;
            }
        }
        return new ScanPage(out, c);
    }

    /**
     * A key just below every key that starts with {@code prefix} (the scan starts strictly after
     * it): the prefix with its last byte decreased, or cut off when it is 0. The few keys between
     * this floor and the prefix are skipped by the caller.
     */
    static byte[] floorOf(byte[] prefix) {
        if (prefix.length == 0) {
            return prefix;
        }
        byte[] f = Arrays.copyOf(prefix, prefix.length);
        int last = f.length - 1;
        if (f[last] == 0) {
            return Arrays.copyOf(f, last);
        }
        f[last] = (byte) ((f[last] & 0xff) - 1);
        return f;
    }

    static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }
}
