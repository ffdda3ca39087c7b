package io.chainring.ring;

/**
 * An independent MurmurHash3_x64_128 for tests: a line-by-line port of Austin Appleby's
 * public-domain C reference (MurmurHash3.cpp), little-endian blocks, unsigned tail bytes.
 */
final class Murmur3Reference {
    private static final long C1 = 0x87c37b91114253d5L;
    private static final long C2 = 0x4cf5ad432745937fL;

    private Murmur3Reference() {
    }

    /** Returns {h1, h2} for the key and a 32-bit seed (zero-extended, as the C code does). */
    static long[] hash128x64(byte[] data, int seed) {
        int len = data.length;
        int nblocks = len / 16;
        long h1 = seed & 0xffffffffL;
        long h2 = seed & 0xffffffffL;
        for (int i = 0; i < nblocks; i++) {
            long k1 = getblock64(data, i * 16);
            long k2 = getblock64(data, i * 16 + 8);
            k1 *= C1;
            k1 = Long.rotateLeft(k1, 31);
            k1 *= C2;
            h1 ^= k1;
            h1 = Long.rotateLeft(h1, 27);
            h1 += h2;
            h1 = h1 * 5 + 0x52dce729;
            k2 *= C2;
            k2 = Long.rotateLeft(k2, 33);
            k2 *= C1;
            h2 ^= k2;
            h2 = Long.rotateLeft(h2, 31);
            h2 += h1;
            h2 = h2 * 5 + 0x38495ab5;
        }
        int tail = nblocks * 16;
        long k1 = 0;
        long k2 = 0;
        int rest = len & 15;
        // the C switch falls through from case 15 down to case 1
        for (int i = rest - 1; i >= 8; i--) {
            k2 ^= (data[tail + i] & 0xffL) << ((i - 8) * 8);
        }
        if (rest > 8) {
            k2 *= C2;
            k2 = Long.rotateLeft(k2, 33);
            k2 *= C1;
            h2 ^= k2;
        }
        for (int i = Math.min(rest, 8) - 1; i >= 0; i--) {
            k1 ^= (data[tail + i] & 0xffL) << (i * 8);
        }
        if (rest > 0) {
            k1 *= C1;
            k1 = Long.rotateLeft(k1, 31);
            k1 *= C2;
            h1 ^= k1;
        }
        h1 ^= len;
        h2 ^= len;
        h1 += h2;
        h2 += h1;
        h1 = fmix64(h1);
        h2 = fmix64(h2);
        h1 += h2;
        h2 += h1;
        return new long[] {h1, h2};
    }

    private static long getblock64(byte[] data, int offset) {
        long k = 0;
        for (int b = 7; b >= 0; b--) {
            k = (k << 8) | (data[offset + b] & 0xffL);
        }
        return k;
    }

    private static long fmix64(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }
}
