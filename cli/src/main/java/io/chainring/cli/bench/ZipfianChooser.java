package io.chainring.cli.bench;

import java.util.SplittableRandom;

/**
 * YCSB's scrambled Zipfian distribution: ranks drawn from a Zipfian distribution with constant
 * 0.99 (Gray et al., "Quickly generating billion-record synthetic databases", as in YCSB's
 * {@code ZipfianGenerator}), then hashed (FNV-1a, 64 bit) onto the records so that the hot records
 * are spread over the key space instead of being the first few.
 */
public final class ZipfianChooser implements KeyChooser {
    static final double THETA = 0.99;

    private final long items;
    private final double zetan;
    private final double alpha;
    private final double eta;
    private final double halfPowTheta;

    public ZipfianChooser(long items) {
        if (items < 1) {
            throw new IllegalArgumentException("records must be at least 1: " + items);
        }
        this.items = items;
        this.zetan = zeta(items, THETA);
        double zeta2 = zeta(2, THETA);
        this.alpha = 1.0 / (1.0 - THETA);
        this.eta = (1 - Math.pow(2.0 / items, 1 - THETA)) / (1 - zeta2 / zetan);
        this.halfPowTheta = 1 + Math.pow(0.5, THETA);
    }

    @Override
    public long next(SplittableRandom random) {
        return Math.floorMod(fnv1a(rank(random.nextDouble())), items);
    }

    /** The Zipfian rank (0 = most popular) for a uniform {@code u} in [0, 1). */
    long rank(double u) {
        double uz = u * zetan;
        if (uz < 1.0) {
            return 0;
        }
        if (uz < halfPowTheta) {
            return Math.min(1, items - 1);
        }
        long r = (long) (items * Math.pow(eta * u - eta + 1, alpha));
        return Math.min(Math.max(r, 0), items - 1);
    }

    private static double zeta(long n, double theta) {
        double sum = 0;
        for (long i = 1; i <= n; i++) {
            sum += 1 / Math.pow(i, theta);
        }
        return sum;
    }

    static long fnv1a(long value) {
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < 8; i++) {
            hash ^= (value >>> (i * 8)) & 0xff;
            hash *= 0x100000001b3L;
        }
        return hash;
    }
}
