package io.chainring.it.nemesis;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainring.client.ChainringClient;
import io.chainring.client.ReadLevel;
import io.chainring.client.Versioned;
import io.chainring.client.WriteAck;
import io.chainring.cli.evaluate.history.CheckResult;
import io.chainring.cli.evaluate.history.History;
import io.chainring.cli.evaluate.history.HistoryRecorder;
import io.chainring.cli.evaluate.history.LinearizabilityChecker;
import io.chainring.cli.evaluate.history.OpType;
import io.chainring.cli.evaluate.history.Operation;
import io.chainring.cli.evaluate.history.Outcome;
import io.chainring.cli.evaluate.history.RecordingClient;
import io.chainring.cli.evaluate.history.Verdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chain replication under faults, on real processes: ZooKeeper, 2 controllers and 4 datanodes
 * (R = 3, 16 partitions, 4 s ZooKeeper sessions), each in its own JVM, started with the
 * {@code chainring} commands. Concurrent recording clients run reads, writes, compare-and-sets and
 * deletes on a few keys while the {@link Nemesis} kills, pauses, restarts and cuts off datanodes
 * and kills or cuts off the controller leader. Then everything is healed, the chains are whole
 * again, and every key is read once more (LINEARIZABLE, and ONE at every replica), into the same
 * history.
 *
 * <ul>
 *   <li>LINEARIZABLE reads and ALL acks: the history must be linearizable, so no acknowledged
 *       write is lost and no read is stale, and the replicas must agree at the end.</li>
 *   <li>ONE reads and ONE acks: the same setup must produce a history the checker rejects (stale
 *       reads): proof that the checker, the recording and the workload can fail.</li>
 * </ul>
 *
 * <p>System properties: {@code nemesis.seconds} (how long the nemesis runs in the LINEARIZABLE
 * test; default 60), {@code nemesis.seed} (fault order and targets, workload; default fixed),
 * {@code nemesis.faults} (comma-separated {@link FaultKind} names to draw from; default all).
 * Histories, nemesis reports and the processes' logs go to {@code target/it-logs/nemesis/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("cluster")
class NemesisIT {
    private static final Logger log = LoggerFactory.getLogger(NemesisIT.class);
    private static final Path LOGS = Path.of("target", "it-logs", "nemesis");
    private static final Duration SESSION = Duration.ofSeconds(4);
    private static final int REPLICATION = 3;
    private static final int KEYS = 20;
    private static final int WORKERS = 4;
    /** Longer than a pause: a call that waits for a paused node can see what it answers when it wakes up. */
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration NEMESIS = Duration.ofSeconds(Integer.getInteger("nemesis.seconds", 60));
    private static final Duration ONE_ONE_BOUND = Duration.ofSeconds(60);
    private static final long SEED = Long.getLong("nemesis.seed", 20_240_611L);
    private static final List<FaultKind> FAULTS = faultKinds(System.getProperty("nemesis.faults", ""));

    @TempDir
    static Path dir;

    private ProcessCluster cluster;

    @BeforeAll
    void startCluster() throws Exception {
        cluster = ProcessCluster.start(new ProcessCluster.Settings(2, 4, 16, REPLICATION, SESSION), dir, LOGS);
    }

    @AfterAll
    void stopCluster() throws InterruptedException {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void linearizableReadsAndAllAcksStayLinearizableAndLoseNoAcknowledgedWrite() throws Exception {
        String name = "linearizable-all-seed-" + SEED;
        cluster.awaitWhole(Duration.ofSeconds(60));
        HistoryRecorder recorder = new HistoryRecorder(4_000_000);
        Workload.Settings ws = new Workload.Settings(cluster.seeds(), ReadLevel.LINEARIZABLE, WriteAck.ALL, "lin-", KEYS,
                WORKERS, CALL_TIMEOUT, SEED);
        Nemesis nemesis;
        List<ChainMonitor.ShortChain> shortChains;
        String monitorStats;
        long started = System.nanoTime();
        try (ChainMonitor monitor = new ChainMonitor(cluster.admin(), REPLICATION, Duration.ofMillis(200)).start();
             Workload workload = new Workload(ws, recorder).start();
             Nemesis n = new Nemesis(cluster, SEED, FAULTS)) {
            nemesis = n;
            n.start(NEMESIS);
            assertThat(n.await(NEMESIS.plusMinutes(3))).as("nemesis ends by itself").isTrue();
            workload.stop();
            assertThat(workload.failure()).as("workload").isEmpty();
            assertThat(n.failure()).as("nemesis").isEmpty();
            long healed = System.nanoTime();
            cluster.awaitWhole(Duration.ofSeconds(60));
            log.info("{}: cluster whole {} ms after the nemesis stopped", name, (System.nanoTime() - healed) / 1_000_000);
            monitor.awaitNoneOpen(Duration.ofSeconds(10)); // let its next polls see the whole cluster too
            shortChains = monitor.intervals();
            monitorStats = monitor.pollStats();
        }

        Map<String, Versioned> finalValues = finalReads(ws, recorder);
        History h = recorder.snapshot();
        CheckResult result = new LinearizabilityChecker(Duration.ofSeconds(90), LinearizabilityChecker.DEFAULT_MAX_STEPS).check(h);
        String report = report(name, h, result, nemesis, shortChains, monitorStats, started);
        log.info("{}", report);
        if (!result.isLinearizable()) {
            writeHistory(name, h, result, report);
        }

        List<Nemesis.Fault> faults = nemesis.faults();
        assertThat(faults).as("faults injected in %d s", NEMESIS.toSeconds()).hasSizeGreaterThanOrEqualTo(Math.min(3, (int) (NEMESIS.toSeconds() / 20)));
        assertThat(faults).as("every fault healed and the cluster whole again within the bound")
                .allSatisfy(f -> assertThat(f.wholeNanos()).as(f.describe(started)).isPositive());
        assertThat(shortChains).as("every short chain back to R").allSatisfy(c -> assertThat(c.ended()).as(c.toString()).isTrue());
        Map<String, Long> kinds = kinds(h);
        assertThat(kinds.getOrDefault("READ OK", 0L)).as("reads answered: %s", kinds).isGreaterThan(100);
        assertThat(kinds.getOrDefault("WRITE OK", 0L) + kinds.getOrDefault("CAS OK", 0L)).as("writes acked: %s", kinds).isGreaterThan(100);
        assertThat(result.verdict()).as("seed %d: %s", SEED, result.explanation()).isEqualTo(Verdict.LINEARIZABLE);
        assertNoAcknowledgedWriteAboveTheFinalVersion(h, finalValues);
    }

    @Test
    void oneReadsAndOneAcksShowStaleReadsTheCheckerFinds() throws Exception {
        String name = "one-one-seed-" + SEED;
        cluster.awaitWhole(Duration.ofSeconds(60));
        HistoryRecorder recorder = new HistoryRecorder(4_000_000);
        Workload.Settings ws = new Workload.Settings(cluster.seeds(), ReadLevel.ONE, WriteAck.ONE, "one-", KEYS, WORKERS,
                CALL_TIMEOUT, SEED + 1);
        LinearizabilityChecker checker = new LinearizabilityChecker(Duration.ofSeconds(20), 2_000_000);
        long started = System.nanoTime();
        long deadline = started + ONE_ONE_BOUND.toNanos();
        CheckResult result = null;
        History h = null;
        Nemesis nemesis;
        int checks = 0;
        try (Workload workload = new Workload(ws, recorder).start();
             Nemesis n = new Nemesis(cluster, SEED + 1, FAULTS)) {
            nemesis = n;
            n.start(ONE_ONE_BOUND);
            // check as the history grows; stop at the first violation
            while (System.nanoTime() < deadline) {
                Thread.sleep(5_000);
                h = recorder.snapshot();
                result = checker.check(h);
                checks++;
                log.info("{}: check {} after {} s: {} ({} ops, {} ms)", name, checks, (System.nanoTime() - started) / 1_000_000_000,
                        result.verdict(), h.operations().size(), result.elapsed().toMillis());
                if (result.verdict() == Verdict.NOT_LINEARIZABLE) {
                    break;
                }
            }
            assertThat(workload.failure()).as("workload").isEmpty();
        }
        assertThat(nemesis.failure()).as("nemesis").isEmpty();
        assertThat(h).as("no check ran").isNotNull();
        String report = report(name, h, result, nemesis, List.of(), "", started);
        log.info("{}", report);
        writeHistory(name, h, result, report);
        assertThat(result.verdict()).as("with ONE reads and ONE acks under faults the checker must find a violation within %d s; %s",
                ONE_ONE_BOUND.toSeconds(), result.explanation()).isEqualTo(Verdict.NOT_LINEARIZABLE);
        assertThat(result.violations()).as("a stale read among the violations: %s", result.explanation())
                .anySatisfy(v -> assertThat(v.culprit().type()).isEqualTo(OpType.READ));
        log.info("{}: first violation:\n{}", name, result.firstViolation().orElseThrow().describe());
    }

    /**
     * Every key read once at LINEARIZABLE, then 2R times at ONE (reads rotate over the chain, so
     * each replica answers): all recorded. Returns the LINEARIZABLE values; asserts the replicas agree.
     */
    private Map<String, Versioned> finalReads(Workload.Settings ws, HistoryRecorder recorder) {
        Map<String, Versioned> values = new TreeMap<>();
        List<String> disagreements = new ArrayList<>();
        try (ChainringClient lin = ChainringClient.builder().seeds(ws.seeds()).readLevel(ReadLevel.LINEARIZABLE)
                .timeout(CALL_TIMEOUT).build();
             ChainringClient one = ChainringClient.builder().seeds(ws.seeds()).readLevel(ReadLevel.ONE)
                     .timeout(CALL_TIMEOUT).build()) {
            RecordingClient linRec = new RecordingClient(lin, recorder);
            RecordingClient oneRec = new RecordingClient(one, recorder);
            for (int i = 0; i < ws.keys(); i++) {
                String key = ws.key(i);
                Optional<Versioned> v = linRec.get(key);
                v.ifPresent(x -> values.put(key, x));
                Set<String> seen = new HashSet<>();
                for (int r = 0; r < 2 * REPLICATION; r++) {
                    seen.add(oneRec.get(key).map(x -> x.valueAsString() + "@" + x.version()).orElse("absent"));
                }
                String expected = v.map(x -> x.valueAsString() + "@" + x.version()).orElse("absent");
                if (!seen.equals(Set.of(expected))) {
                    disagreements.add(key + ": LINEARIZABLE " + expected + ", replicas " + seen);
                }
            }
        }
        log.info("final values: {}", values.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue().valueAsString() + "@" + e.getValue().version()).toList());
        assertThat(disagreements).as("replicas disagree after the cluster is whole and quiet").isEmpty();
        return values;
    }

    /** Versions of a key only grow: an acknowledged write above the final version was lost. */
    private static void assertNoAcknowledgedWriteAboveTheFinalVersion(History h, Map<String, Versioned> finals) {
        List<String> lost = new ArrayList<>();
        for (Operation op : h.operations()) {
            if ((op.type() == OpType.WRITE || op.type() == OpType.CAS) && op.outcome() == Outcome.OK) {
                Versioned f = finals.get(op.key());
                if (f != null && op.completion().version() > f.version()) {
                    lost.add(op.describe(h.startNanos()) + " but the final value is '" + f.valueAsString() + "' v=" + f.version());
                }
            }
        }
        assertThat(lost).as("acknowledged writes newer than the key's final value").isEmpty();
    }

    private static String report(String name, History h, CheckResult result, Nemesis nemesis,
            List<ChainMonitor.ShortChain> shortChains, String monitorStats, long origin) {
        StringBuilder b = new StringBuilder();
        b.append(name).append(": ").append(h.operations().size()).append(" operations ").append(h.outcomeCounts())
                .append(", by kind ").append(kinds(h)).append('\n');
        b.append("checker: ").append(result.verdict()).append(" in ").append(result.elapsed().toMillis()).append(" ms, ")
                .append(result.steps()).append(" search steps\n");
        List<Nemesis.Fault> faults = nemesis.faults();
        b.append("faults injected: ").append(faults.size()).append(' ').append(nemesis.counts()).append('\n');
        for (int i = 0; i < faults.size(); i++) {
            Nemesis.Fault f = faults.get(i);
            long from = f.injectedNanos();
            long to = i + 1 < faults.size() ? faults.get(i + 1).injectedNanos() : Long.MAX_VALUE;
            List<ChainMonitor.ShortChain> mine = shortChains.stream()
                    .filter(c -> c.startNanos() >= from && c.startNanos() < to).toList();
            b.append("  ").append(f.describe(origin));
            if (!mine.isEmpty()) {
                long[] ms = mine.stream().filter(ChainMonitor.ShortChain::ended).mapToLong(c -> c.length().toMillis()).sorted().toArray();
                b.append("; ").append(mine.size()).append(" chains short of R (fewest members ")
                        .append(mine.stream().mapToInt(ChainMonitor.ShortChain::shortest).min().orElse(0)).append("), back to R after ")
                        .append(ms.length == 0 ? "-" : "median " + ms[ms.length / 2] + " ms, max " + ms[ms.length - 1] + " ms")
                        .append(" from the first poll that saw them short");
                long lastBack = mine.stream().filter(ChainMonitor.ShortChain::ended).mapToLong(ChainMonitor.ShortChain::endNanos).max().orElse(-1);
                if (lastBack >= 0) {
                    b.append(", all back ").append((lastBack - f.injectedNanos()) / 1_000_000).append(" ms after the fault began");
                }
                if (ms.length < mine.size()) {
                    b.append(" (").append(mine.size() - ms.length).append(" never back)");
                }
            }
            b.append('\n');
        }
        if (!monitorStats.isEmpty()) {
            b.append("chain monitor: ").append(monitorStats).append('\n');
        }
        return b.toString();
    }

    private static List<FaultKind> faultKinds(String names) {
        if (names.isBlank()) {
            return List.of(FaultKind.values());
        }
        return Arrays.stream(names.split(",")).map(String::trim).map(FaultKind::valueOf).toList();
    }

    private static Map<String, Long> kinds(History h) {
        return h.operations().stream().collect(Collectors.groupingBy(op -> {
            String base = op.type() + " " + op.outcome();
            return op.completion() != null && op.completion().isMismatch() ? base + " mismatch" : base;
        }, TreeMap::new, Collectors.counting()));
    }

    private static void writeHistory(String name, History h, CheckResult result, String report) throws IOException {
        Files.createDirectories(LOGS);
        Path file = LOGS.resolve(name + "-history.txt");
        String ops = h.operations().stream().map(op -> op.describe(h.startNanos())).collect(Collectors.joining("\n"));
        Files.writeString(file, report + "\n" + result.explanation() + "\nFull history:\n" + ops + "\n");
        log.info("history written to {}", file.toAbsolutePath());
    }
}
