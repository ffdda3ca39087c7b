package io.chainring.adminui.cluster;

/**
 * Progress arithmetic of a migration, for when the controller leaves a figure out: percent done,
 * the rate measured from the start to the last update, and the time left at that rate.
 */
public final class Progress {
    private Progress() {
    }

    /**
     * Percent of the copy done, 0..100: of bytes when their total is known, else of keys; 100 once the
     * copy is over (promote, drop, done); 0 when nothing is known.
     */
    public static double percent(String step, long keysCopied, long keysTotal, long bytesCopied, long bytesTotal) {
        if ("done".equals(step) || "promote".equals(step) || "drop".equals(step)) {
            return 100;
        }
        if (bytesTotal > 0) {
            return clamp(100.0 * bytesCopied / bytesTotal);
        }
        if (keysTotal > 0) {
            return clamp(100.0 * keysCopied / keysTotal);
        }
        return 0;
    }

    /** Bytes per second from start to last update; 0 when no time has passed or nothing was copied. */
    public static double averageRate(long bytesCopied, long startedMillis, long updatedMillis) {
        long ms = updatedMillis - startedMillis;
        if (ms <= 0 || bytesCopied <= 0) {
            return 0;
        }
        return bytesCopied * 1000.0 / ms;
    }

    /** Seconds left to copy the rest at {@code bytesPerSecond}, rounded up; -1 when unknown (no total or no rate). */
    public static long etaSeconds(long bytesCopied, long bytesTotal, double bytesPerSecond) {
        if (bytesTotal <= 0 || bytesPerSecond <= 0 || Double.isNaN(bytesPerSecond)) {
            return -1;
        }
        long left = Math.max(0, bytesTotal - bytesCopied);
        return (long) Math.ceil(left / bytesPerSecond);
    }

    private static double clamp(double pct) {
        return Math.max(0, Math.min(100, pct));
    }
}
