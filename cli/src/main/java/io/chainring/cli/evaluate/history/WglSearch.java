package io.chainring.cli.evaluate.history;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The Wing–Gong linearizability search with Lowe's improvements, as in Knossos's "wgl" and
 * Porcupine: a depth-first search over linearizations, where the candidates at each point are
 * the operations whose call comes before the first return of an operation not yet linearized
 * (found by walking a doubly linked list of call and return entries in time order, from which
 * linearized operations are taken out). Explored nodes (set of linearized operations, model
 * state) are remembered and not explored again.
 *
 * <p>Operations that may or may not take effect (INFO) have no return: they may be linearized
 * whenever their call precedes the first remaining return, or never; the search succeeds once
 * every definite operation is linearized. Such operations are what makes these searches blow up
 * (each doubles the ways to reach a point), so:
 * <ul>
 *   <li>subsumption: a node (definite ops D, maybe-ops T, state s) is skipped if a node
 *       (D, T', s) with T' a subset of T was explored, because an unused maybe-operation is
 *       never worse than a used one (it can still be used later, or never). Checked against a
 *       bounded number of recorded T' per (D, s), plus an exact check;</li>
 *   <li>for that to prune, doing without a maybe-operation must be tried first: a maybe-operation
 *       is tried before the definite candidates only where it enables one of them that the
 *       current state does not allow (a read of its value, say), otherwise after them;</li>
 *   <li>a maybe-operation is never linearized where it would not change the state;</li>
 *   <li>symmetry: of maybe-operations that step alike in every state (unread writes, say), only
 *       the earliest unused one is tried.</li>
 * </ul>
 * The ordering only decides what is tried first; every candidate is still tried.
 */
final class WglSearch {
    private static final int DEADLINE_CHECK_EVERY = 4096;
    private static final int SUBSUMERS_PER_NODE = 16;
    private static final Entry[] NONE = new Entry[0];
    private static final long NO_CLASS = Long.MIN_VALUE;

    /** One step of a (partial) linearization: the operation and the state it led to. */
    record Step(ModelOp op, RegisterState after) {
    }

    /**
     * What a search found.
     *
     * @param verdict the answer
     * @param steps   search steps taken (candidates tried, model steps of the look-ahead included)
     * @param nodes   distinct search nodes remembered
     * @param frontier the latest return that blocked the search anywhere: when the history is
     *                 not linearizable, usually the completion of the operation that breaks it
     * @param deepest the longest partial linearization reached (only when tracked), in order
     * @param reason  why the verdict is UNKNOWN, else null
     */
    record Result(Verdict verdict, long steps, long nodes, long frontier, List<Step> deepest, String reason) {
    }

    private static final class Entry {
        final ModelOp op;
        final boolean call;
        final long time;
        final int ordinal; // among the definite, or among the maybe operations
        final long interchangeClass;
        Entry match;
        Entry prev;
        Entry next;

        Entry(ModelOp op, boolean call, long time, int ordinal) {
            this.op = op;
            this.call = call;
            this.time = time;
            this.ordinal = ordinal;
            this.interchangeClass = op == null || op.definite() ? NO_CLASS : interchangeClass(op);
        }

        boolean maybe() {
            return !op.definite();
        }
    }

    /** A node on the search path: its state, its candidates in the order tried, and how it was reached. */
    private static final class Frame {
        final RegisterState state;
        final Entry reachedBy;
        final Entry[] candidates;
        int next;

        Frame(RegisterState state, Entry reachedBy, Entry[] candidates) {
            this.state = state;
            this.reachedBy = reachedBy;
            this.candidates = candidates;
        }
    }

    /**
     * Linearized definite operations and a state. Definite operations are numbered by return
     * time, and every operation that returned before the first one not linearized is linearized,
     * so the set is kept compactly: the words of the bitset from the first word not full.
     */
    private record Node(int from, long[] rest, long hash, RegisterState state) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Node n && hash == n.hash && from == n.from && state.equals(n.state) && Arrays.equals(rest, n.rest);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(hash) * 31 + state.hashCode();
        }
    }

    /** Linearized maybe-operations (bits copied). */
    private record MaybeSet(long[] bits, long hash) {
        @Override
        public boolean equals(Object o) {
            return o instanceof MaybeSet m && hash == m.hash && Arrays.equals(bits, m.bits);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(hash);
        }
    }

    /**
     * The sets T explored at one (D, s): the first few in a list, checked for subsumption; the
     * rest, if any, in a set, checked exactly.
     */
    private static final class Explored {
        final List<long[]> subsumers = new ArrayList<>(1);
        Set<MaybeSet> overflow;
    }

    private final Entry head = new Entry(null, false, Long.MIN_VALUE, -1);
    private final Entry maybeHead = new Entry(null, false, Long.MIN_VALUE, -1);
    private final int definiteCount;
    private final long[] definiteBits;
    private final long[] maybeBits;
    private final long[] definiteTags;
    private final long[] maybeTags;
    private final Map<Node, Explored> explored = new HashMap<>();
    private long definiteHash;
    private long maybeHash;
    private int linearizedDefinite;
    private long nodes;
    private long steps;
    private long frontier = Long.MIN_VALUE;
    private final List<Entry> definiteScratch = new ArrayList<>();
    private final List<Entry> blockedScratch = new ArrayList<>();
    private final List<Entry> enablingScratch = new ArrayList<>();
    private final List<Entry> othersScratch = new ArrayList<>();
    private long[] classesScratch = new long[8];

    private WglSearch(List<ModelOp> ops) {
        List<ModelOp> definite = new ArrayList<>();
        List<Entry> maybes = new ArrayList<>();
        for (ModelOp op : ops) {
            if (op.definite()) {
                definite.add(op);
            } else {
                maybes.add(new Entry(op, true, op.call(), maybes.size()));
            }
        }
        // numbered by return time, so that linearized sets have a compact form (see Node)
        definite.sort(Comparator.comparingLong(ModelOp::ret).thenComparingInt(ModelOp::index));
        List<Entry> main = new ArrayList<>(2 * definite.size());
        for (int i = 0; i < definite.size(); i++) {
            ModelOp op = definite.get(i);
            Entry call = new Entry(op, true, op.call(), i);
            Entry ret = new Entry(op, false, op.ret(), i);
            call.match = ret;
            ret.match = call;
            main.add(call);
            main.add(ret);
        }
        // at equal times calls come first: operations that touch in time count as concurrent
        main.sort(Comparator.<Entry>comparingLong(e -> e.time).thenComparing(e -> !e.call)
                .thenComparingInt(e -> e.op.index()));
        maybes.sort(Comparator.<Entry>comparingLong(e -> e.time).thenComparingInt(e -> e.op.index()));
        link(head, main);
        link(maybeHead, maybes);
        definiteCount = definite.size();
        definiteBits = new long[(definiteCount + 63) >>> 6];
        maybeBits = new long[(maybes.size() + 63) >>> 6];
        SplittableRandom random = new SplittableRandom(0x5EED_C4A1_0000L);
        definiteTags = random.longs(definiteCount).toArray();
        maybeTags = random.longs(maybes.size()).toArray();
    }

    /**
     * Searches for a linearization of {@code ops}.
     *
     * @param maxSteps      give up (UNKNOWN) after this many steps
     * @param deadlineNanos give up (UNKNOWN) once {@link System#nanoTime()} passes this
     * @param trackDeepest  remember the longest partial linearization (costs time; for reports)
     */
    static Result run(List<ModelOp> ops, long maxSteps, long deadlineNanos, boolean trackDeepest) {
        return new WglSearch(ops).search(maxSteps, deadlineNanos, trackDeepest);
    }

    private Result search(long maxSteps, long deadlineNanos, boolean trackDeepest) {
        List<Frame> path = new ArrayList<>();
        List<Step> deepest = List.of();
        path.add(new Frame(RegisterState.INITIAL, null, definiteCount > 0 ? candidates(RegisterState.INITIAL) : NONE));
        long nextDeadlineCheck = DEADLINE_CHECK_EVERY;
        while (linearizedDefinite < definiteCount) {
            if (steps > maxSteps) {
                return new Result(Verdict.UNKNOWN, steps, nodes, frontier, deepest, "step budget of " + maxSteps + " exhausted");
            }
            if (steps >= nextDeadlineCheck) {
                nextDeadlineCheck = steps + DEADLINE_CHECK_EVERY;
                if (System.nanoTime() - deadlineNanos > 0) {
                    return new Result(Verdict.UNKNOWN, steps, nodes, frontier, deepest, "time budget exhausted after " + steps + " steps");
                }
            }
            Frame top = path.get(path.size() - 1);
            if (top.next == top.candidates.length) {
                // every candidate tried: back to the node before
                if (top.reachedBy == null) {
                    return new Result(Verdict.NOT_LINEARIZABLE, steps, nodes, frontier, deepest, null);
                }
                path.remove(path.size() - 1);
                mark(top.reachedBy);
                unlift(top.reachedBy);
                continue;
            }
            Entry e = top.candidates[top.next++];
            steps++;
            RegisterState next = VersionedRegister.step(top.state, e.op);
            // a maybe-operation gains nothing by taking effect without changing the state
            if (next == null || (e.maybe() && next.equals(top.state))) {
                continue;
            }
            mark(e);
            if (!firstVisit(next)) {
                mark(e);
                continue;
            }
            lift(e);
            path.add(new Frame(next, e, linearizedDefinite < definiteCount ? candidates(next) : NONE));
            if (trackDeepest && path.size() - 1 > deepest.size()) {
                deepest = steps(path);
            }
        }
        return new Result(Verdict.LINEARIZABLE, steps, nodes, frontier, deepest, null);
    }

    /**
     * The operations that may be linearized next in state {@code s}, in the order to try them:
     * maybe-operations that enable a blocked definite candidate, the definite candidates in call
     * order, then the other maybe-operations.
     */
    private Entry[] candidates(RegisterState s) {
        List<Entry> definite = clear(definiteScratch);
        Entry e = head.next;
        while (e.call) {
            definite.add(e);
            e = e.next;
        }
        long bound = e.time;
        frontier = Math.max(frontier, bound);
        List<Entry> blocked = clear(blockedScratch);
        for (Entry d : definite) {
            steps++;
            if (VersionedRegister.step(s, d.op) == null) {
                blocked.add(d);
            }
        }
        List<Entry> enabling = clear(enablingScratch);
        List<Entry> others = clear(othersScratch);
        int classes = 0;
        for (Entry m = maybeHead.next; m != null && m.time <= bound; m = m.next) {
            if (m.interchangeClass != NO_CLASS) {
                if (contains(classesScratch, classes, m.interchangeClass)) {
                    continue; // an earlier unused one of the same class stands for it
                }
                if (classes == classesScratch.length) {
                    classesScratch = Arrays.copyOf(classesScratch, 2 * classes);
                }
                classesScratch[classes++] = m.interchangeClass;
            }
            steps++;
            RegisterState after = VersionedRegister.step(s, m.op);
            if (after == null || after.equals(s)) {
                continue; // cannot take effect here, or would change nothing
            }
            boolean enables = false;
            for (int i = 0; i < blocked.size() && !enables; i++) {
                steps++;
                enables = VersionedRegister.step(after, blocked.get(i).op) != null;
            }
            (enables ? enabling : others).add(m);
        }
        Entry[] order = new Entry[enabling.size() + definite.size() + others.size()];
        int i = 0;
        for (Entry x : enabling) {
            order[i++] = x;
        }
        for (Entry x : definite) {
            order[i++] = x;
        }
        for (Entry x : others) {
            order[i++] = x;
        }
        return order;
    }

    /**
     * Maybe-operations that step alike in every state, or {@link #NO_CLASS}: unread writes; unread
     * compare-and-sets expecting the same version; deletes. Of such, only the earliest unused one
     * needs trying: a linearization using a later one while an earlier one is unused can swap them,
     * as both were invoked by then.
     */
    private static long interchangeClass(ModelOp op) {
        boolean unread = op.valueId() == RegisterState.UNREAD;
        return switch (op.kind()) {
            case DELETE -> -2;
            case WRITE -> unread ? -3 : NO_CLASS;
            case CAS -> unread ? op.expected() : NO_CLASS;
            case READ, CAS_MISMATCH -> NO_CLASS;
        };
    }

    /** Flips an operation's membership in the linearized sets. */
    private void mark(Entry e) {
        int i = e.ordinal;
        long bit = 1L << i;
        if (e.maybe()) {
            maybeBits[i >>> 6] ^= bit;
            maybeHash ^= maybeTags[i];
        } else {
            definiteBits[i >>> 6] ^= bit;
            definiteHash ^= definiteTags[i];
            linearizedDefinite += (definiteBits[i >>> 6] & bit) != 0 ? 1 : -1;
        }
    }

    /** Records the node (current bits, {@code s}) unless it or a node subsuming it was explored. */
    private boolean firstVisit(RegisterState s) {
        int from = 0;
        while (from < definiteBits.length && definiteBits[from] == -1L) {
            from++;
        }
        int to = definiteBits.length;
        while (to > from && definiteBits[to - 1] == 0) {
            to--;
        }
        Node node = new Node(from, Arrays.copyOfRange(definiteBits, from, to), definiteHash, s);
        Explored e = explored.get(node);
        if (e == null) {
            e = new Explored();
            explored.put(node, e);
        } else {
            for (long[] used : e.subsumers) {
                if (subset(used, maybeBits)) {
                    return false;
                }
            }
            if (e.overflow != null && e.overflow.contains(new MaybeSet(maybeBits, maybeHash))) {
                return false;
            }
        }
        nodes++;
        long[] copy = maybeBits.length == 0 ? maybeBits : maybeBits.clone();
        if (e.subsumers.size() < SUBSUMERS_PER_NODE) {
            e.subsumers.add(copy);
        } else {
            if (e.overflow == null) {
                e.overflow = new HashSet<>();
            }
            e.overflow.add(new MaybeSet(copy, maybeHash));
        }
        return true;
    }

    private static List<Entry> clear(List<Entry> list) {
        list.clear();
        return list;
    }

    private static boolean contains(long[] values, int n, long value) {
        for (int i = 0; i < n; i++) {
            if (values[i] == value) {
                return true;
            }
        }
        return false;
    }

    private static boolean subset(long[] a, long[] b) {
        for (int i = 0; i < a.length; i++) {
            if ((a[i] & ~b[i]) != 0) {
                return false;
            }
        }
        return true;
    }

    private static void link(Entry head, List<Entry> entries) {
        Entry last = head;
        for (Entry e : entries) {
            last.next = e;
            e.prev = last;
            last = e;
        }
    }

    /** Takes an operation's call (and return, if it has one) out of its list. */
    private static void lift(Entry call) {
        call.prev.next = call.next;
        if (call.next != null) {
            call.next.prev = call.prev;
        }
        Entry ret = call.match;
        if (ret != null) {
            ret.prev.next = ret.next;
            if (ret.next != null) {
                ret.next.prev = ret.prev;
            }
        }
    }

    /** Puts them back, in the reverse order. */
    private static void unlift(Entry call) {
        Entry ret = call.match;
        if (ret != null) {
            ret.prev.next = ret;
            if (ret.next != null) {
                ret.next.prev = ret;
            }
        }
        call.prev.next = call;
        if (call.next != null) {
            call.next.prev = call;
        }
    }

    private static List<Step> steps(List<Frame> path) {
        List<Step> steps = new ArrayList<>(path.size() - 1);
        for (int i = 1; i < path.size(); i++) {
            steps.add(new Step(path.get(i).reachedBy.op, path.get(i).state));
        }
        return steps;
    }
}
