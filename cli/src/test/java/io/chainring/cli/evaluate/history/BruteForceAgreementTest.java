package io.chainring.cli.evaluate.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The checker's search, with all its reductions (memo, subsumption, look-ahead ordering,
 * interchangeable unknown operations, skipped no-op steps, the frontier-guided shortest prefix),
 * must agree with an exhaustive search that has none of them, on thousands of tiny random
 * histories, many of them corrupted at random. Both use the same {@link VersionedRegister}, whose
 * own rules the hand-made histories of {@link LinearizabilityCheckerTest} pin down.
 */
class BruteForceAgreementTest {
    private static final int HISTORIES_PER_SEED = 300;

    private final LinearizabilityChecker checker = new LinearizabilityChecker();

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void checkerAgreesWithExhaustiveSearch(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int violations = 0;
        for (int i = 0; i < HISTORIES_PER_SEED; i++) {
            long caseSeed = random.nextLong();
            History h = SimulatedHistories.generate(caseSeed, new SimulatedHistories.Settings(3, 3, 1, 0.3, 0.1));
            if (random.nextInt(3) > 0) {
                h = corrupt(h, new SplittableRandom(caseSeed));
            }
            String what = "seed " + seed + ", case " + i + " (history seed " + caseSeed + ")";
            List<Operation> ops = h.byKey().values().stream().findFirst().orElse(List.of());
            KeyHistory key = KeyHistory.compile("key0", ops);
            boolean expected = exhaustive(key.ops());
            CheckResult r = checker.check(h);
            assertThat(r.verdict()).as("%s: %s\n%s", what, r.explanation(), describe(h))
                    .isEqualTo(expected ? Verdict.LINEARIZABLE : Verdict.NOT_LINEARIZABLE);
            if (!expected) {
                violations++;
                assertShortestPrefix(key, r.firstViolation().orElseThrow(), what);
            }
        }
        // the corruptions must produce plenty of violations, or this test proves little
        assertThat(violations).as("seed %d: violations among %d histories", seed, HISTORIES_PER_SEED)
                .isGreaterThan(HISTORIES_PER_SEED / 5);
    }

    /** The reported prefix fails and the one ending at the previous completion does not. */
    private static void assertShortestPrefix(KeyHistory key, Violation v, String what) {
        List<ModelOp> byReturn = key.definiteByReturn();
        int at = -1;
        for (int i = 0; i < byReturn.size(); i++) {
            if (byReturn.get(i).source().id() == v.culprit().id()) {
                at = i;
            }
        }
        assertThat(at).as("%s: culprit is an operation with a known result", what).isGreaterThanOrEqualTo(0);
        assertThat(exhaustive(key.prefix(byReturn.get(at).ret()))).as("%s: reported prefix fails", what).isFalse();
        if (at > 0) {
            assertThat(exhaustive(key.prefix(byReturn.get(at - 1).ret()))).as("%s: shorter prefix passes", what).isTrue();
        }
    }

    /**
     * Tries every order: an operation may go next unless a definite operation not yet placed
     * returned before it was invoked; maybe-operations may also never take effect.
     */
    static boolean exhaustive(List<ModelOp> ops) {
        // indices are the key's, and a prefix holds only some of them
        return exhaustive(ops, new boolean[ops.stream().mapToInt(ModelOp::index).max().orElse(-1) + 1], RegisterState.INITIAL);
    }

    private static boolean exhaustive(List<ModelOp> ops, boolean[] used, RegisterState s) {
        long firstReturn = Long.MAX_VALUE;
        boolean definiteLeft = false;
        for (ModelOp op : ops) {
            if (!used[op.index()] && op.definite()) {
                definiteLeft = true;
                firstReturn = Math.min(firstReturn, op.ret());
            }
        }
        if (!definiteLeft) {
            return true;
        }
        for (ModelOp op : ops) {
            if (used[op.index()] || op.call() > firstReturn) {
                continue;
            }
            RegisterState next = VersionedRegister.step(s, op);
            if (next == null) {
                continue;
            }
            used[op.index()] = true;
            boolean ok = exhaustive(ops, used, next);
            used[op.index()] = false;
            if (ok) {
                return true;
            }
        }
        return false;
    }

    /** Changes one known result at random: a read's value or version, a version, a delete's answer. */
    private static History corrupt(History h, SplittableRandom random) {
        List<Operation> known = h.operations().stream().filter(op -> op.outcome() == Outcome.OK || op.completion() != null
                && op.completion().isMismatch()).toList();
        if (known.isEmpty()) {
            return h;
        }
        Operation victim = known.get(random.nextInt(known.size()));
        Completion c = victim.completion();
        List<Operation> writes = h.operations().stream()
                .filter(op -> op.type() == OpType.WRITE || op.type() == OpType.CAS).toList();
        Completion changed = switch (victim.type()) {
            case READ -> {
                int pick = random.nextInt(writes.size() + 2);
                if (pick == writes.size()) {
                    yield Completion.read(c.op(), c.process(), null, 0, c.nanos());
                }
                String value = pick < writes.size() ? writes.get(pick).invoke().value() : "ghost";
                Operation writer = pick < writes.size() ? writes.get(pick) : null;
                long version = writer != null && writer.outcome() == Outcome.OK && random.nextBoolean()
                        ? writer.completion().version() : 1 + random.nextInt(40);
                yield Completion.read(c.op(), c.process(), value, version, c.nanos());
            }
            case WRITE -> Completion.wrote(c.op(), c.process(), Math.max(1, c.version() + random.nextInt(-3, 4)), c.nanos());
            case CAS -> {
                if (c.isMismatch()) {
                    long actual = random.nextInt(40);
                    yield actual == victim.invoke().expectedVersion() ? c
                            : Completion.mismatch(c.op(), c.process(), actual, "VersionMismatch", c.nanos());
                }
                yield random.nextBoolean()
                        ? Completion.wrote(c.op(), c.process(), Math.max(1, c.version() + random.nextInt(-3, 4)), c.nanos())
                        : victim.invoke().expectedVersion() == 1 ? c
                        : Completion.mismatch(c.op(), c.process(), 1, "VersionMismatch", c.nanos());
            }
            case DELETE -> Completion.deleted(c.op(), c.process(), !c.existed(), c.nanos());
        };
        List<Event> events = new ArrayList<>(h.events());
        events.replaceAll(e -> e == c ? changed : e);
        return History.of(events);
    }

    private static String describe(History h) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, List<Operation>> e : h.byKey().entrySet()) {
            for (Operation op : e.getValue()) {
                b.append("  ").append(op.describe(h.startNanos())).append('\n');
            }
        }
        return b.toString();
    }
}
