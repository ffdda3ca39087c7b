package io.chainring.testing;

/** The test tags the build selects on (see the README's "Tests" section). */
public final class Tags {
    /** Drives a real browser (Chromium); skipped without one. */
    public static final String BROWSER = "browser";
    /** Starts a cluster (ZooKeeper plus datanodes, or several processes). */
    public static final String CLUSTER = "cluster";
    /** Takes longer than a few seconds on a quiet machine; left out by {@code -Pfast}. */
    public static final String SLOW = "slow";

    private Tags() {}
}
