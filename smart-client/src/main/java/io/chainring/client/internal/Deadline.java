package io.chainring.client.internal;

import java.time.Duration;

/** The point in time by which one call must finish; counted from when the call was made. */
public final class Deadline {
    private final long startNanos;
    private final long endNanos;
    private final Duration budget;

    private Deadline(long startNanos, Duration budget) {
        this.startNanos = startNanos;
        this.budget = budget;
        this.endNanos = startNanos + budget.toNanos();
    }

    public static Deadline after(Duration budget) {
        return new Deadline(System.nanoTime(), ClientConfig.requirePositive("timeout", budget));
    }

    public Duration budget() {
        return budget;
    }

    public long remainingNanos() {
        return endNanos - System.nanoTime();
    }

    public boolean expired() {
        return remainingNanos() <= 0;
    }

    public long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /**
     * Remaining time in whole milliseconds for a socket timeout, at least 1 (0 would mean "wait
     * forever" to a socket) and at most {@code cap}.
     */
    public int remainingMillis(Duration cap) {
        long ms = Math.min(remainingNanos(), cap.toNanos()) / 1_000_000;
        return (int) Math.max(1, Math.min(ms, Integer.MAX_VALUE));
    }

    public int remainingMillis() {
        return remainingMillis(Duration.ofMillis(Integer.MAX_VALUE));
    }

    @Override
    public String toString() {
        return "deadline of " + budget.toMillis() + " ms";
    }
}
