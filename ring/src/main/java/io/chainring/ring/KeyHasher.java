package io.chainring.ring;

import org.apache.commons.codec.digest.MurmurHash3;

/**
 * Maps keys to partitions (DESIGN §5), exactly so that clients in other languages can do it too:
 * <ol>
 *   <li>{@code h} = the first 64-bit half of MurmurHash3 x64 128-bit, seed 0, of the key bytes
 *       (the {@code h1} of the reference implementation, read as unsigned);</li>
 *   <li>partition {@code p = (h * Q) >>> 64}, the high 64 bits of the unsigned 128-bit product,
 *       so partition p owns the p-th of Q equal ranges of the hash space.</li>
 * </ol>
 */
public final class KeyHasher {
    private KeyHasher() {
    }

    public static long hash(byte[] key) {
        return MurmurHash3.hash128x64(key)[0];
    }

    /** The partition a 64-bit hash falls in among {@code partitionCount} equal ranges. */
    public static int partitionOfHash(long hash, int partitionCount) {
        if (partitionCount <= 0) {
            throw new IllegalArgumentException("partition count must be positive: " + partitionCount);
        }
        // unsigned high half of hash * Q (Math.unsignedMultiplyHigh arrived only in Java 18)
        long high = Math.multiplyHigh(hash, partitionCount) + ((hash >> 63) & partitionCount);
        return (int) high;
    }

    public static int partitionOf(byte[] key, int partitionCount) {
        return partitionOfHash(hash(key), partitionCount);
    }
}
