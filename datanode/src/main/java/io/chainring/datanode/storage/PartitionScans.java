package io.chainring.datanode.storage;

import com.sleepycat.je.Cursor;
import com.sleepycat.je.CursorConfig;
import com.sleepycat.je.Database;
import com.sleepycat.je.DatabaseEntry;
import com.sleepycat.je.OperationStatus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** Cursor walks over one partition's database in unsigned key order, reading committed data only. */
final class PartitionScans {
    private final Database db;

    PartitionScans(Database db) {
        this.db = db;
    }

    RecordPage page(byte[] startAfter, int limit, long maxBytes, boolean withTombstones, long applied) {
        requireBudget(startAfter, maxBytes);
        List<KeyedRecord> out = new ArrayList<>();
        long bytes = 0;
        try (Cursor cursor = db.openCursor(null, CursorConfig.READ_COMMITTED)) {
            DatabaseEntry key = new DatabaseEntry();
            DatabaseEntry value = new DatabaseEntry();
            OperationStatus status = position(cursor, startAfter, key, value);
            while (status == OperationStatus.SUCCESS) {
                VersionedRecord record = RecordCodec.decode(value.getData());
                if (withTombstones || record.isLive()) {
                    KeyedRecord entry = new KeyedRecord(key.getData(), record);
                    if (out.size() >= limit || (!out.isEmpty() && bytes + entry.approximateBytes() > maxBytes)) {
                        return new RecordPage(out, false, applied);
                    }
                    out.add(entry);
                    bytes += entry.approximateBytes();
                }
                key = new DatabaseEntry();
                status = cursor.getNext(key, value, null);
            }
        }
        return new RecordPage(out, true, applied);
    }

    ChangePage changes(byte[] startAfter, long afterVersion, long maxBytes, int maxExamined, long applied) {
        requireBudget(startAfter, maxBytes);
        if (maxExamined < 1) {
            throw new IllegalArgumentException("examined-keys budget must be positive: " + maxExamined);
        }
        List<KeyedRecord> out = new ArrayList<>();
        long bytes = 0;
        int examined = 0;
        byte[] last = null;
        try (Cursor cursor = db.openCursor(null, CursorConfig.READ_COMMITTED)) {
            DatabaseEntry key = new DatabaseEntry();
            DatabaseEntry value = new DatabaseEntry();
            OperationStatus status = position(cursor, startAfter, key, value);
            while (status == OperationStatus.SUCCESS) {
                if (examined >= maxExamined) {
                    return new ChangePage(out, false, applied, last);
                }
                VersionedRecord record = RecordCodec.decode(value.getData());
                if (record.version() > afterVersion) {
                    KeyedRecord entry = new KeyedRecord(key.getData(), record);
                    if (!out.isEmpty() && bytes + entry.approximateBytes() > maxBytes) {
                        return new ChangePage(out, false, applied, last);
                    }
                    out.add(entry);
                    bytes += entry.approximateBytes();
                }
                examined++;
                last = key.getData();
                key = new DatabaseEntry();
                status = cursor.getNext(key, value, null);
            }
        }
        return new ChangePage(out, true, applied, null);
    }

    List<byte[]> keysAbove(long version) {
        List<byte[]> keys = new ArrayList<>();
        try (Cursor cursor = db.openCursor(null, CursorConfig.READ_COMMITTED)) {
            DatabaseEntry key = new DatabaseEntry();
            DatabaseEntry value = new DatabaseEntry();
            while (cursor.getNext(key, value, null) == OperationStatus.SUCCESS) {
                if (RecordCodec.decode(value.getData()).version() > version) {
                    keys.add(key.getData());
                }
                key = new DatabaseEntry();
            }
        }
        return keys;
    }

    /**
     * The key+value bytes of the partition: exact when it has at most {@code sample} records,
     * else their average size times {@code liveKeys}.
     */
    long estimateBytes(int sample, long liveKeys) {
        long bytes = 0;
        int seen = 0;
        try (Cursor cursor = db.openCursor(null, CursorConfig.READ_COMMITTED)) {
            DatabaseEntry key = new DatabaseEntry();
            DatabaseEntry value = new DatabaseEntry();
            while (cursor.getNext(key, value, null) == OperationStatus.SUCCESS) {
                if (seen == sample) {
                    return bytes / seen * Math.max(liveKeys, seen);
                }
                bytes += key.getSize() + value.getSize() - RecordCodec.HEADER_BYTES;
                seen++;
                key = new DatabaseEntry();
            }
        }
        return bytes;
    }

    /** Moves the cursor to the first key strictly after {@code startAfter}. */
    private static OperationStatus position(Cursor cursor, byte[] startAfter, DatabaseEntry key, DatabaseEntry value) {
        if (startAfter.length == 0) {
            return cursor.getFirst(key, value, null);
        }
        key.setData(startAfter.clone());
        OperationStatus status = cursor.getSearchKeyRange(key, value, null);
        if (status == OperationStatus.SUCCESS && Arrays.equals(key.getData(), startAfter)) {
            status = cursor.getNext(key, value, null);
        }
        return status;
    }

    private static void requireBudget(byte[] startAfter, long maxBytes) {
        Objects.requireNonNull(startAfter, "startAfter");
        if (maxBytes < 1) {
            throw new IllegalArgumentException("byte budget must be positive: " + maxBytes);
        }
    }
}
