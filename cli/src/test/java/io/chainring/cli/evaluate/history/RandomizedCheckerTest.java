package io.chainring.cli.evaluate.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checker on histories generated from a real sequential register ({@link SimulatedHistories}):
 * every such history must pass, every detectable mutation must be caught, and big histories must
 * be checked quickly. Seeded; the seed is in every failure message.
 */
class RandomizedCheckerTest {
    private static final Logger log = LoggerFactory.getLogger(RandomizedCheckerTest.class);
    private static final SimulatedHistories.Settings SMALL = new SimulatedHistories.Settings(6, 300, 4, 0.05, 0.05);

    private final LinearizabilityChecker checker = new LinearizabilityChecker();

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
    void historiesOfARealRegisterAreLinearizable(long seed) {
        History h = SimulatedHistories.generate(seed, SMALL);
        Map<Outcome, Integer> outcomes = h.outcomeCounts();
        assertThat(outcomes).as("seed %d exercises every outcome", seed).containsKeys(Outcome.OK, Outcome.FAIL, Outcome.INFO);
        CheckResult r = checker.check(h);
        assertThat(r.verdict()).as("seed %d: %s", seed, r.explanation()).isEqualTo(Verdict.LINEARIZABLE);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
    void aReadChangedToAnOlderValueIsCaught(long seed) {
        History h = SimulatedHistories.generate(seed, SMALL);
        SimulatedHistories.Mutation m = SimulatedHistories.staleRead(h, seed)
                .orElseThrow(() -> new AssertionError("seed " + seed + ": no read to mutate"));
        CheckResult r = checker.check(m.history());
        assertThat(r.verdict()).as("seed %d: %s", seed, r.explanation()).isEqualTo(Verdict.NOT_LINEARIZABLE);
        Violation v = r.firstViolation().orElseThrow();
        assertThat(v.key()).as("seed %d", seed).isEqualTo(m.key());
        assertThat(v.culprit().id()).as("seed %d: %s", seed, r.explanation()).isEqualTo(m.op());
        assertThat(r.violations()).as("seed %d: only the mutated key fails", seed).hasSize(1);
    }

    @Test
    void tenProcessesTimesTwoThousandOpsOverFiftyKeysCheckInAFewSeconds() {
        History h = SimulatedHistories.generate(42, new SimulatedHistories.Settings(10, 2_000, 50, 0.02, 0.02));
        assertThat(h.operations()).hasSize(20_000);
        Timed t = timed(h);
        log.info("20,000 ops over 50 keys: {} in {} ms CPU ({} ms wall), {} search steps", t.result.verdict(), t.cpuMillis,
                t.result.elapsed().toMillis(), t.result.steps());
        assertThat(t.result.verdict()).as(t.result.explanation()).isEqualTo(Verdict.LINEARIZABLE);
        assertThat(t.cpuMillis).isLessThan(5_000);
    }

    @Test
    void oneHotKeyWithTenProcessesChecksInAFewSeconds() {
        History h = SimulatedHistories.generate(7, new SimulatedHistories.Settings(10, 500, 1, 0.02, 0.02));
        Timed t = timed(h);
        log.info("5,000 ops on one key: {} in {} ms CPU ({} ms wall), {} search steps", t.result.verdict(), t.cpuMillis,
                t.result.elapsed().toMillis(), t.result.steps());
        assertThat(t.result.verdict()).as(t.result.explanation()).isEqualTo(Verdict.LINEARIZABLE);
        assertThat(t.cpuMillis).isLessThan(5_000);
    }

    @Test
    void aViolationInABigHistoryIsFoundAndExplainedQuickly() {
        History h = SimulatedHistories.generate(43, new SimulatedHistories.Settings(10, 2_000, 50, 0.02, 0.02));
        SimulatedHistories.Mutation m = SimulatedHistories.staleRead(h, 43).orElseThrow();
        Timed t = timed(m.history());
        log.info("20,000 ops with one stale read: {} in {} ms CPU\n{}", t.result.verdict(), t.cpuMillis, t.result.explanation());
        assertThat(t.result.verdict()).isEqualTo(Verdict.NOT_LINEARIZABLE);
        assertThat(t.result.firstViolation().orElseThrow().culprit().id()).isEqualTo(m.op());
        assertThat(t.cpuMillis).isLessThan(5_000);
    }

    /**
     * A stale read in a history where 10% of the operations ended unknown (open forever): proving
     * it takes millions of steps even with the search's reductions, which makes it a test of them
     * and of the budgets.
     */
    private static SimulatedHistories.Mutation hardViolation() {
        History h = SimulatedHistories.generate(9, new SimulatedHistories.Settings(6, 300, 4, 0.10, 0.05));
        return SimulatedHistories.staleRead(h, 9).orElseThrow();
    }

    @Test
    void manyUnknownOperationsAreStillDecidedWithinTheDefaultBudget() {
        SimulatedHistories.Mutation m = hardViolation();
        Timed t = timed(m.history());
        log.info("stale read among 10% unknown operations: {} in {} ms CPU, {} search steps", t.result.verdict(), t.cpuMillis,
                t.result.steps());
        assertThat(t.result.verdict()).as(t.result.explanation()).isEqualTo(Verdict.NOT_LINEARIZABLE);
        assertThat(t.result.firstViolation().orElseThrow().culprit().id()).isEqualTo(m.op());
    }

    @Test
    void stepBudgetGivesUnknownInsteadOfHanging() {
        CheckResult r = new LinearizabilityChecker(Duration.ofSeconds(60), 10_000).check(hardViolation().history());
        assertThat(r.verdict()).as(r.explanation()).isEqualTo(Verdict.UNKNOWN);
        assertThat(r.keys()).extracting(KeyResult::reason).contains("step budget of 10000 exhausted");
        assertThat(r.explanation()).contains("undecided: step budget of 10000 exhausted");
    }

    @Test
    void timeBudgetGivesUnknownInsteadOfHanging() {
        long started = System.nanoTime();
        CheckResult r = new LinearizabilityChecker(Duration.ofMillis(50), Long.MAX_VALUE).check(hardViolation().history());
        assertThat(r.verdict()).as(r.explanation()).isEqualTo(Verdict.UNKNOWN);
        assertThat(r.keys()).extracting(KeyResult::reason).anySatisfy(reason -> assertThat(reason).contains("time budget"));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    private record Timed(CheckResult result, long cpuMillis) {
    }

    /** Checks with the default checker, measuring this thread's CPU time (the machine may be busy). */
    private Timed timed(History h) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpu = threads.getCurrentThreadCpuTime();
        CheckResult r = checker.check(h);
        return new Timed(r, (threads.getCurrentThreadCpuTime() - cpu) / 1_000_000);
    }
}
