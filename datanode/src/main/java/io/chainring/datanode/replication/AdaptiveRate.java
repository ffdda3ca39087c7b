package io.chainring.datanode.replication;

/**
 * The rebalance copy rate that the foreground can afford (DESIGN §7 throttle), by additive-free
 * AIMD on measured foreground latency — as Cassandra's streaming throughput or TiKV's flow control
 * adapt to load instead of holding one fixed byte rate. Called about every quarter second with
 * the node's client p99 over the last second:
 * <ul>
 *   <li>while no move copies here, the p99 is the <b>baseline</b> (a moving average);</li>
 *   <li>while copying, a p99 above {@link #TOLERANCE} × baseline cuts the rate by
 *       {@link #DECREASE}; otherwise it grows by {@link #INCREASE}, up to the operator's cap;</li>
 *   <li>without a baseline (a node that served nothing before copying, like a new node) the
 *       lowest p99 seen since copying began stands in for it.</li>
 * </ul>
 * The rate never falls below {@link #FLOOR} (moves always progress) unless the cap is lower; a
 * cap of 0 (unlimited) turns adaptation off. Pure arithmetic on its inputs; not thread-safe.
 */
final class AdaptiveRate {
    static final long FLOOR = 1L << 20;
    static final long START = 8L << 20;
    static final double TOLERANCE = 1.5;
    static final double DECREASE = 0.6;
    static final double INCREASE = 1.25;
    private static final double BASELINE_WEIGHT = 0.2;

    private double rate = START;
    private double baseline;
    private long lowestWhileCopying;
    private boolean wasCopying;

    /**
     * One observation; returns the rate to pace rebalance copies at now (bytes/s, 0 = unlimited).
     *
     * @param p99Micros client p99 over the last second; 0 when the node answered no client request
     * @param copying   whether a rebalance copy runs on this node
     * @param cap       the operator's cap (the cluster throttle), 0 = unlimited
     */
    long observe(long p99Micros, boolean copying, long cap) {
        if (cap == 0) {
            return 0;
        }
        if (!copying) {
            if (p99Micros > 0) {
                baseline = baseline == 0 ? p99Micros : baseline + BASELINE_WEIGHT * (p99Micros - baseline);
            }
            wasCopying = false;
            rate = Math.max(rate, START);
            return paced(cap);
        }
        if (!wasCopying) {
            lowestWhileCopying = 0;
            wasCopying = true;
        }
        if (p99Micros > 0 && (lowestWhileCopying == 0 || p99Micros < lowestWhileCopying)) {
            lowestWhileCopying = p99Micros;
        }
        double reference = baseline > 0 ? baseline : lowestWhileCopying;
        if (p99Micros > 0 && reference > 0 && p99Micros > TOLERANCE * reference) {
            rate = Math.max(FLOOR, rate * DECREASE);
        } else {
            rate = Math.min(cap, rate * INCREASE);
        }
        return paced(cap);
    }

    double baselineMicros() {
        return baseline;
    }

    private long paced(long cap) {
        return Math.max(1, Math.min(cap, (long) Math.max(FLOOR, rate)));
    }
}
