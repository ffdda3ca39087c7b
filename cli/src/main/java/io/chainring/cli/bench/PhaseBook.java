package io.chainring.cli.bench;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * When each phase began and ended, on a monotonic clock in nanoseconds. Phases are entered in
 * order; entering one ends the one before, {@link #end} ends the last. Used by one thread.
 */
public final class PhaseBook {
    private final long origin;
    private final Map<RebalancePhase, long[]> spans = new EnumMap<>(RebalancePhase.class);
    private RebalancePhase current;

    /** @param originNanos time zero of {@link #seconds} (the start of the run) */
    public PhaseBook(long originNanos) {
        this.origin = originNanos;
    }

    /**
     * Starts {@code phase} at {@code nanos}, ending the current one there.
     *
     * @throws IllegalStateException when {@code phase} does not come after the current one
     */
    public void enter(RebalancePhase phase, long nanos) {
        if (current != null && phase.ordinal() <= current.ordinal()) {
            throw new IllegalStateException("phase " + phase.label() + " cannot follow " + current.label());
        }
        end(nanos);
        spans.put(phase, new long[] {nanos, Long.MIN_VALUE});
        current = phase;
    }

    /** Ends the current phase at {@code nanos} (nothing if none runs). */
    public void end(long nanos) {
        if (current != null && spans.get(current)[1] == Long.MIN_VALUE) {
            spans.get(current)[1] = nanos;
        }
    }

    /** The phase running now, if any. */
    public Optional<RebalancePhase> current() {
        return current != null && spans.get(current)[1] == Long.MIN_VALUE ? Optional.of(current) : Optional.empty();
    }

    /** Seconds since the origin. */
    public double seconds(long nanos) {
        return (nanos - origin) / 1e9;
    }

    /** When {@code phase} began, in seconds since the origin; empty if it never began. */
    public Optional<Double> startSeconds(RebalancePhase phase) {
        long[] s = spans.get(phase);
        return s == null ? Optional.empty() : Optional.of(seconds(s[0]));
    }

    /** When {@code phase} ended, in seconds since the origin; empty if it has not ended. */
    public Optional<Double> endSeconds(RebalancePhase phase) {
        long[] s = spans.get(phase);
        return s == null || s[1] == Long.MIN_VALUE ? Optional.empty() : Optional.of(seconds(s[1]));
    }

    /** How long {@code phase} ran (until {@code nowNanos} if it still runs); 0 if it never began. */
    public double durationSeconds(RebalancePhase phase, long nowNanos) {
        long[] s = spans.get(phase);
        if (s == null) {
            return 0;
        }
        return ((s[1] == Long.MIN_VALUE ? nowNanos : s[1]) - s[0]) / 1e9;
    }
}
