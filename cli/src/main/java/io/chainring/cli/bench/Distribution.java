package io.chainring.cli.bench;

/** How operations spread over the records. */
public enum Distribution {
    /** Every record equally likely. */
    UNIFORM,
    /** A few records are hot (YCSB's scrambled Zipfian, constant 0.99). */
    ZIPFIAN;

    /** A chooser over {@code records} records. */
    public KeyChooser chooser(long records) {
        return this == UNIFORM ? KeyChooser.uniform(records) : new ZipfianChooser(records);
    }
}
