package io.chainring.cli.evaluate;

import io.chainring.cli.evaluate.history.CheckResult;
import io.chainring.cli.evaluate.history.History;
import io.chainring.cli.evaluate.history.OpType;
import io.chainring.cli.evaluate.history.Operation;
import io.chainring.cli.evaluate.history.Outcome;
import io.chainring.client.Versioned;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;

/**
 * Turns one cell's recorded history into its figures. Versions are per-partition LSNs, so on
 * one key a higher version is a later write.
 *
 * <ul>
 *   <li>A read is <b>stale</b> when it returned a version older than the newest version
 *       acknowledged (to any client) before the read began. Its staleness: how many acknowledged
 *       versions it missed, and how long before the read the first of them was acknowledged.</li>
 *   <li><b>t-visibility</b> (PBS): for every acknowledged write and every read of its key begun
 *       t ms after the ack (t ≤ 2 s), whether the read returned that version or a newer one.</li>
 *   <li>An acknowledged write is <b>lost</b> when the final state after healing holds an older
 *       version, or when its version was seen (by a read or the final state) with another value:
 *       the LSN was reused by a new head, so the write is gone.</li>
 * </ul>
 */
final class CellAnalysis {
    /** Upper bounds (ms) of the t-visibility buckets. */
    static final double[] VISIBILITY_BOUNDS_MS = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000};
    private static final int MAX_SAMPLES = 2_000;

    private record Write(long ackNanos, long version, String value) {
    }

    private record Read(long invokeNanos, long version, String value) {
    }

    private CellAnalysis() {
    }

    /**
     * @param finals the value of every key after healing, read LINEARIZABLE (absent keys are missing)
     */
    static CellResult analyze(Condition condition, Setting setting, History history, double seconds,
                              Map<String, Optional<Versioned>> finals, LagSampler.Peak lag, CheckResult check) {
        Histogram reads = new Histogram(60_000_000L, 2);
        Histogram writes = new Histogram(60_000_000L, 2);
        long readsOk = 0;
        long writesOk = 0;
        long failed = 0;
        long unknown = 0;
        for (Operation op : history.operations()) {
            Outcome o = op.outcome();
            if (o == Outcome.OK) {
                long micros = Math.max(1, (op.completion().nanos() - op.invoke().nanos()) / 1000);
                if (op.type() == OpType.READ) {
                    readsOk++;
                    reads.recordValue(Math.min(micros, reads.getHighestTrackableValue()));
                } else {
                    writesOk++;
                    writes.recordValue(Math.min(micros, writes.getHighestTrackableValue()));
                }
            } else if (o == Outcome.FAIL) {
                failed++;
            } else {
                unknown++;
            }
        }
        List<Long> staleVersions = new ArrayList<>();
        List<Double> staleMillis = new ArrayList<>();
        long[] visReads = new long[VISIBILITY_BOUNDS_MS.length];
        long[] visSeen = new long[VISIBILITY_BOUNDS_MS.length];
        long lost = 0;
        for (Map.Entry<String, List<Operation>> e : history.byKey().entrySet()) {
            List<Write> acked = new ArrayList<>();
            List<Read> done = new ArrayList<>();
            for (Operation op : e.getValue()) {
                if (op.outcome() != Outcome.OK) {
                    continue;
                }
                if (op.type() == OpType.WRITE || op.type() == OpType.CAS) {
                    acked.add(new Write(op.completion().nanos(), op.completion().version(), op.invoke().value()));
                } else if (op.type() == OpType.READ) {
                    done.add(new Read(op.invoke().nanos(), op.completion().version(), op.completion().value()));
                }
            }
            acked.sort(Comparator.comparingLong(Write::ackNanos));
            done.sort(Comparator.comparingLong(Read::invokeNanos));
            stale(acked, done, staleVersions, staleMillis);
            visibility(acked, done, visReads, visSeen);
            lost += lost(acked, done, finals.getOrDefault(e.getKey(), Optional.empty()));
        }
        long staleCount = staleVersions.size();
        List<CellResult.VisibilityPoint> curve = new ArrayList<>();
        for (int i = 0; i < VISIBILITY_BOUNDS_MS.length; i++) {
            curve.add(new CellResult.VisibilityPoint(VISIBILITY_BOUNDS_MS[i], visReads[i], visSeen[i]));
        }
        String violation = check.firstViolation().map(v -> firstLines(check.explanation(), 12)).orElse("");
        return new CellResult(condition.label(), setting.label(), seconds, readsOk, writesOk, failed, unknown,
                (readsOk + writesOk) / seconds, ms(reads, 50), ms(reads, 99), ms(writes, 50), ms(writes, 99),
                staleCount, sample(staleVersions), sample(staleMillis), curve, lost, lag.lagLsns(), lag.lagMillis(),
                check.verdict().name(), violation);
    }

    private static void stale(List<Write> acked, List<Read> reads, List<Long> versionsOut, List<Double> millisOut) {
        int n = acked.size();
        long[] prefixMax = new long[n];
        long[] ack = new long[n];
        long max = 0;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, acked.get(i).version());
            prefixMax[i] = max;
            ack[i] = acked.get(i).ackNanos();
        }
        for (Read r : reads) {
            int before = lowerBound(ack, r.invokeNanos()); // writes acknowledged strictly before the read began
            if (before == 0 || prefixMax[before - 1] <= r.version()) {
                continue;
            }
            // the earliest acknowledged write newer than what the read returned: where the prefix max first exceeds it
            int first = upperBound(prefixMax, before, r.version());
            long missed = 0;
            for (int j = first; j < before; j++) {
                if (acked.get(j).version() > r.version()) {
                    missed++;
                }
            }
            versionsOut.add(missed);
            millisOut.add((r.invokeNanos() - acked.get(first).ackNanos()) / 1e6);
        }
    }

    private static void visibility(List<Write> acked, List<Read> reads, long[] total, long[] seen) {
        long[] invoke = reads.stream().mapToLong(Read::invokeNanos).toArray();
        long horizon = (long) (VISIBILITY_BOUNDS_MS[VISIBILITY_BOUNDS_MS.length - 1] * 1e6);
        for (Write w : acked) {
            for (int i = lowerBound(invoke, w.ackNanos()); i < invoke.length && invoke[i] - w.ackNanos() <= horizon; i++) {
                double t = (invoke[i] - w.ackNanos()) / 1e6;
                int b = 0;
                while (VISIBILITY_BOUNDS_MS[b] < t) {
                    b++;
                }
                total[b]++;
                if (reads.get(i).version() >= w.version()) {
                    seen[b]++;
                }
            }
        }
    }

    private static long lost(List<Write> acked, List<Read> reads, Optional<Versioned> fin) {
        long finalVersion = fin.map(Versioned::version).orElse(0L);
        Map<Long, Set<String>> observed = new HashMap<>();
        for (Read r : reads) {
            if (r.value() != null) {
                observed.computeIfAbsent(r.version(), v -> new HashSet<>()).add(r.value());
            }
        }
        fin.ifPresent(v -> observed.computeIfAbsent(v.version(), x -> new HashSet<>()).add(v.valueAsString()));
        long lost = 0;
        for (Write w : acked) {
            Set<String> seenAt = observed.getOrDefault(w.version(), Set.of());
            boolean overwrittenAtItsVersion = seenAt.stream().anyMatch(v -> !v.equals(w.value()));
            if (w.version() > finalVersion || overwrittenAtItsVersion) {
                lost++;
            }
        }
        return lost;
    }

    /** First index whose value is ≥ {@code key} (arrays sorted ascending). */
    private static int lowerBound(long[] a, long key) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** First index below {@code end} whose value is > {@code key} (a non-decreasing). */
    private static int upperBound(long[] a, int end, long key) {
        int lo = 0;
        int hi = end;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] <= key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static double ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1000.0;
    }

    /** Sorted, at most MAX_SAMPLES evenly spaced values (so quantiles and CDFs stay true). */
    private static <T extends Comparable<T>> List<T> sample(List<T> values) {
        List<T> sorted = new ArrayList<>(values);
        sorted.sort(null);
        if (sorted.size() <= MAX_SAMPLES) {
            return sorted;
        }
        List<T> out = new ArrayList<>(MAX_SAMPLES);
        for (int i = 0; i < MAX_SAMPLES; i++) {
            out.add(sorted.get((int) ((long) i * sorted.size() / MAX_SAMPLES)));
        }
        return out;
    }

    private static String firstLines(String text, int n) {
        return Arrays.stream(text.split("\n")).limit(n).collect(Collectors.joining("\n"));
    }
}
