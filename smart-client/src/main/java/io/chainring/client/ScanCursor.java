package io.chainring.client;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * Where a {@link ChainringClient#scan scan} over the whole key space stands: the partition it is
 * in, the last key it returned there, and the key prefix it is restricted to. Immutable. Its
 * {@link #toString()} is a compact, URL-safe string that {@link #parse(String)} turns back into
 * the same cursor, so a long export can stop, save its place, and resume later — even in another
 * process.
 *
 * <p>A scan visits partitions 0, 1, ... in turn and, inside a partition, keys in unsigned byte
 * order. It is not a snapshot: keys written after the scan passed their place are not seen, and
 * a key is never returned twice by one scan unless it was deleted and written again.
 *
 * <pre>{@code
 * ScanCursor cursor = ScanCursor.start();
 * do {
 *     ScanPage page = client.scan(cursor, 1000);
 *     page.entries().forEach(e -> export(e.key(), e.value()));
 *     cursor = page.next();
 *     save(cursor.toString());            // resume later with ScanCursor.parse(saved)
 * } while (!cursor.isDone());
 * }</pre>
 */
public final class ScanCursor {
    private static final String VERSION = "c1";
    private static final byte[] NONE = new byte[0];
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final int partitionCount;
    private final int partition;
    private final byte[] startAfter;
    private final byte[] prefix;

    private ScanCursor(int partitionCount, int partition, byte[] startAfter, byte[] prefix) {
        if (partitionCount < 0) {
            throw new IllegalArgumentException("partition count must not be negative: " + partitionCount);
        }
        if (partition < 0 || (partitionCount > 0 && partition > partitionCount) || (partitionCount == 0 && partition != 0)) {
            throw new IllegalArgumentException("partition " + partition + " is outside 0.." + partitionCount);
        }
        if (partitionCount == 0 && startAfter.length > 0) {
            throw new IllegalArgumentException("a cursor that has not started has no last key");
        }
        if (partition == partitionCount && partitionCount > 0 && startAfter.length > 0) {
            throw new IllegalArgumentException("a finished cursor has no last key");
        }
        this.partitionCount = partitionCount;
        this.partition = partition;
        this.startAfter = startAfter;
        this.prefix = prefix;
    }

    /** A scan of every key, from the beginning. */
    public static ScanCursor start() {
        return new ScanCursor(0, 0, NONE, NONE);
    }

    /** A scan of the keys that begin with {@code prefix} (every key if it is empty), from the beginning. */
    public static ScanCursor start(byte[] prefix) {
        return new ScanCursor(0, 0, NONE, Objects.requireNonNull(prefix, "prefix").clone());
    }

    /** {@link #start(byte[])} with a UTF-8 prefix. */
    public static ScanCursor start(String prefix) {
        return start(Objects.requireNonNull(prefix, "prefix").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The cursor a {@link #toString()} came from.
     *
     * @throws IllegalArgumentException if the text is not a cursor, saying what is wrong with it
     */
    public static ScanCursor parse(String text) {
        Objects.requireNonNull(text, "cursor");
        String[] parts = text.trim().split("\\.", -1);
        if (parts.length != 5 || !parts[0].equals(VERSION)) {
            throw new IllegalArgumentException("not a scan cursor: '" + text + "' (expected " + VERSION
                    + ".<partitions>.<partition>.<last key>.<prefix>)");
        }
        try {
            return new ScanCursor(Integer.parseInt(parts[1]), Integer.parseInt(parts[2]),
                    B64D.decode(parts[3]), B64D.decode(parts[4]));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad scan cursor '" + text + "': " + e.getMessage(), e);
        }
    }

    /** Whether the scan has passed every partition: there is nothing more to read. */
    public boolean isDone() {
        return partitionCount > 0 && partition == partitionCount;
    }

    /** Whether this cursor has not read anything yet (it is not tied to a partition count). */
    public boolean isStart() {
        return partitionCount == 0;
    }

    /** The partition the scan reads next (equal to {@link #partitionCount()} once done). */
    public int partition() {
        return partition;
    }

    /** The cluster's partition count, or 0 before the first page. */
    public int partitionCount() {
        return partitionCount;
    }

    /** The last key returned in {@link #partition()} (a copy); empty at the start of a partition. */
    public byte[] lastKey() {
        return startAfter.clone();
    }

    /** The key prefix this scan is restricted to (a copy); empty for every key. */
    public byte[] prefix() {
        return prefix.clone();
    }

    /** The same scan, positioned after {@code key} in {@code partition} of {@code partitionCount}. */
    ScanCursor at(int partitionCount, int partition, byte[] lastKey) {
        return new ScanCursor(partitionCount, partition, lastKey.clone(), prefix);
    }

    /** The same scan, at the start of {@code partition} (or done, when it is {@code partitionCount}). */
    ScanCursor atStartOf(int partitionCount, int partition) {
        return new ScanCursor(partitionCount, partition, NONE, prefix);
    }

    byte[] lastKeyNoCopy() {
        return startAfter;
    }

    byte[] prefixNoCopy() {
        return prefix;
    }

    /** The cursor as a compact URL-safe string; {@link #parse(String)} reads it back. */
    @Override
    public String toString() {
        return VERSION + "." + partitionCount + "." + partition + "." + B64.encodeToString(startAfter) + "." + B64.encodeToString(prefix);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScanCursor c && partitionCount == c.partitionCount && partition == c.partition
                && Arrays.equals(startAfter, c.startAfter) && Arrays.equals(prefix, c.prefix);
    }

    @Override
    public int hashCode() {
        return Objects.hash(partitionCount, partition, Arrays.hashCode(startAfter), Arrays.hashCode(prefix));
    }
}
