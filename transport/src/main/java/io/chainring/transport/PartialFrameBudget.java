package io.chainring.transport;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory a server lets all its connections hold at once in frames still arriving (issue 12:
 * per-connection limits bound one connection, not a thousand). Each connection's decoder charges
 * the bytes of its partial frame here as they arrive and releases them when the frame is complete
 * or the connection closes; a connection whose partial frame would take the total past the limit
 * is closed instead.
 */
final class PartialFrameBudget {
    private final long limitBytes;
    private final AtomicLong heldBytes = new AtomicLong();
    private final AtomicLong lastWarnNanos = new AtomicLong(System.nanoTime() - WARN_INTERVAL_NANOS);
    private static final long WARN_INTERVAL_NANOS = 60_000_000_000L;

    PartialFrameBudget(long limitBytes) {
        if (limitBytes < 1) {
            throw new IllegalArgumentException("partial frame budget must be positive: " + limitBytes);
        }
        this.limitBytes = limitBytes;
    }

    long limitBytes() {
        return limitBytes;
    }

    /** Bytes held in partial frames by every connection now. */
    long heldBytes() {
        return heldBytes.get();
    }

    /**
     * Changes one connection's charge from {@code from} to {@code to} bytes; false (nothing changed)
     * when growing it would pass the limit. Shrinking always succeeds.
     */
    boolean recharge(long from, long to) {
        long delta = to - from;
        if (delta <= 0) {
            heldBytes.addAndGet(delta);
            return true;
        }
        while (true) {
            long held = heldBytes.get();
            if (held + delta > limitBytes) {
                return false;
            }
            if (heldBytes.compareAndSet(held, held + delta)) {
                return true;
            }
        }
    }

    /** Whether a refusal should be logged now: at most once a minute per server. */
    boolean warnNow() {
        long now = System.nanoTime();
        long last = lastWarnNanos.get();
        return now - last >= WARN_INTERVAL_NANOS && lastWarnNanos.compareAndSet(last, now);
    }
}
