package io.chainring.datanode.metrics;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Client request count and the latency percentiles of roughly the last window (node-admin
 * stats: the admin UI's nodes table). Recording is lock-free (HdrHistogram's {@link Recorder});
 * every {@code slice} the recorded interval is closed and kept, and slices older than the
 * window are dropped, so a percentile covers between window − slice and window.
 */
public final class RecentLatency {
    /** Up to an hour, 3 significant digits. */
    private static final long MAX_MICROS = TimeUnit.HOURS.toMicros(1);

    private final long windowNanos;
    private final long sliceNanos;
    private final LongSupplier nanoClock;
    private final Recorder recorder = new Recorder(MAX_MICROS, 3);
    private final AtomicLong count = new AtomicLong();
    private final Deque<Slice> slices = new ArrayDeque<>();
    private volatile long nextCutNanos;
    private Histogram recycled;

    /** A 10 s window cut in 1 s slices, on the monotonic clock. */
    public RecentLatency() {
        this(TimeUnit.SECONDS.toNanos(10), TimeUnit.SECONDS.toNanos(1), System::nanoTime);
    }

    /** A 1 s window cut in quarter seconds: what a feedback loop reacting within a second needs. */
    public static RecentLatency lastSecond() {
        return new RecentLatency(TimeUnit.SECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(250), System::nanoTime);
    }

    RecentLatency(long windowNanos, long sliceNanos, LongSupplier nanoClock) {
        if (sliceNanos <= 0 || windowNanos < sliceNanos) {
            throw new IllegalArgumentException("need 0 < slice <= window: " + sliceNanos + ", " + windowNanos);
        }
        this.windowNanos = windowNanos;
        this.sliceNanos = sliceNanos;
        this.nanoClock = nanoClock;
        this.nextCutNanos = nanoClock.getAsLong() + sliceNanos;
    }

    /** One request answered after {@code nanos}. */
    public void record(long nanos) {
        count.incrementAndGet();
        recorder.recordValue(Math.min(MAX_MICROS, Math.max(0, TimeUnit.NANOSECONDS.toMicros(nanos))));
        long now = nanoClock.getAsLong();
        if (now - nextCutNanos >= 0) {
            cut(now);
        }
    }

    /** Requests recorded since the start. */
    public long count() {
        return count.get();
    }

    /** The percentile (0..100) of the recent window, microseconds; 0 when nothing was recorded in it. */
    public synchronized long percentileMicros(double percentile) {
        long now = nanoClock.getAsLong();
        cut(now);
        Histogram sum = new Histogram(MAX_MICROS, 3);
        for (Slice s : slices) {
            sum.add(s.histogram());
        }
        return sum.getTotalCount() == 0 ? 0 : sum.getValueAtPercentile(percentile);
    }

    private synchronized void cut(long now) {
        if (now - nextCutNanos < 0 && !slices.isEmpty()) {
            // a read between cuts: fold what was recorded so far into the newest slice
            slices.peekLast().histogram().add(interval());
            return;
        }
        slices.addLast(new Slice(now, interval().copy()));
        nextCutNanos = now + sliceNanos;
        while (!slices.isEmpty() && now - slices.peekFirst().closedNanos() > windowNanos) {
            slices.removeFirst();
        }
    }

    private Histogram interval() {
        recycled = recorder.getIntervalHistogram(recycled);
        return recycled;
    }

    private record Slice(long closedNanos, Histogram histogram) {
    }
}
