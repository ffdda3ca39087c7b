package io.chainring.cli.bench;

/** YCSB's core workloads A, B and C as read/update mixes. */
public enum Workload {
    /** Update heavy: 50% reads, 50% updates. */
    A(0.50),
    /** Read mostly: 95% reads, 5% updates. */
    B(0.95),
    /** Read only. */
    C(1.00);

    private final double readRatio;

    Workload(double readRatio) {
        this.readRatio = readRatio;
    }

    /** The share of operations that are reads, 0..1. */
    public double readRatio() {
        return readRatio;
    }
}
