package io.chainring.cli.bench;

import io.chainring.cli.output.Table;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The outcome of a run: throughput, duration, threads, errors and per operation the count and
 * latency percentiles in microseconds.
 *
 * @param opsPerSec       successful operations per second
 * @param durationSeconds how long the measured phase took
 * @param threads         worker threads
 * @param errors          failed operations
 * @param ops             per operation (read, update), in that order
 */
public record BenchSummary(double opsPerSec, double durationSeconds, int threads, long errors, Map<String, OpStats> ops) {
    /**
     * One operation's numbers.
     *
     * @param count      successful operations
     * @param p50Micros  median latency
     * @param p95Micros  95th percentile
     * @param p99Micros  99th percentile
     * @param p999Micros 99.9th percentile
     * @param maxMicros  the slowest (table only)
     */
    public record OpStats(long count, double p50Micros, double p95Micros, double p99Micros, double p999Micros, double maxMicros) {
        static OpStats of(Histogram h) {
            if (h.getTotalCount() == 0) {
                return new OpStats(0, 0, 0, 0, 0, 0);
            }
            return new OpStats(h.getTotalCount(), micros(h.getValueAtPercentile(50)), micros(h.getValueAtPercentile(95)),
                    micros(h.getValueAtPercentile(99)), micros(h.getValueAtPercentile(99.9)), micros(h.getMaxValue()));
        }
    }

    public BenchSummary {
        ops = Map.copyOf(ops);
    }

    /** From a recorder's totals. */
    public static BenchSummary of(LatencyRecorder recorder, double durationSeconds, int threads) {
        Map<String, OpStats> ops = new LinkedHashMap<>();
        long done = 0;
        for (Map.Entry<OpKind, Histogram> e : recorder.totals().entrySet()) {
            ops.put(e.getKey().label(), OpStats.of(e.getValue()));
            done += e.getValue().getTotalCount();
        }
        double secs = Math.max(durationSeconds, 1e-9);
        return new BenchSummary(round(done / secs), round(durationSeconds, 3), threads, recorder.errors(), ops);
    }

    /** Successful operations of every kind. */
    public long completed() {
        return ops.values().stream().mapToLong(OpStats::count).sum();
    }

    /** Exactly the fields scripts rely on (docs/PERFORMANCE.md). */
    public Map<String, Object> json() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("opsPerSec", opsPerSec);
        o.put("durationSeconds", durationSeconds);
        o.put("threads", threads);
        o.put("errors", errors);
        Map<String, Object> byOp = new LinkedHashMap<>();
        for (OpKind k : OpKind.values()) {
            OpStats s = ops.get(k.label());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("count", s.count());
            m.put("p50Micros", s.p50Micros());
            m.put("p95Micros", s.p95Micros());
            m.put("p99Micros", s.p99Micros());
            m.put("p999Micros", s.p999Micros());
            byOp.put(k.label(), m);
        }
        o.put("ops", byOp);
        return o;
    }

    /** The summary table. */
    public void print(PrintWriter out) {
        out.printf("duration %.1f s  ops %,d  throughput %,.0f ops/s  threads %d  errors %,d%n%n",
                durationSeconds, completed(), opsPerSec, threads, errors);
        Table t = new Table("OP", "COUNT", "OPS/S", "P50 us", "P95 us", "P99 us", "P99.9 us", "MAX us");
        for (OpKind k : OpKind.values()) {
            OpStats s = ops.get(k.label());
            t.row(k.label(), String.format("%,d", s.count()), String.format("%,.0f", s.count() / Math.max(durationSeconds, 1e-9)),
                    fmt(s.p50Micros()), fmt(s.p95Micros()), fmt(s.p99Micros()), fmt(s.p999Micros()), fmt(s.maxMicros()));
        }
        t.print(out);
    }

    private static String fmt(double micros) {
        return micros >= 100 ? String.format("%,.0f", micros) : String.format("%.1f", micros);
    }

    static double micros(long nanos) {
        return round(nanos / 1000.0);
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
