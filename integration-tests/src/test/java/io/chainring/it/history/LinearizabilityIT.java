package io.chainring.it.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainring.cli.evaluate.history.*;
import io.chainring.client.ChainringClient;
import io.chainring.client.ChainringException;
import io.chainring.embedded.EmbeddedCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real store, end to end: concurrent clients run random reads, writes, compare-and-sets and
 * deletes on a few keys of an embedded cluster (3 datanodes, 16 partitions, replication factor 1),
 * every call is recorded, and the history must be linearizable. On failure the history is
 * written to {@code target/it-logs/linearizability/}.
 */
@Tag("cluster")
class LinearizabilityIT {
    private static final Logger log = LoggerFactory.getLogger(LinearizabilityIT.class);
    private static final Path LOGS = Path.of("target", "it-logs", "linearizability");
    private static final int KEYS = 10;

    private static EmbeddedCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = EmbeddedCluster.builder().nodes(3).partitions(16).build().start();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {20_240_601})
    void concurrentClientsOnAHealthyClusterSeeALinearizableStore(long seed) throws Exception {
        History h = run("healthy-" + seed, seed, List.of(false, false, false, false), Duration.ofSeconds(5));
        CheckResult r = check("healthy", seed, h);
        assertThat(r.verdict()).as("seed %d: %s", seed, r.explanation()).isEqualTo(Verdict.LINEARIZABLE);
        // the history exercised what it should
        Map<String, Long> kinds = kinds(h);
        assertThat(kinds).as("seed %d: %s", seed, kinds)
                .hasEntrySatisfying("READ OK present", n -> assertThat(n).isGreaterThan(100))
                .hasEntrySatisfying("READ OK absent", n -> assertThat(n).isGreaterThan(10))
                .hasEntrySatisfying("WRITE OK", n -> assertThat(n).isGreaterThan(100))
                .hasEntrySatisfying("CAS OK", n -> assertThat(n).isGreaterThan(20))
                .hasEntrySatisfying("CAS FAIL mismatch", n -> assertThat(n).isGreaterThan(20))
                .hasEntrySatisfying("DELETE OK existed", n -> assertThat(n).isGreaterThan(20));
        assertThat(r.keys()).as("seed %d", seed).hasSize(KEYS);
    }

    /**
     * One client's thread is interrupted every few milliseconds while it waits for answers: its
     * calls end INFO (outcome unknown) while the requests go on and may still be applied, so their
     * writes can show up after the caller gave up. The history must still be linearizable, with
     * the checker treating those operations as open forever.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {20_240_602})
    void interruptedCallsStayOpenAndTheHistoryIsStillLinearizable(long seed) throws Exception {
        History h = run("interrupted-" + seed, seed, List.of(false, false, false, true), Duration.ofSeconds(4));
        CheckResult r = check("interrupted", seed, h);
        assertThat(r.verdict()).as("seed %d: %s", seed, r.explanation()).isEqualTo(Verdict.LINEARIZABLE);
        long unknownWrites = h.operations().stream()
                .filter(op -> op.outcome() == Outcome.INFO && op.type() != OpType.READ).count();
        assertThat(unknownWrites).as("seed %d: writes whose outcome is unknown", seed).isGreaterThan(10);
        long seenLater = h.operations().stream()
                .filter(op -> op.outcome() == Outcome.INFO && op.invoke().value() != null)
                .filter(op -> readBack(h, op.invoke().value()))
                .count();
        log.info("seed {}: {} writes with unknown outcome, {} of them read back later", seed, unknownWrites, seenLater);
    }

    /** Runs one worker per entry (true: interrupted now and then) until {@code length} passed. */
    private static History run(String name, long seed, List<Boolean> interrupted, Duration length) throws Exception {
        long epochBefore = ringEpoch();
        HistoryRecorder recorder = new HistoryRecorder(4_000_000);
        long deadline = System.nanoTime() + length.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(interrupted.size());
        try {
            List<Future<Integer>> workers = new ArrayList<>();
            for (int w = 0; w < interrupted.size(); w++) {
                int worker = w;
                boolean interrupt = interrupted.get(w);
                workers.add(pool.submit(() -> work(name, worker, interrupt, new Random(seed * 31 + worker), recorder, deadline)));
            }
            for (Future<Integer> f : workers) {
                f.get(length.toSeconds() + 60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).as("workers stopped").isTrue();
        }
        History h = recorder.snapshot();
        // a ring change during the run (partitions moving) is worth knowing when reading a failure
        log.info("{}: {} operations recorded in {} s, ring epoch {} -> {}: {}", name, h.operations().size(), length.toSeconds(),
                epochBefore, ringEpoch(), kinds(h));
        return h;
    }

    private static long ringEpoch() {
        try (ChainringClient client = ChainringClient.builder().seeds(cluster.seeds()).build()) {
            return client.ring().epoch();
        }
    }

    /**
     * A worker: random operations on the test's keys, unique values, compare-and-sets with the
     * version it last saw. If {@code interrupted}, another thread interrupts it every 1-4 ms.
     */
    private static int work(String name, int worker, boolean interrupted, Random random, HistoryRecorder recorder,
            long deadline) {
        int ops = 0;
        try (ChainringClient client = ChainringClient.builder().seeds(cluster.seeds()).timeout(Duration.ofSeconds(5)).build()) {
            RecordingClient c = new RecordingClient(client, recorder);
            Map<String, Long> seen = new HashMap<>();
            Interrupter interrupter = interrupted ? new Interrupter(Thread.currentThread(), random.nextLong()) : null;
            try {
                ops = loop(name, worker, random, c, seen, deadline);
            } finally {
                if (interrupter != null) {
                    interrupter.close();
                }
                Thread.interrupted(); // clear a late interrupt before closing the client
            }
        }
        return ops;
    }

    private static int loop(String name, int worker, Random random, RecordingClient c, Map<String, Long> seen, long deadline) {
        int ops = 0;
        while (System.nanoTime() - deadline < 0) {
            Thread.interrupted(); // an interrupt between calls would only fail the next call at once
            String key = name + "-k" + random.nextInt(KEYS);
            // unique: process ids are never reused (a client takes a new one after an INFO)
            String value = "p" + c.process() + "-" + ops;
            ops++;
            try {
                RandomOps.step(c, random, key, value, seen);
            } catch (ChainringException e) {
                // recorded as FAIL or INFO by the recording client; the history is what matters
                log.debug("worker {}: {}", worker, e.toString());
            }
        }
        return ops;
    }

    /** Interrupts a thread at random intervals of 1-4 ms until closed. */
    private static final class Interrupter implements AutoCloseable {
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        private final Thread target;
        private final Random random;
        private boolean stopped;

        Interrupter(Thread target, long seed) {
            this.target = target;
            this.random = new Random(seed);
            schedule();
        }

        private void schedule() {
            timer.schedule(this::interrupt, 1_000 + random.nextInt(3_000), TimeUnit.MICROSECONDS);
        }

        private synchronized void interrupt() {
            if (!stopped) {
                target.interrupt();
                schedule();
            }
        }

        /** Stops interrupting: once {@code stopped} is set (under the lock) no interrupt can come any more. */
        @Override
        public void close() {
            synchronized (this) {
                stopped = true;
            }
            Thread.interrupted(); // the last one it sent
            timer.shutdownNow();
            try {
                if (!timer.awaitTermination(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("interrupter did not stop within 10 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while stopping the interrupter", e);
            }
        }
    }

    private static CheckResult check(String name, long seed, History h) throws IOException {
        CheckResult r = new LinearizabilityChecker().check(h);
        log.info("{} (seed {}): {} in {} ms, {} search steps", name, seed, r.verdict(), r.elapsed().toMillis(), r.steps());
        if (!r.isLinearizable()) {
            Files.createDirectories(LOGS);
            Path file = LOGS.resolve(name + "-" + seed + ".txt");
            String ops = h.operations().stream().map(op -> op.describe(h.startNanos())).collect(Collectors.joining("\n"));
            Files.writeString(file, r.explanation() + "\nFull history:\n" + ops + "\n");
            log.error("history written to {}", file.toAbsolutePath());
        }
        return r;
    }

    private static Map<String, Long> kinds(History h) {
        return h.operations().stream().collect(Collectors.groupingBy(op -> {
            String base = op.type() + " " + op.outcome();
            if (op.outcome() == Outcome.OK && op.type() == OpType.READ) {
                return base + (op.completion().value() == null ? " absent" : " present");
            }
            if (op.outcome() == Outcome.OK && op.type() == OpType.DELETE) {
                return base + (op.completion().existed() ? " existed" : " absent");
            }
            return op.completion() != null && op.completion().isMismatch() ? base + " mismatch" : base;
        }, Collectors.counting()));
    }

    private static boolean readBack(History h, String value) {
        return h.operations().stream().anyMatch(op -> op.type() == OpType.READ && op.outcome() == Outcome.OK
                && value.equals(op.completion().value()));
    }
}
