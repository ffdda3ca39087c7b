package io.chainring.cli.bench;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Latencies of successful operations per kind (HdrHistogram {@link Recorder}s: wait-free for the
 * workers, drained in intervals by the reporter) and the failed operations, with the first
 * failure kept for the report. Values are nanoseconds.
 */
public final class LatencyRecorder {
    private final Map<OpKind, Recorder> recorders = new EnumMap<>(OpKind.class);
    private final Map<OpKind, Histogram> totals = new EnumMap<>(OpKind.class);
    private final AtomicLong errors = new AtomicLong();
    private final AtomicReference<String> firstError = new AtomicReference<>();

    public LatencyRecorder() {
        for (OpKind k : OpKind.values()) {
            recorders.put(k, new Recorder(3));
            totals.put(k, new Histogram(3));
        }
    }

    /** A successful operation; called by workers. */
    public void record(OpKind kind, long nanos) {
        recorders.get(kind).recordValue(Math.max(1, nanos));
    }

    /** A failed operation; called by workers. */
    public void failed(Exception e) {
        errors.incrementAndGet();
        firstError.compareAndSet(null, e.getClass().getSimpleName() + ": " + e.getMessage());
    }

    public long errors() {
        return errors.get();
    }

    /** The first failure's description, or null. */
    public String firstError() {
        return firstError.get();
    }

    /**
     * What was recorded since the last call, per kind; also added to the totals. Called by one
     * thread (the reporter).
     */
    public synchronized Map<OpKind, Histogram> drain() {
        Map<OpKind, Histogram> interval = new EnumMap<>(OpKind.class);
        for (OpKind k : OpKind.values()) {
            Histogram h = recorders.get(k).getIntervalHistogram();
            totals.get(k).add(h);
            interval.put(k, h);
        }
        return interval;
    }

    /** Everything recorded and drained so far, per kind (copies). */
    public synchronized Map<OpKind, Histogram> totals() {
        Map<OpKind, Histogram> out = new EnumMap<>(OpKind.class);
        totals.forEach((k, h) -> out.put(k, h.copy()));
        return out;
    }
}
