package io.chainring.cli.evaluate.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The history model: what a valid history is, and clear errors for what is not. */
class HistoryTest {
    private static Invoke write(long op, int p, String value, long t) {
        return new Invoke(op, p, OpType.WRITE, "k", value, Invoke.NO_VERSION, t);
    }

    private static Invoke read(long op, int p, String key, long t) {
        return new Invoke(op, p, OpType.READ, key, null, Invoke.NO_VERSION, t);
    }

    @Test
    void pairsInvocationsWithCompletionsAndGroupsByKey() {
        History h = History.of(List.of(
                write(0, 0, "a", 100),
                read(1, 1, "other", 110),
                Completion.wrote(0, 0, 7, 120),
                read(2, 0, "k", 130),
                Completion.read(1, 1, null, 0, 140)));
        assertThat(h.operations()).extracting(Operation::id).containsExactly(0L, 1L, 2L);
        assertThat(h.operations().get(0).outcome()).isEqualTo(Outcome.OK);
        assertThat(h.operations().get(2).completion()).isNull();
        assertThat(h.operations().get(2).outcome()).as("never completed").isEqualTo(Outcome.INFO);
        assertThat(h.byKey()).containsOnlyKeys("k", "other");
        assertThat(h.byKey().keySet()).containsExactly("k", "other");
        assertThat(h.byKey().get("k")).extracting(Operation::id).containsExactly(0L, 2L);
        assertThat(h.startNanos()).isEqualTo(100);
        assertThat(h.outcomeCounts()).isEqualTo(Map.of(Outcome.OK, 2, Outcome.INFO, 1));
    }

    @Test
    void describesAnOperationReadably() {
        History h = History.of(List.of(
                new Invoke(0, 3, OpType.CAS, "k1", "w1-7", 5, 1_000_000),
                Completion.wrote(0, 3, 9, 2_500_000),
                new Invoke(1, 4, OpType.READ, "k1", null, Invoke.NO_VERSION, 3_000_000),
                Completion.info(1, 4, "timeout after 5 s", 4_000_000)));
        assertThat(h.operations().get(0).describe(0))
                .startsWith("p3   CAS k1 := 'w1-7' if v=5")
                .contains("-> OK v=9")
                .endsWith("[1.000 .. 2.500 ms]");
        assertThat(h.operations().get(1).describe(1_000_000))
                .contains("READ k1")
                .contains("INFO (timeout after 5 s)")
                .endsWith("[2.000 .. 3.000 ms] (open forever)");
    }

    @Test
    void eventsMustBeInTimeOrder() {
        assertThatThrownBy(() -> History.of(List.of(write(0, 0, "a", 100), Completion.wrote(0, 0, 1, 90))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out of time order");
    }

    @Test
    void completionNeedsAnEarlierInvocationOfTheSameProcess() {
        assertThatThrownBy(() -> History.of(List.of(Completion.wrote(0, 0, 1, 90))))
                .hasMessageContaining("completion of op 0 that was not invoked before");
        assertThatThrownBy(() -> History.of(List.of(write(0, 0, "a", 1), Completion.wrote(0, 1, 1, 2))))
                .hasMessageContaining("invoked by process 0 but completed by process 1");
        assertThatThrownBy(() -> History.of(List.of(write(0, 0, "a", 1), Completion.wrote(0, 0, 1, 2), Completion.wrote(0, 0, 1, 3))))
                .hasMessageContaining("op 0 completed twice");
        assertThatThrownBy(() -> History.of(List.of(write(0, 0, "a", 1), write(0, 1, "b", 2))))
                .hasMessageContaining("op id 0 invoked twice");
    }

    @Test
    void aProcessRunsOneOperationAtATimeAndStopsAfterAnUnknownOne() {
        assertThatThrownBy(() -> History.of(List.of(write(0, 0, "a", 1), write(1, 0, "b", 2))))
                .hasMessageContaining("process 0 invoked op 1 while its op 0 is still open");
        assertThatThrownBy(() -> History.of(List.of(write(0, 0, "a", 1), Completion.info(0, 0, "timeout", 2), write(1, 0, "b", 3))))
                .hasMessageContaining("after one of its ops ended INFO");
        // after a FAIL the process goes on
        assertThat(History.of(List.of(write(0, 0, "a", 1), Completion.fail(0, 0, "refused", 2), write(1, 0, "b", 3)))
                .operations()).hasSize(2);
    }

    @Test
    void resultsMustFitTheirOperations() {
        assertThatThrownBy(() -> History.of(List.of(read(0, 0, "k", 1), Completion.read(0, 0, null, 3, 2))))
                .hasMessageContaining("a read returns version 0 when absent");
        assertThatThrownBy(() -> History.of(List.of(read(0, 0, "k", 1), Completion.read(0, 0, "a", 0, 2))))
                .hasMessageContaining("positive version otherwise");
        assertThatThrownBy(() -> History.of(List.of(write(0, 0, "a", 1), Completion.wrote(0, 0, 0, 2))))
                .hasMessageContaining("a write returns a positive version");
        assertThatThrownBy(() -> History.of(List.of(write(0, 0, "a", 1), Completion.mismatch(0, 0, 3, "x", 2))))
                .hasMessageContaining("only a compare-and-set fails with a version mismatch");
        assertThatThrownBy(() -> History.of(List.of(new Invoke(0, 0, OpType.CAS, "k", "a", 3, 1), Completion.mismatch(0, 0, 3, "x", 2))))
                .hasMessageContaining("cannot report the expected version");
        assertThatThrownBy(() -> History.of(List.of(new Invoke(0, 0, OpType.DELETE, "k", null, Invoke.NO_VERSION, 1),
                Completion.read(0, 0, "a", 1, 2))))
                .hasMessageContaining("a delete returns no version");
    }

    @Test
    void invocationsAndCompletionsCheckTheirFields() {
        assertThatThrownBy(() -> new Invoke(0, 0, OpType.WRITE, "k", null, Invoke.NO_VERSION, 1)).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> new Invoke(0, 0, OpType.READ, "k", "a", Invoke.NO_VERSION, 1)).hasMessageContaining("takes no value");
        assertThatThrownBy(() -> new Invoke(0, 0, OpType.CAS, "k", "a", -1, 1)).hasMessageContaining("must be >= 0");
        assertThatThrownBy(() -> new Invoke(0, 0, OpType.WRITE, "k", "a", 0, 1)).hasMessageContaining("only a CAS has one");
        assertThatThrownBy(() -> new Completion(0, 0, Outcome.OK, null, 1, false, "oops", 1)).hasMessageContaining("not with OK");
        assertThatThrownBy(() -> new Completion(0, 0, Outcome.FAIL, null, -1, false, null, 1)).hasMessageContaining("FAIL or INFO");
        assertThatThrownBy(() -> Completion.mismatch(0, 0, -2, "x", 1)).hasMessageContaining("actual version must be >= 0");
        assertThat(Completion.mismatch(0, 0, 0, "x", 1).isMismatch()).isTrue();
        assertThat(Completion.fail(0, 0, "x", 1).isMismatch()).isFalse();
    }
}
