package io.chainring.cli.bench;

import java.util.SplittableRandom;

/** Picks the record an operation touches, 0 ≤ record &lt; records. One instance is shared; the random source is per thread. */
public interface KeyChooser {
    long next(SplittableRandom random);

    /** Every record equally likely. */
    static KeyChooser uniform(long records) {
        return r -> r.nextLong(records);
    }
}
