package io.chainring.datanode.replication;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The node's two catch-up budgets (DESIGN §7): <b>repair</b> — a learner filling a chain that
 * is below R, which runs first and at its own, higher rate, since the chain is one failure
 * closer to data loss — and <b>rebalance</b> — a planned move's copy, paced by
 * {@link AdaptiveRate} under the cluster's throttle (the operator's cap). A member's gap pass
 * uses neither: the chain's acks wait for it. Thread-safe.
 */
final class CatchUpBudgets implements AutoCloseable {
    /**
     * Repair's rate unless set otherwise: well above what a move gets, still bounded (0 = unlimited).
     * The same value as metadata's {@code ThrottleStore.REPAIR_BYTES_PER_SECOND}, which the controller
     * reports (this package may not depend on metadata: ArchUnit layering).
     */
    static final long DEFAULT_REPAIR_BYTES_PER_SECOND = 64L << 20;

    /** What a pass is for. */
    enum Kind {
        REPAIR, REBALANCE, GAP
    }

    private final TokenBucket rebalance;
    private final TokenBucket repair = new TokenBucket(DEFAULT_REPAIR_BYTES_PER_SECOND);
    private final AdaptiveRate adaptive = new AdaptiveRate();
    private final AtomicInteger copying = new AtomicInteger();
    private volatile long cap;
    private volatile LongSupplier foregroundP99 = () -> 0;

    CatchUpBudgets(long cap) {
        this.cap = cap;
        this.rebalance = new TokenBucket(cap == 0 ? 0 : Math.min(cap, AdaptiveRate.START));
    }

    /** The bucket that paces a pass of this kind; null for a gap pass (unpaced). */
    TokenBucket bucket(Kind kind) {
        return switch (kind) {
            case REPAIR -> repair;
            case REBALANCE -> rebalance;
            case GAP -> null;
        };
    }

    /** The operator's cap on rebalance copies, bytes/s (0 = unlimited, no adaptation). */
    void setCap(long bytesPerSecond) {
        cap = bytesPerSecond;
        adjust();
    }

    long cap() {
        return cap;
    }

    void setRepairRate(long bytesPerSecond) {
        repair.setRate(bytesPerSecond);
    }

    long repairRate() {
        return repair.rate();
    }

    /** The rebalance rate in force now (adapted), bytes/s; 0 = unlimited. */
    long rebalanceRate() {
        return rebalance.rate();
    }

    /** Where the client p99 of the last second comes from (microseconds, 0 = no requests). */
    void foregroundLatency(LongSupplier p99Micros) {
        this.foregroundP99 = p99Micros;
    }

    void copyStarted() {
        copying.incrementAndGet();
    }

    void copyEnded() {
        copying.decrementAndGet();
    }

    /** One adaptation step; called about every quarter second. */
    void adjust() {
        long rate;
        synchronized (adaptive) {
            rate = adaptive.observe(foregroundP99.getAsLong(), copying.get() > 0, cap);
        }
        if (rate != rebalance.rate()) {
            rebalance.setRate(rate);
        }
    }

    boolean isClosed() {
        return rebalance.isClosed();
    }

    /** Releases every waiting pass (the node is closing). */
    @Override
    public void close() {
        rebalance.close();
        repair.close();
    }
}
