package io.chainring.datanode.replication;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Test-only fault switches for the replication protocol (DESIGN §1: faults are injectable, not
 * simulated by editing code). A node built with a shared instance lets a test hold back what it
 * applies from the stream, e.g. to keep a write in flight at a middle node while the tail lags.
 * Production nodes use {@link #NONE}, which never pauses.
 */
public final class ReplicationFaults {
    /** Switches that are never thrown. */
    public static final ReplicationFaults NONE = new ReplicationFaults();

    private final Object lock = new Object();
    private boolean applyPaused;

    /** Batches arriving from now on wait before they are applied (up to the given bound each). */
    public void pauseApply() {
        if (this == NONE) {
            throw new IllegalStateException("the NONE fault switches cannot be thrown");
        }
        synchronized (lock) {
            applyPaused = true;
        }
    }

    /** Lets waiting and future batches be applied. */
    public void resumeApply() {
        synchronized (lock) {
            applyPaused = false;
            lock.notifyAll();
        }
    }

    public boolean applyPaused() {
        synchronized (lock) {
            return applyPaused;
        }
    }

    /** Waits while apply is paused, at most {@code max}; returns whether it may apply now. */
    public boolean awaitApplyAllowed(Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (lock) {
            while (applyPaused) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            return true;
        }
    }
}
