package io.chainring.cli.evaluate.history;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Checks that a {@link History} of key-value operations is linearizable against the
 * {@link VersionedRegister} model. Linearizability is compositional, so each key is checked on
 * its own by a {@link WglSearch}. Values must be unique per write, so reads can be matched to
 * writes.
 *
 * <p>For a key that is not linearizable, the checker finds the shortest failing prefix by binary
 * search over the completions (a prefix cut at time t keeps the operations invoked by t; those
 * still running have no result yet and may or may not take effect; if a prefix fails, every
 * longer one does), and reports the operation whose completion breaks it, the operations around
 * it and the longest partial linearization the search reached.
 *
 * <p>Bounded: each search stops after a step budget, and the whole check after a timeout; a key
 * not decided by then is UNKNOWN rather than a hang.
 */
public final class LinearizabilityChecker {
    /** Default step budget of one search on one key. */
    public static final long DEFAULT_MAX_STEPS = 20_000_000;
    /** Default time budget of a whole check. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private static final int CONTEXT_BEFORE = 8;
    private static final int CONTEXT_MAX = 30;
    private static final int DEEPEST_SHOWN = 12;

    private final Duration timeout;
    private final long maxSteps;

    /** A checker with {@link #DEFAULT_TIMEOUT} and {@link #DEFAULT_MAX_STEPS}. */
    public LinearizabilityChecker() {
        this(DEFAULT_TIMEOUT, DEFAULT_MAX_STEPS);
    }

    /**
     * @param timeout  time budget of a whole check
     * @param maxSteps step budget of each search on a key
     */
    public LinearizabilityChecker(Duration timeout, long maxSteps) {
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        if (maxSteps < 1) {
            throw new IllegalArgumentException("maxSteps must be positive: " + maxSteps);
        }
        this.maxSteps = maxSteps;
    }

    /**
     * Checks every key of the history.
     *
     * @throws IllegalArgumentException if a key has two writes of the same value
     */
    public CheckResult check(History history) {
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        List<KeyResult> results = new ArrayList<>();
        for (Map.Entry<String, List<Operation>> e : history.byKey().entrySet()) {
            results.add(checkKey(KeyHistory.compile(e.getKey(), e.getValue()), deadline, history.startNanos()));
        }
        return CheckResult.of(results, Duration.ofNanos(System.nanoTime() - started));
    }

    private KeyResult checkKey(KeyHistory key, long deadline, long origin) {
        long started = System.nanoTime();
        WglSearch.Result full = WglSearch.run(key.ops(), maxSteps, deadline, false);
        long steps = full.steps();
        Violation violation = null;
        if (full.verdict() == Verdict.NOT_LINEARIZABLE) {
            Explained explained = explain(key, full.frontier(), deadline, origin);
            steps += explained.steps;
            violation = explained.violation;
        }
        return new KeyResult(key.key(), full.verdict(), key.recorded().size(), steps,
                Duration.ofNanos(System.nanoTime() - started), violation, full.reason());
    }

    private record Explained(Violation violation, long steps) {
    }

    /**
     * Finds the shortest failing prefix (the whole key's history is known to fail) and describes
     * it. Failing searches are the expensive ones, so it starts from the completion that blocked
     * the failed search ({@code frontier}), which is nearly always the answer: that prefix should
     * fail and the one before it pass. Otherwise it falls back to a binary search.
     */
    private Explained explain(KeyHistory key, long frontier, long deadline, long origin) {
        List<ModelOp> completions = key.definiteByReturn();
        long steps = 0;
        int lo = 0;
        int hi = completions.size() - 1;
        WglSearch.Result atHi = null;
        int guess = firstAtOrAfter(completions, frontier);
        if (guess <= hi) {
            WglSearch.Result r = WglSearch.run(key.prefix(completions.get(guess).ret()), maxSteps, deadline, true);
            steps += r.steps();
            if (r.verdict() == Verdict.NOT_LINEARIZABLE) {
                hi = guess;
                atHi = r;
                if (guess > 0) {
                    WglSearch.Result before = WglSearch.run(key.prefix(completions.get(guess - 1).ret()), maxSteps, deadline, false);
                    steps += before.steps();
                    if (before.verdict() == Verdict.NOT_LINEARIZABLE) {
                        hi = guess - 1;
                        atHi = null;
                    } else {
                        lo = guess;
                    }
                }
            } else {
                lo = guess + 1;
            }
        }
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            WglSearch.Result r = WglSearch.run(key.prefix(completions.get(mid).ret()), maxSteps, deadline, false);
            steps += r.steps();
            // an undecided prefix is not proven to fail: look at longer ones
            if (r.verdict() == Verdict.NOT_LINEARIZABLE) {
                hi = mid;
                atHi = null;
            } else {
                lo = mid + 1;
            }
        }
        ModelOp culprit = completions.get(hi);
        List<ModelOp> prefix = key.prefix(culprit.ret());
        if (atHi == null) {
            atHi = WglSearch.run(prefix, maxSteps, deadline, true);
            steps += atHi.steps();
        }
        return new Explained(describe(key, culprit, prefix, atHi, origin), steps);
    }

    private static int firstAtOrAfter(List<ModelOp> byReturn, long time) {
        int i = 0;
        while (i < byReturn.size() && byReturn.get(i).ret() < time) {
            i++;
        }
        return i;
    }

    private static Violation describe(KeyHistory key, ModelOp culprit, List<ModelOp> prefix, WglSearch.Result search,
            long origin) {
        Operation c = culprit.source();
        long cut = culprit.ret();
        List<Operation> invokedByCut = key.recorded().stream().filter(op -> op.invoke().nanos() <= cut).toList();
        // the culprit, what ran alongside it, and the last few operations that completed before it started
        List<Operation> concurrent = new ArrayList<>();
        List<Operation> before = new ArrayList<>();
        for (Operation op : invokedByCut) {
            long end = op.completion() == null || op.outcome() == Outcome.INFO ? Long.MAX_VALUE : op.completion().nanos();
            if (end < c.invoke().nanos()) {
                before.add(op);
            } else {
                concurrent.add(op);
            }
        }
        before.sort(Comparator.comparingLong(op -> op.completion().nanos()));
        List<Operation> context = new ArrayList<>(before.subList(Math.max(0, before.size() - CONTEXT_BEFORE), before.size()));
        context.addAll(concurrent);
        context.sort(Comparator.comparingLong(op -> op.invoke().nanos()));
        int omitted = invokedByCut.size() - context.size();
        if (context.size() > CONTEXT_MAX) {
            // keep the newest, and the culprit whatever happens
            List<Operation> kept = new ArrayList<>(context.subList(context.size() - CONTEXT_MAX, context.size()));
            if (!kept.contains(c)) {
                kept.set(0, c);
                kept.sort(Comparator.comparingLong(op -> op.invoke().nanos()));
            }
            omitted += context.size() - kept.size();
            context = kept;
        }
        List<String> deepest = new ArrayList<>();
        List<WglSearch.Step> path = search.deepest();
        for (WglSearch.Step step : path.subList(Math.max(0, path.size() - DEEPEST_SHOWN), path.size())) {
            deepest.add(step.op().source().describe(origin) + "  => " + key.describe(step.after()));
        }
        long definiteInPrefix = prefix.stream().filter(ModelOp::definite).count();
        String linearizedOf = path.size() + " of the prefix's " + prefix.size() + " operations (" + definiteInPrefix
                + " of them with known results)";
        return new Violation(key.key(), c, invokedByCut.size(), context, omitted, deepest, linearizedOf,
                hints(key, c), origin);
    }

    private static List<String> hints(KeyHistory key, Operation c) {
        List<String> hints = new ArrayList<>();
        if (c.type() != OpType.READ || c.completion().value() == null) {
            return hints;
        }
        String value = c.completion().value();
        Operation writer = key.writerOf(value);
        if (writer == null) {
            Operation failed = key.failedWriterOf(value);
            hints.add(failed == null
                    ? "no operation on this key wrote '" + value + "'"
                    : "'" + value + "' was written only by op " + failed.id() + ", which FAILED (definitely not applied)");
        } else if (writer.invoke().nanos() > c.completion().nanos()) {
            hints.add("'" + value + "' is written by op " + writer.id() + ", invoked only after this read returned");
        } else if (writer.outcome() == Outcome.OK && writer.completion().version() != c.completion().version()) {
            hints.add("the write of '" + value + "' (op " + writer.id() + ") returned version "
                    + writer.completion().version() + ", this read saw version " + c.completion().version());
        }
        return hints;
    }
}
