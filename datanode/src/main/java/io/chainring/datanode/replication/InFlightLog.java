package io.chainring.datanode.replication;

import io.chainring.datanode.storage.ChainWrite;
import io.chainring.datanode.storage.InvariantViolation;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * One partition's writes that this node applied and may still have to send downstream, by LSN,
 * and the CRAQ dirty marks: a key is dirty while this node holds a write to it above the
 * committed LSN. Entries stay until every node downstream has them ({@link #trimUpTo}); dirty
 * marks clear when the tail has applied them ({@link #commitUpTo}). Not thread-safe: the
 * partition's replica guards it.
 */
final class InFlightLog {
    private final NavigableMap<Long, Entry> entries = new TreeMap<>();
    /** Key → highest LSN of a write to it marked dirty; a key is dirty while that is above {@link #committed}. */
    private final Map<ByteBuffer, Long> dirty = new HashMap<>();
    private long committed;
    private long bytes;

    /** Marks the key dirty before the write is committed locally, so no read can see it clean. */
    void markDirty(byte[] key, long lsn) {
        if (lsn > committed) {
            dirty.merge(ByteBuffer.wrap(key), lsn, Math::max);
        }
    }

    boolean isDirty(byte[] key) {
        Long lsn = dirty.get(ByteBuffer.wrap(key));
        return lsn != null && lsn > committed;
    }

    /** Adds a locally committed write; LSNs arrive in increasing order, else {@link InvariantViolation}. */
    void append(ChainWrite write, long nowMillis) {
        Map.Entry<Long, Entry> last = entries.lastEntry();
        if (last != null && write.lsn() <= last.getKey()) {
            throw new InvariantViolation("partition " + write.partition() + ": write at LSN " + write.lsn()
                    + " appended to the in-flight log after LSN " + last.getKey());
        }
        entries.put(write.lsn(), new Entry(write, nowMillis));
        bytes += write.approximateBytes();
    }

    /** The tail applied everything up to {@code lsn}: those writes are no longer dirty. */
    void commitUpTo(long lsn) {
        if (lsn <= committed) {
            return;
        }
        for (Entry e : entries.subMap(committed, false, lsn, true).values()) {
            ByteBuffer key = ByteBuffer.wrap(e.write.key());
            Long mark = dirty.get(key);
            if (mark != null && mark <= lsn) {
                dirty.remove(key);
            }
        }
        committed = lsn;
        if (dirty.size() > 2 * entries.size() + 1024) {
            // marks of writes that never reached the log (aborted, or applied as tail) are stale: drop them
            long c = committed;
            dirty.values().removeIf(v -> v <= c);
        }
    }

    /** Drops entries up to {@code lsn}: every node downstream has them. */
    void trimUpTo(long lsn) {
        NavigableMap<Long, Entry> head = entries.headMap(lsn, true);
        for (Entry e : head.values()) {
            bytes -= e.write.approximateBytes();
        }
        head.clear();
    }

    /** Entries above {@code lsn} in order, at most {@code maxCount} and about {@code maxBytes} (at least one). */
    List<ChainWrite> after(long lsn, int maxCount, long maxBytes) {
        List<ChainWrite> out = new ArrayList<>();
        long size = 0;
        for (Entry e : entries.tailMap(lsn, false).values()) {
            int b = e.write.approximateBytes();
            if (out.size() >= maxCount || (!out.isEmpty() && size + b > maxBytes)) {
                break;
            }
            out.add(e.write);
            size += b;
        }
        return out;
    }

    /** Lowest LSN held, or 0 when empty. */
    long firstLsn() {
        return entries.isEmpty() ? 0 : entries.firstKey();
    }

    /** Highest LSN held, or 0 when empty. */
    long lastLsn() {
        return entries.isEmpty() ? 0 : entries.lastKey();
    }

    long committed() {
        return committed;
    }

    int size() {
        return entries.size();
    }

    long bytes() {
        return bytes;
    }

    /** Writes held above the committed LSN: in flight through the chain. */
    int uncommitted() {
        return entries.tailMap(committed, false).size();
    }

    /** Age of the oldest write above the committed LSN, 0 when none. */
    long oldestUncommittedMillis(long nowMillis) {
        Map.Entry<Long, Entry> first = entries.higherEntry(committed);
        return first == null ? 0 : Math.max(0, nowMillis - first.getValue().addedMillis);
    }

    void clear() {
        entries.clear();
        dirty.clear();
        bytes = 0;
    }

    private record Entry(ChainWrite write, long addedMillis) {
    }
}
