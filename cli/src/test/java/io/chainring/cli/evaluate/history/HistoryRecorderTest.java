package io.chainring.cli.evaluate.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainring.client.ChainringException;
import io.chainring.client.ChainringTimeoutException;
import io.chainring.client.ConnectionException;
import io.chainring.client.ErrorCode;
import io.chainring.client.InvalidRequestException;
import io.chainring.client.StaleRoutingException;
import io.chainring.client.UnavailableException;
import io.chainring.client.VersionMismatchException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The recorder: bounded, thread-safe, enforcing process rules; and how failures are classified. */
class HistoryRecorderTest {
    private final AtomicLong clock = new AtomicLong();
    private final HistoryRecorder recorder = new HistoryRecorder(100, () -> clock.addAndGet(10));

    @Test
    void recordsEveryKindOfCompletionWithTheClocksTimes() {
        int p = recorder.newProcess();
        recorder.wrote(recorder.invoke(p, OpType.WRITE, "k", "a", Invoke.NO_VERSION), 4);
        recorder.read(recorder.invoke(p, OpType.READ, "k", null, Invoke.NO_VERSION), "a", 4);
        recorder.mismatch(recorder.invoke(p, OpType.CAS, "k", "b", 3), 4, "VersionMismatch");
        recorder.deleted(recorder.invoke(p, OpType.DELETE, "k", null, Invoke.NO_VERSION), true);
        recorder.fail(recorder.invoke(p, OpType.WRITE, "k", "c", Invoke.NO_VERSION), "Unavailable");
        recorder.info(recorder.invoke(p, OpType.WRITE, "k", "d", Invoke.NO_VERSION), "timeout");
        History h = recorder.snapshot();
        assertThat(h.events()).extracting(Event::nanos).containsExactly(10L, 20L, 30L, 40L, 50L, 60L, 70L, 80L, 90L, 100L, 110L, 120L);
        assertThat(h.operations()).extracting(Operation::result).containsExactly(
                "OK v=4", "OK 'a' v=4", "FAIL mismatch, actual v=4", "OK existed=true", "FAIL (Unavailable)", "INFO (timeout)");
        assertThat(new LinearizabilityChecker().check(h).verdict()).isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void fullHistoryRefusesNewOperationsButKeepsRoomForOpenOnes() {
        HistoryRecorder small = new HistoryRecorder(4);
        int p = small.newProcess();
        int q = small.newProcess();
        long a = small.invoke(p, OpType.WRITE, "k", "a", Invoke.NO_VERSION);
        long b = small.invoke(q, OpType.WRITE, "k", "b", Invoke.NO_VERSION);
        int r = small.newProcess();
        assertThatThrownBy(() -> small.invoke(r, OpType.READ, "k", null, Invoke.NO_VERSION))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("history full: 4 events (2 ops still open)");
        small.wrote(a, 1);
        small.wrote(b, 2);
        assertThat(small.size()).isEqualTo(4);
        assertThat(small.snapshot().operations()).allSatisfy(op -> assertThat(op.outcome()).isEqualTo(Outcome.OK));
        assertThatThrownBy(() -> new HistoryRecorder(1)).hasMessageContaining("at least one operation");
    }

    @Test
    void aProcessRunsOneOperationAtATimeAndRetiresAfterAnUnknownOne() {
        int p = recorder.newProcess();
        assertThat(recorder.newProcess()).isNotEqualTo(p);
        long op = recorder.invoke(p, OpType.READ, "k", null, Invoke.NO_VERSION);
        assertThatThrownBy(() -> recorder.invoke(p, OpType.READ, "k", null, Invoke.NO_VERSION))
                .hasMessageContaining("process " + p + " invoked READ while its op " + op + " is open");
        recorder.info(op, "timeout");
        assertThatThrownBy(() -> recorder.invoke(p, OpType.READ, "k", null, Invoke.NO_VERSION))
                .hasMessageContaining("take a new process id");
        assertThatThrownBy(() -> recorder.read(op, null, 0)).hasMessageContaining("op " + op + " is not open");
        assertThatThrownBy(() -> recorder.wrote(999, 1)).hasMessageContaining("op 999 is not open");
    }

    @Test
    void openOperationsCountAsUnknownInASnapshot() {
        int p = recorder.newProcess();
        recorder.invoke(p, OpType.WRITE, "k", "a", Invoke.NO_VERSION);
        History h = recorder.snapshot();
        assertThat(h.operations()).singleElement().satisfies(op -> {
            assertThat(op.completion()).isNull();
            assertThat(op.outcome()).isEqualTo(Outcome.INFO);
        });
    }

    @Test
    void manyThreadsRecordAConsistentHistory() throws Exception {
        HistoryRecorder shared = new HistoryRecorder(100_000);
        int threads = 8;
        int opsEach = 2_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    int p = shared.newProcess();
                    for (int i = 0; i < opsEach; i++) {
                        long op = shared.invoke(p, OpType.WRITE, "k" + thread, "v" + thread + "-" + i, Invoke.NO_VERSION);
                        shared.wrote(op, i + 1);
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        // History.of checks time order and pairing
        History h = shared.snapshot();
        assertThat(h.operations()).hasSize(threads * opsEach).allSatisfy(op -> assertThat(op.outcome()).isEqualTo(Outcome.OK));
        assertThat(h.byKey()).hasSize(threads);
        assertThat(new LinearizabilityChecker().check(h).verdict()).isEqualTo(Verdict.LINEARIZABLE);
    }

    @Test
    void failuresAreClassifiedByWhetherTheyMayHaveBeenApplied() {
        assertThat(RecordingClient.classify(new VersionMismatchException("version 3, not 2", 3))).isEqualTo(Outcome.FAIL);
        assertThat(RecordingClient.classify(new UnavailableException("no replica"))).isEqualTo(Outcome.FAIL);
        assertThat(RecordingClient.classify(new UnavailableException("gave up", true, null))).isEqualTo(Outcome.INFO);
        assertThat(RecordingClient.classify(new StaleRoutingException("ring moved", false))).isEqualTo(Outcome.FAIL);
        assertThat(RecordingClient.classify(new InvalidRequestException("key too long"))).isEqualTo(Outcome.FAIL);
        assertThat(RecordingClient.classify(new ChainringTimeoutException("deadline", true, null))).isEqualTo(Outcome.INFO);
        assertThat(RecordingClient.classify(new ConnectionException("reset", true, null))).isEqualTo(Outcome.INFO);
        assertThat(RecordingClient.classify(new ChainringException(ErrorCode.INTERNAL, "?", true))).isEqualTo(Outcome.INFO);
        // nothing proves an unexpected failure was not applied
        assertThat(RecordingClient.classify(new IllegalStateException("client closed"))).isEqualTo(Outcome.INFO);
    }
}
