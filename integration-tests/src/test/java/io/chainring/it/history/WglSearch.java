package io.chainring.it.history;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The Wing–Gong linearizability search with Lowe's improvements, as in Knossos's "wgl" and
 * Porcupine: the history is a doubly linked list of call and return entries in time order; the
 * search walks it, linearizing an operation whose call it meets if the model accepts it (removing
 * its call and return from the list), and backtracks when it meets the return of an operation not
 * yet linearized. Pairs (set of linearized operations, model state) already explored are
 * remembered and skipped, which keeps typical histories near linear.
 *
 * <p>Operations that may or may not take effect (INFO) return "at infinity": after every
 * definite operation. Once the walk reaches such a return, every definite operation is
 * linearized and the rest simply never took effect. Such an operation is never linearized where
 * it would not change the state, which would only multiply equivalent branches.
 */
final class WglSearch {
    private static final int DEADLINE_CHECK_EVERY = 4096;

    /** One step of a (partial) linearization: the operation and the state it led to. */
    record Step(ModelOp op, RegisterState after) {
    }

    /**
     * What a search found.
     *
     * @param verdict the answer
     * @param steps   search steps taken
     * @param deepest the longest partial linearization reached (only when tracked), in order
     * @param reason  why the verdict is UNKNOWN, else null
     */
    record Result(Verdict verdict, long steps, List<Step> deepest, String reason) {
    }

    private static final class Entry {
        final ModelOp op;
        final boolean call;
        final long time;
        Entry match;
        Entry prev;
        Entry next;

        Entry(ModelOp op, boolean call, long time) {
            this.op = op;
            this.call = call;
            this.time = time;
        }
    }

    private record Frame(Entry entry, RegisterState before) {
    }

    /** A memo key; the bits are a private copy. */
    private record Seen(long[] bits, long hash, RegisterState state) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Seen other && hash == other.hash && state.equals(other.state) && Arrays.equals(bits, other.bits);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(hash) * 31 + state.hashCode();
        }
    }

    private WglSearch() {
    }

    /**
     * Searches for a linearization of {@code ops}, whose indices are below {@code universe}.
     *
     * @param maxSteps      give up (UNKNOWN) after this many steps
     * @param deadlineNanos give up (UNKNOWN) once {@link System#nanoTime()} passes this
     * @param trackDeepest  remember the longest partial linearization (costs time; for reports)
     */
    static Result run(List<ModelOp> ops, int universe, long maxSteps, long deadlineNanos, boolean trackDeepest) {
        Entry head = buildList(ops);
        long[] bits = new long[(universe + 63) >>> 6];
        long[] zobrist = zobrist(universe);
        long hash = 0;
        Set<Seen> seen = new HashSet<>();
        Deque<Frame> stack = new ArrayDeque<>();
        List<Step> deepest = List.of();
        RegisterState state = RegisterState.INITIAL;
        Entry entry = head.next;
        long steps = 0;
        while (head.next != null) {
            if (++steps > maxSteps) {
                return new Result(Verdict.UNKNOWN, steps, deepest, "step budget of " + maxSteps + " exhausted");
            }
            if (steps % DEADLINE_CHECK_EVERY == 0 && System.nanoTime() - deadlineNanos > 0) {
                return new Result(Verdict.UNKNOWN, steps, deepest, "time budget exhausted after " + steps + " steps");
            }
            if (entry.call) {
                RegisterState next = VersionedRegister.step(state, entry.op);
                // an operation that may never take effect gains nothing by taking effect without
                // changing the state: leaving it for later (or never) keeps every option open
                boolean useless = !entry.op.definite() && state.equals(next);
                if (next != null && !useless) {
                    int i = entry.op.index();
                    bits[i >>> 6] |= 1L << i;
                    hash ^= zobrist[i];
                    Seen probe = new Seen(bits, hash, next);
                    if (!seen.contains(probe)) {
                        seen.add(new Seen(bits.clone(), hash, next));
                        stack.push(new Frame(entry, state));
                        state = next;
                        lift(entry);
                        if (trackDeepest && stack.size() > deepest.size()) {
                            deepest = path(stack, state);
                        }
                        entry = head.next;
                        continue;
                    }
                    bits[i >>> 6] &= ~(1L << i);
                    hash ^= zobrist[i];
                }
                entry = entry.next;
            } else {
                if (!entry.op.definite()) {
                    return new Result(Verdict.LINEARIZABLE, steps, deepest, null);
                }
                if (stack.isEmpty()) {
                    return new Result(Verdict.NOT_LINEARIZABLE, steps, deepest, null);
                }
                Frame top = stack.pop();
                int i = top.entry.op.index();
                bits[i >>> 6] &= ~(1L << i);
                hash ^= zobrist[i];
                state = top.before;
                unlift(top.entry);
                entry = top.entry.next;
            }
        }
        return new Result(Verdict.LINEARIZABLE, steps, deepest, null);
    }

    private static Entry buildList(List<ModelOp> ops) {
        List<Entry> entries = new ArrayList<>(2 * ops.size());
        for (ModelOp op : ops) {
            Entry call = new Entry(op, true, op.call());
            Entry ret = new Entry(op, false, op.definite() ? op.ret() : Long.MAX_VALUE);
            call.match = ret;
            ret.match = call;
            entries.add(call);
            entries.add(ret);
        }
        // at equal times calls come first: operations that touch in time count as concurrent
        entries.sort(Comparator.<Entry>comparingLong(e -> e.time).thenComparing(e -> !e.call)
                .thenComparingInt(e -> e.op.index()));
        Entry head = new Entry(null, false, Long.MIN_VALUE);
        Entry last = head;
        for (Entry e : entries) {
            last.next = e;
            e.prev = last;
            last = e;
        }
        return head;
    }

    /** Takes an operation's call and return out of the list. */
    private static void lift(Entry call) {
        call.prev.next = call.next;
        call.next.prev = call.prev;
        Entry ret = call.match;
        ret.prev.next = ret.next;
        if (ret.next != null) {
            ret.next.prev = ret.prev;
        }
    }

    /** Puts them back, in the reverse order. */
    private static void unlift(Entry call) {
        Entry ret = call.match;
        ret.prev.next = ret;
        if (ret.next != null) {
            ret.next.prev = ret;
        }
        call.prev.next = call;
        call.next.prev = call;
    }

    private static List<Step> path(Deque<Frame> stack, RegisterState current) {
        List<Step> steps = new ArrayList<>(stack.size());
        RegisterState after = current;
        // the stack iterates from the top: the newest step first
        for (Frame f : stack) {
            steps.add(new Step(f.entry.op, after));
            after = f.before;
        }
        java.util.Collections.reverse(steps);
        return steps;
    }

    /** Random 64-bit tags per operation; a set's hash is the XOR of its members' tags. */
    private static long[] zobrist(int n) {
        SplittableRandom random = new SplittableRandom(0x5EED_C4A1_0000L);
        long[] z = new long[n];
        for (int i = 0; i < n; i++) {
            z[i] = random.nextLong();
        }
        return z;
    }
}
