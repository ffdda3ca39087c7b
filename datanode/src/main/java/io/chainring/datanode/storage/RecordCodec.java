package io.chainring.datanode.storage;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The on-disk form of a {@link VersionedRecord}: 8 bytes version (big-endian), 1 byte flags
 * (bit 0 = tombstone; other bits must be 0 so a future format can claim them), then the
 * value bytes (none for a tombstone).
 */
public final class RecordCodec {
    static final int HEADER_BYTES = 9;
    private static final int TOMBSTONE = 0x01;

    private RecordCodec() {
    }

    public static byte[] encode(VersionedRecord record) {
        byte[] value = record.value();
        return ByteBuffer.allocate(HEADER_BYTES + value.length)
                .putLong(record.version())
                .put((byte) (record.tombstone() ? TOMBSTONE : 0))
                .put(value)
                .array();
    }

    public static VersionedRecord decode(byte[] bytes) {
        return decode(bytes, 0, bytes.length);
    }

    public static VersionedRecord decode(byte[] bytes, int offset, int length) {
        if (length < HEADER_BYTES) {
            throw new CorruptRecordException("record of " + length + " bytes is shorter than its " + HEADER_BYTES + "-byte header");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes, offset, length);
        long version = buf.getLong();
        int flags = buf.get() & 0xff;
        if ((flags & ~TOMBSTONE) != 0) {
            throw new CorruptRecordException("record has unknown flags 0x" + Integer.toHexString(flags));
        }
        if (version < 1) {
            throw new CorruptRecordException("record has invalid version " + version);
        }
        boolean tombstone = (flags & TOMBSTONE) != 0;
        if (tombstone) {
            if (length != HEADER_BYTES) {
                throw new CorruptRecordException("tombstone carries " + (length - HEADER_BYTES) + " value bytes");
            }
            return VersionedRecord.tombstone(version);
        }
        return VersionedRecord.live(version, Arrays.copyOfRange(bytes, offset + HEADER_BYTES, offset + length));
    }

    /** Thrown when stored bytes are not a valid record: a bug or on-disk corruption, never client input. */
    public static final class CorruptRecordException extends StorageException {
        CorruptRecordException(String message) {
            super(Kind.CORRUPT, message, null);
        }
    }
}
