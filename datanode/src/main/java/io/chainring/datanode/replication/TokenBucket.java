package io.chainring.datanode.replication;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A byte-rate limiter shared by threads (the catch-up pulls of one node, DESIGN §7 throttle).
 * Tokens accrue at the rate up to a quarter second's worth; {@link #acquire} takes what it asks
 * for as soon as the balance is not negative, so one large chunk may leave a debt that later
 * callers wait out. That keeps the long-run rate exact without splitting records. A rate change
 * wakes every waiter, which then waits by the new rate: a lowered rate takes effect at once,
 * even for a caller already waiting. Rate 0 means unlimited.
 */
public final class TokenBucket {
    /** A waiter re-checks at least this often, whatever it expects. */
    private static final long MAX_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);

    private final LongSupplier nanoClock;
    private long rate;
    private boolean closed;
    private double tokens;
    private long refilledAt;

    /** A bucket on the monotonic clock. */
    public TokenBucket(long bytesPerSecond) {
        this(bytesPerSecond, System::nanoTime);
    }

    TokenBucket(long bytesPerSecond, LongSupplier nanoClock) {
        requireRate(bytesPerSecond);
        this.nanoClock = nanoClock;
        this.rate = bytesPerSecond;
        this.refilledAt = nanoClock.getAsLong();
        this.tokens = burst(bytesPerSecond);
    }

    /** The rate in force, bytes per second; 0 = unlimited. */
    public synchronized long rate() {
        return rate;
    }

    /** Changes the rate; waiting callers re-evaluate at once. */
    public synchronized void setRate(long bytesPerSecond) {
        requireRate(bytesPerSecond);
        refill();
        rate = bytesPerSecond;
        tokens = Math.min(tokens, burst(bytesPerSecond));
        notifyAll();
    }

    /**
     * The largest pull that keeps the rate smooth: about a quarter second of it, at least
     * {@code min}, at most {@code max} (unlimited: {@code max}).
     */
    public synchronized int chunkBytes(int min, int max) {
        if (rate == 0) {
            return max;
        }
        return (int) Math.max(min, Math.min(max, rate / 4));
    }

    /**
     * Takes {@code bytes}, waiting while the balance is negative.
     *
     * @throws InterruptedException when interrupted while waiting (nothing is taken)
     */
    public synchronized void acquire(long bytes) throws InterruptedException {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative byte count " + bytes);
        }
        while (true) {
            if (rate == 0 || closed) {
                return;
            }
            refill();
            if (tokens >= 0) {
                tokens -= bytes;
                return;
            }
            long waitNanos = (long) Math.ceil(-tokens * NANOS_PER_SECOND / rate);
            long nanos = Math.max(1, Math.min(waitNanos, MAX_WAIT_NANOS));
            TimeUnit.NANOSECONDS.timedWait(this, nanos);
        }
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    /** Stops pacing: waiting and later callers return at once (the node is closing). */
    public synchronized void close() {
        closed = true;
        notifyAll();
    }

    /** The balance now (negative = a debt), for tests. */
    synchronized double available() {
        refill();
        return tokens;
    }

    private void refill() {
        long now = nanoClock.getAsLong();
        long elapsed = now - refilledAt;
        refilledAt = now;
        if (rate == 0 || elapsed <= 0) {
            return;
        }
        tokens = Math.min(burst(rate), tokens + (double) elapsed * rate / NANOS_PER_SECOND);
    }

    private static double burst(long rate) {
        return rate / 4.0;
    }

    private static void requireRate(long bytesPerSecond) {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("rate must be 0 (unlimited) or more bytes/s: " + bytesPerSecond);
        }
    }
}
