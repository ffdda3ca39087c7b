package io.chainring.cli.bench;

import io.chainring.cli.output.ByteSize;
import io.chainring.cli.output.Table;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;

/**
 * The outcome of {@code chainring bench rebalance}: how the ADD plan went (time, bytes, replicas
 * moved against the ideal) and what the foreground load saw before, during and after it.
 *
 * @param setup                  what was run
 * @param throttleBytesPerSecond the per-node copy throttle in force during the plan (0 = unlimited)
 * @param defaultThrottle        whether that was the default throttle (nothing was set)
 * @param planId                 the ADD plan's id
 * @param planState              its final state ({@code DONE}, or what it was when the bench gave up)
 * @param addSeconds             from starting the new datanode until its plan was running (start, register, preview, execute)
 * @param timeToBalanceSeconds   from the plan's start to its end, by the controller's record
 * @param bytesMoved             bytes copied, summed over the plan's moves
 * @param keysMoved              keys copied, summed over the plan's moves
 * @param movesDone              replica moves done
 * @param movesPlanned           replica moves in the plan
 * @param lowerBound             the fewest moves any plan for this change needs (the ideal)
 * @param replicasPerNode        partition replicas per node once the plan was done
 * @param phases                 before, during, after (in that order)
 */
public record RebalanceReport(Setup setup, long throttleBytesPerSecond, boolean defaultThrottle, String planId, String planState,
                              double addSeconds, double timeToBalanceSeconds, long bytesMoved, long keysMoved, int movesDone,
                              int movesPlanned, int lowerBound, Map<String, Integer> replicasPerNode,
                              Map<RebalancePhase, PhaseStats> phases) {
    /** The p99 goal of issue 4: during migration at most this many times the steady p99. */
    public static final double P99_GOAL_RATIO = 2.0;

    /**
     * What was run.
     *
     * @param records     records loaded (keys user0000000000..)
     * @param valueSize   bytes per value
     * @param threads     foreground worker threads
     * @param partitions  partitions of the ring
     * @param replication replicas per partition
     * @param nodesBefore datanodes before the plan
     * @param readRatio   share of reads in the foreground load
     * @param distribution how the load picks records
     */
    public record Setup(long records, int valueSize, int threads, int partitions, int replication, int nodesBefore,
                        double readRatio, Distribution distribution) {
    }

    /**
     * What the foreground load saw in one phase; latencies over every operation kind together,
     * then per kind.
     *
     * @param durationSeconds how long the phase ran
     * @param opsPerSec       successful operations per second
     * @param errors          failed operations
     * @param p50Micros       median latency
     * @param p99Micros       99th percentile
     * @param p999Micros      99.9th percentile
     * @param ops             per operation kind (read, update)
     */
    public record PhaseStats(double durationSeconds, double opsPerSec, long errors, double p50Micros, double p99Micros,
                             double p999Micros, Map<String, BenchSummary.OpStats> ops) {
        public PhaseStats {
            ops = Map.copyOf(ops);
        }

        /** From a phase's recorder (drained) and its duration. */
        public static PhaseStats of(LatencyRecorder recorder, double durationSeconds, int threads) {
            BenchSummary s = BenchSummary.of(recorder, durationSeconds, threads);
            Histogram all = new Histogram(3);
            recorder.totals().values().forEach(all::add);
            BenchSummary.OpStats a = BenchSummary.OpStats.of(all);
            return new PhaseStats(round(durationSeconds, 1), s.opsPerSec(), s.errors(), a.p50Micros(), a.p99Micros(),
                    a.p999Micros(), s.ops());
        }
    }

    public RebalanceReport {
        replicasPerNode = Map.copyOf(replicasPerNode);
        phases = Map.copyOf(phases);
    }

    /** Megabytes (10^6 bytes) copied per second of the plan; 0 when it took no time. */
    public double mbPerSec() {
        return timeToBalanceSeconds > 0 ? round(bytesMoved / 1e6 / timeToBalanceSeconds, 2) : 0;
    }

    /** p99 during the plan over p99 before it; 0 when either phase has no operation. */
    public double p99Ratio() {
        PhaseStats before = phases.get(RebalancePhase.BEFORE);
        PhaseStats during = phases.get(RebalancePhase.DURING);
        if (before == null || during == null || before.p99Micros() <= 0 || during.p99Micros() <= 0) {
            return 0;
        }
        return round(during.p99Micros() / before.p99Micros(), 2);
    }

    /** Whether p99 during the plan stayed within {@link #P99_GOAL_RATIO} times the steady p99. */
    public boolean p99GoalMet() {
        double r = p99Ratio();
        return r > 0 && r <= P99_GOAL_RATIO;
    }

    /** Exactly the fields scripts rely on (docs/PERFORMANCE.md). */
    public Map<String, Object> json() {
        Map<String, Object> o = new LinkedHashMap<>();
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("records", setup.records());
        s.put("valueSize", setup.valueSize());
        s.put("threads", setup.threads());
        s.put("partitions", setup.partitions());
        s.put("replication", setup.replication());
        s.put("nodesBefore", setup.nodesBefore());
        s.put("nodesAfter", replicasPerNode.size());
        s.put("readRatio", setup.readRatio());
        s.put("distribution", setup.distribution().name().toLowerCase(java.util.Locale.ROOT));
        o.put("setup", s);
        o.put("throttleBytesPerSecond", throttleBytesPerSecond);
        o.put("defaultThrottle", defaultThrottle);
        o.put("planId", planId);
        o.put("planState", planState);
        o.put("addSeconds", round(addSeconds, 2));
        o.put("timeToBalanceSeconds", round(timeToBalanceSeconds, 2));
        o.put("bytesMoved", bytesMoved);
        o.put("keysMoved", keysMoved);
        o.put("mbPerSec", mbPerSec());
        o.put("movesDone", movesDone);
        o.put("movesPlanned", movesPlanned);
        o.put("lowerBound", lowerBound);
        o.put("replicasPerNode", new java.util.TreeMap<>(replicasPerNode));
        Map<String, Object> ph = new LinkedHashMap<>();
        for (RebalancePhase p : RebalancePhase.values()) {
            PhaseStats st = phases.get(p);
            if (st == null) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("durationSeconds", st.durationSeconds());
            m.put("opsPerSec", st.opsPerSec());
            m.put("errors", st.errors());
            m.put("p50Micros", st.p50Micros());
            m.put("p99Micros", st.p99Micros());
            m.put("p999Micros", st.p999Micros());
            Map<String, Object> byOp = new LinkedHashMap<>();
            for (OpKind k : OpKind.values()) {
                BenchSummary.OpStats os = st.ops().get(k.label());
                Map<String, Object> om = new LinkedHashMap<>();
                om.put("count", os.count());
                om.put("p50Micros", os.p50Micros());
                om.put("p99Micros", os.p99Micros());
                om.put("p999Micros", os.p999Micros());
                byOp.put(k.label(), om);
            }
            m.put("ops", byOp);
            ph.put(p.label(), m);
        }
        o.put("phases", ph);
        o.put("p99Ratio", p99Ratio());
        o.put("p99GoalMet", p99GoalMet());
        return o;
    }

    /** The summary for people. */
    public void print(PrintWriter out) {
        out.printf("rebalance %d -> %d nodes: %,d records of %d B, %d partitions, R=%d; throttle %s%s%n",
                setup.nodesBefore(), replicasPerNode.size(), setup.records(), setup.valueSize(), setup.partitions(),
                setup.replication(), ByteSize.rate(throttleBytesPerSecond), defaultThrottle ? " (default)" : "");
        out.printf("time to balance  %.1f s (plan %s %s; starting the node and previewing took %.1f s before)%n",
                timeToBalanceSeconds, planId, planState, addSeconds);
        out.printf("moved            %d replicas (plan %d, ideal %d), %,d keys, %s, %s/s%n",
                movesDone, movesPlanned, lowerBound, keysMoved, ByteSize.format(bytesMoved), ByteSize.format(mbPerSec() * 1e6));
        out.printf("replicas/node    %s%n%n", new java.util.TreeMap<>(replicasPerNode).entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")));
        Table t = new Table("PHASE", "SECONDS", "OPS/S", "P50 us", "P99 us", "P99.9 us", "READ P99", "UPDATE P99", "ERRORS");
        for (RebalancePhase p : RebalancePhase.values()) {
            PhaseStats st = phases.get(p);
            if (st != null) {
                t.row(p.label(), String.format("%.1f", st.durationSeconds()), String.format("%,.0f", st.opsPerSec()),
                        fmt(st.p50Micros()), fmt(st.p99Micros()), fmt(st.p999Micros()),
                        fmt(st.ops().get(OpKind.READ.label()).p99Micros()), fmt(st.ops().get(OpKind.UPDATE.label()).p99Micros()),
                        String.format("%,d", st.errors()));
            }
        }
        t.print(out);
        out.printf("%np99 during / before: %.2f (goal <= %.0fx: %s)%n", p99Ratio(), P99_GOAL_RATIO, p99GoalMet() ? "met" : "NOT met");
    }

    private static String fmt(double micros) {
        return micros >= 100 ? String.format("%,.0f", micros) : String.format("%.1f", micros);
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
