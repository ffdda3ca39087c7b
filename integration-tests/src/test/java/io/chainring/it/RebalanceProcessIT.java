package io.chainring.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainring.client.AdminClient;
import io.chainring.client.ChainringClient;
import io.chainring.client.ChainringException;
import io.chainring.client.Migration;
import io.chainring.client.Migrations;
import io.chainring.client.NodeStatus;
import io.chainring.client.PlanAction;
import io.chainring.client.PlanInfo;
import io.chainring.client.PlanPreview;
import io.chainring.client.ReadLevel;
import io.chainring.client.RingSnapshot;
import io.chainring.client.WriteAck;
import io.chainring.cli.evaluate.history.CheckResult;
import io.chainring.cli.evaluate.history.History;
import io.chainring.cli.evaluate.history.HistoryRecorder;
import io.chainring.cli.evaluate.history.LinearizabilityChecker;
import io.chainring.cli.evaluate.history.RecordingClient;
import io.chainring.cli.evaluate.history.Verdict;
import io.chainring.it.nemesis.ProcessCluster;
import io.chainring.it.nemesis.Workload;
import io.chainring.thrift.ControllerAdminService;
import io.chainring.thrift.TPartition;
import io.chainring.thrift.TRing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.protocol.TMultiplexedProtocol;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.layered.TFramedTransport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Online rebalancing (DESIGN §7) on real processes: ZooKeeper, 2 controllers and datanodes, each
 * in its own JVM, started with the {@code chainring} commands (R = 3, 64 partitions, 4 s
 * ZooKeeper sessions). 50,000 keys are loaded into 3 datanodes; then, while recording clients
 * read (LINEARIZABLE) and write (ALL) a few hot keys and bulk clients overwrite and read the
 * loaded keys:
 * <ol>
 *   <li>a 4th datanode starts (NEW), an ADD plan is previewed and executed with the previewed id;</li>
 *   <li>n1 is decommissioned;</li>
 *   <li>under a low throttle a 5th datanode is added, and the target of a running move is
 *       killed with kill -9 and restarted: its move must resume and the plan finish;</li>
 *   <li>under a low throttle a 6th datanode is added, and the controller leader is killed with
 *       kill -9 mid-migration: the other controller must take over and finish the plan.</li>
 * </ol>
 * Afterwards every plan ended DONE with exactly its previewed moves done (equal to the planner's
 * lower bound), the ring is balanced as previewed with R members per chain and no learner, the
 * hot keys' history is linearizable, and every loaded key reads back with its last acknowledged
 * value. Processes' logs go to {@code target/it-logs/rebalance/}.
 */
@Tag("cluster")
class RebalanceProcessIT {
    private static final Logger log = LoggerFactory.getLogger(RebalanceProcessIT.class);
    private static final Path LOGS = Path.of("target", "it-logs", "rebalance");
    private static final int PARTITIONS = 64;
    private static final int REPLICATION = 3;
    private static final int KEYS = 50_000;
    private static final int HOT_KEYS = 8;
    private static final int HOT_WORKERS = 3;
    /**
     * Long enough that a stall of this loaded machine does not expire a session (a node that
     * expires is repaired around, and moving it back costs moves the plan did not preview).
     */
    private static final Duration SESSION = Duration.ofSeconds(10);
    /** More moves at once than the default 2, so that each plan takes seconds, not a minute. */
    private static final int MAX_MOVES_PER_NODE = 6;
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration PLAN_BOUND = Duration.ofSeconds(150);
    private static final Duration EVENT_BOUND = Duration.ofSeconds(60);
    /** A throttled move should copy for about this long, so that a fault can hit it mid-copy. */
    private static final Duration SLOW_MOVE = Duration.ofSeconds(6);
    private static final long SEED = Long.getLong("rebalance.seed", 20_261_206L);

    @TempDir
    Path dir;

    /** One phase of the run, for the summary. */
    private record Phase(String name, long millis, String detail) {
    }

    private final List<Phase> phases = new ArrayList<>();

    @Test
    void addDecommissionKillTargetAndFailOverTheControllerMidMigrationLoseNothing() throws Exception {
        long testStart = System.nanoTime();
        clearLogs();
        try (ProcessCluster cluster = ProcessCluster.start(
                new ProcessCluster.Settings(2, 3, PARTITIONS, REPLICATION, SESSION,
                        List.of("--max-moves-per-node", String.valueOf(MAX_MOVES_PER_NODE))), dir, LOGS)) {
            phase("cluster start", testStart, cluster.describe());
            AdminClient admin = cluster.admin();
            String token = cluster.adminToken();
            HistoryRecorder recorder = new HistoryRecorder(4_000_000);
            Workload.Settings ws = new Workload.Settings(cluster.seeds(), ReadLevel.LINEARIZABLE, WriteAck.ALL, "hot-",
                    HOT_KEYS, HOT_WORKERS, CALL_TIMEOUT, SEED);
            try (BulkData bulk = new BulkData(cluster.seeds(), KEYS, CALL_TIMEOUT)) {
                long t = System.nanoTime();
                Duration loaded = bulk.load(Duration.ofSeconds(120));
                phase("load", t, KEYS + " keys by multiPut in " + loaded.toMillis() + " ms");

                try (Workload workload = new Workload(ws, recorder).start()) {
                    bulk.startTraffic(SEED);
                    Supplier<String> traffic = () -> workload.failure().map(Throwable::toString)
                            .or(() -> bulk.failure().map(Throwable::toString)).orElse("");

                    // 1. a 4th node joins
                    t = System.nanoTime();
                    ProcessCluster.Datanode n4 = cluster.addDatanode();
                    awaitNode(admin, n4.id(), s -> s.live() && s.state().equals("NEW"), "registered as NEW");
                    PlanPreview add4 = preview(admin, PlanAction.ADD, n4.id());
                    runPlan(admin, token, add4, traffic);
                    assertPlanDone(admin, cluster, add4, "add " + n4.id());
                    phase("add " + n4.id(), t, add4.moves().size() + " moves");

                    // 2. n1 leaves
                    t = System.nanoTime();
                    PlanPreview leave1 = preview(admin, PlanAction.DECOMMISSION, "n1");
                    assertThat(leave1.moves()).allMatch(m -> m.from().equals(Optional.of("n1")));
                    runPlan(admin, token, leave1, traffic);
                    assertPlanDone(admin, cluster, leave1, "decommission n1");
                    awaitNode(admin, "n1", s -> s.state().equals("REMOVED"), "REMOVED after its decommission");
                    cluster.retire(cluster.datanode("n1"));
                    phase("decommission n1", t, leave1.moves().size() + " moves");

                    // 3. a 5th node joins under a low throttle; the target of a running move dies and returns
                    t = System.nanoTime();
                    ProcessCluster.Datanode n5 = cluster.addDatanode();
                    awaitNode(admin, n5.id(), s -> s.live() && s.state().equals("NEW"), "registered as NEW");
                    PlanPreview add5 = preview(admin, PlanAction.ADD, n5.id());
                    long slow = slowThrottle(add5, admin.migrations().maxMovesPerNode());
                    admin.setThrottle(token, slow);
                    runPlan(admin, token, add5, traffic);
                    Migration victim = await(() -> running(admin).stream()
                            .filter(m -> m.to().equals(Optional.of(n5.id())) && m.step().equals("join")).findFirst(),
                            EVENT_BOUND, "a move to " + n5.id() + " copying", cluster);
                    long doneAtKill = doneMoves(admin, add5.planId());
                    n5.process().kill();
                    // a replica a dead node already holds in a chain is re-replicated by repair and then
                    // moved back: moves the preview did not count. The kill must hit a copy, not that.
                    assertThat(doneAtKill).as("moves of %s done when it was killed (the throttle %d B/s should keep "
                            + "the first copies running)", n5.id(), slow).isZero();
                    log.info("killed {} (kill -9) while move {} copied ({} of {} bytes; {} moves of the plan done)", n5.id(),
                            victim.id(), victim.bytesCopied(), victim.bytesTotal(), doneAtKill);
                    awaitNode(admin, n5.id(), s -> !s.live(), "seen dead");
                    Migration waiting = await(() -> move(admin, victim.id()).filter(m -> m.step().equals("pending")),
                            EVENT_BOUND, "move " + victim.id() + " pending while " + n5.id() + " is down", cluster);
                    log.info("move {} while {} is down: {} ({})", victim.id(), n5.id(), waiting.step(), waiting.note().orElse(""));
                    cluster.restart(n5.process());
                    awaitNode(admin, n5.id(), NodeStatus::live, "live again after its restart");
                    Migration resumed = await(() -> move(admin, victim.id()).filter(m -> m.step().equals("done")),
                            PLAN_BOUND, "move " + victim.id() + " resumed and done after " + n5.id() + " returned", cluster);
                    log.info("move {} resumed after {} returned and finished: {} keys, {} bytes", resumed.id(), n5.id(),
                            resumed.keysCopied(), resumed.bytesCopied());
                    admin.setThrottle(token, 0);
                    assertPlanDone(admin, cluster, add5, "add " + n5.id() + " with its target killed");
                    phase("add " + n5.id() + " + kill -9 target", t, add5.moves().size() + " moves, throttle " + slow
                            + " B/s until the killed move finished");

                    // 4. a 6th node joins under a low throttle; the controller leader dies mid-migration
                    t = System.nanoTime();
                    ProcessCluster.Datanode n6 = cluster.addDatanode();
                    awaitNode(admin, n6.id(), s -> s.live() && s.state().equals("NEW"), "registered as NEW");
                    PlanPreview add6 = preview(admin, PlanAction.ADD, n6.id());
                    admin.setThrottle(token, slow);
                    runPlan(admin, token, add6, traffic);
                    await(() -> running(admin).stream()
                            .filter(m -> m.to().equals(Optional.of(n6.id())) && m.step().equals("join")).findFirst(),
                            EVENT_BOUND, "a move to " + n6.id() + " copying", cluster);
                    ProcessCluster.Controller old = await(cluster::leader, EVENT_BOUND, "a controller leader", cluster);
                    long doneAtFailover = doneMoves(admin, add6.planId());
                    old.process().kill();
                    long killedAt = System.nanoTime();
                    log.info("killed controller leader {} (kill -9) with {} of {} moves done", old.name(), doneAtFailover,
                            add6.moves().size());
                    ProcessCluster.Controller next = await(() -> cluster.leader().filter(c -> !c.equals(old)),
                            EVENT_BOUND, "another controller leading", cluster);
                    long tookOver = System.nanoTime();
                    await(() -> Optional.of(doneMoves(admin, add6.planId())).filter(d -> d > doneAtFailover),
                            PLAN_BOUND, "a move finishing under the new leader " + next.name(), cluster);
                    log.info("{} took over {} ms after the kill; moves finish under it", next.name(),
                            (tookOver - killedAt) / 1_000_000);
                    cluster.restart(old.process());
                    admin.setThrottle(token, 0);
                    assertPlanDone(admin, cluster, add6, "add " + n6.id() + " across a controller failover");
                    phase("add " + n6.id() + " + controller failover", t, add6.moves().size() + " moves, "
                            + next.name() + " took over after " + (tookOver - killedAt) / 1_000_000 + " ms");

                    // the end state: whole, balanced as the last preview said, no learner
                    RingSnapshot ring = cluster.awaitWhole(EVENT_BOUND);
                    assertThat(assertBalanced(ring, add6).keySet()).as("nodes holding replicas at the end")
                            .containsExactly("n2", "n3", "n4", "n5", "n6");
                    TRing raw = rawRing(cluster);
                    assertThat(raw.getPartitions()).as("learners left in the ring").allSatisfy(p ->
                            assertThat(p.isSetLearners() ? p.getLearners() : List.of()).as("p" + p.getId()).isEmpty());
                    assertThat(raw.getPartitions()).allSatisfy(p -> assertThat(p.getChain()).hasSize(REPLICATION));
                    assertThat(running(admin)).as("moves still running").isEmpty();

                    t = System.nanoTime();
                    workload.stop();
                    bulk.stop();
                    assertThat(workload.failure()).as("hot workload").isEmpty();
                    assertThat(bulk.failure()).as("bulk traffic").isEmpty();
                    phase("stop traffic", t, workload.operations() + " hot ops; bulk " + bulk.stats());
                }

                // final reads of the hot keys go into the history
                try (ChainringClient lin = ChainringClient.builder().seeds(cluster.seeds()).readLevel(ReadLevel.LINEARIZABLE)
                        .timeout(CALL_TIMEOUT).build()) {
                    RecordingClient rec = new RecordingClient(lin, recorder);
                    for (int i = 0; i < HOT_KEYS; i++) {
                        rec.get(ws.key(i));
                    }
                }
                long t2 = System.nanoTime();
                History h = recorder.snapshot();
                CheckResult result = new LinearizabilityChecker(Duration.ofSeconds(90),
                        LinearizabilityChecker.DEFAULT_MAX_STEPS).check(h);
                phase("check history", t2, h.operations().size() + " ops " + h.outcomeCounts() + ": " + result.verdict()
                        + " in " + result.elapsed().toMillis() + " ms");
                if (!result.isLinearizable()) {
                    writeHistory(h, result);
                }

                t2 = System.nanoTime();
                List<String> wrong = bulk.verify(Duration.ofSeconds(120));
                phase("read back", t2, KEYS + " keys, " + wrong.size() + " wrong");

                assertThat(result.verdict()).as("hot keys: %s", result.explanation()).isEqualTo(Verdict.LINEARIZABLE);
                assertThat(h.operations().size()).as("hot operations recorded").isGreaterThan(200);
                assertThat(bulk.wrongReads()).as("frozen keys read during the migrations").isEmpty();
                assertThat(wrong).as("keys not holding their last acknowledged value (%d shown)", Math.min(20, wrong.size()))
                        .isEmpty();
            }
        } finally {
            log.info("{}", summary(testStart));
        }
    }

    // ------------------------------------------------------------------ plans

    private static PlanPreview preview(AdminClient admin, PlanAction action, String node) {
        PlanPreview p = admin.previewPlan(action, List.of(node));
        log.info("preview {} {}: plan {}, {} moves (lower bound {}), ~{} keys, ~{} bytes", action, node, p.planId(),
                p.moves().size(), p.lowerBound(), p.estimatedKeys(), p.estimatedBytes());
        assertThat(p.moves()).as("moves of %s %s", action, node).isNotEmpty().hasSize(p.lowerBound());
        return p;
    }

    private static void runPlan(AdminClient admin, String token, PlanPreview p, Supplier<String> traffic) {
        assertThat(traffic.get()).as("traffic failed").isEmpty();
        PlanInfo started = admin.executePlan(token, p);
        assertThat(started.id()).isEqualTo(p.planId());
        assertThat(started.state()).isEqualTo("RUNNING");
        assertThat(started.movesPlanned()).isEqualTo(p.moves().size());
    }

    /**
     * Waits for the plan to end DONE, then checks it: exactly the previewed number of moves done
     * (none cancelled), the cluster whole and balanced as previewed.
     */
    private void assertPlanDone(AdminClient admin, ProcessCluster cluster, PlanPreview p, String what) throws Exception {
        Migrations m = await(() -> migrations(admin).filter(v -> v.plan().map(PlanInfo::finished).orElse(false)
                && v.plan().get().id().equals(p.planId())), PLAN_BOUND, "plan " + p.planId() + " (" + what + ") ended", cluster);
        PlanInfo plan = m.plan().orElseThrow();
        List<Migration> mine = m.recent().stream().filter(x -> x.planId().equals(p.planId())).toList();
        Map<String, Long> steps = mine.stream().collect(Collectors.groupingBy(Migration::step, TreeMap::new, Collectors.counting()));
        String detail = what + ": plan " + plan.state() + " " + plan.note().orElse("") + ", moves by step " + steps
                + ", previewed " + p.moves().size() + "; nodes the controllers saw down (repair re-replicates their "
                + "replicas, which costs moves the plan did not preview): " + downEvents();
        log.info("{}", detail);
        assertThat(plan.state()).as(detail).isEqualTo("DONE");
        assertThat(steps.getOrDefault("done", 0L)).as("moves done: %s", detail).isEqualTo(p.moves().size());
        assertThat(m.running()).as("running after %s", what).isEmpty();
        assertBalanced(cluster.awaitWhole(EVENT_BOUND), p);
    }

    /** Logs of an earlier run would mix with this one's (processes append). */
    private static void clearLogs() throws java.io.IOException {
        if (Files.isDirectory(LOGS)) {
            try (java.util.stream.Stream<Path> files = Files.list(LOGS)) {
                for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".log")).toList()) {
                    Files.delete(f);
                }
            }
        }
    }

    /** The controllers' log lines about nodes found down (a kill, or a session lost in a stall). */
    private static List<String> downEvents() throws java.io.IOException {
        List<String> out = new ArrayList<>();
        try (java.util.stream.Stream<Path> files = Files.list(LOGS)) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("controller-")).sorted().toList()) {
                try (java.util.stream.Stream<String> lines = Files.lines(f)) {
                    lines.filter(l -> l.contains(" is down")).map(l -> l.length() > 200 ? l.substring(0, 200) + "..." : l)
                            .forEach(out::add);
                }
            }
        }
        return out;
    }

    /** Every node holds the replicas the preview promised, and the active nodes' shares differ by at most 1. */
    private static Map<String, Integer> assertBalanced(RingSnapshot ring, PlanPreview p) {
        Map<String, Integer> replicas = new TreeMap<>();
        for (RingSnapshot.PartitionChain c : ring.partitions()) {
            assertThat(c.chain()).as("p%d", c.id()).hasSize(REPLICATION);
            c.chain().forEach(n -> replicas.merge(n, 1, Integer::sum));
        }
        Map<String, Integer> promised = new TreeMap<>();
        p.balance().stream().filter(b -> b.replicasAfter() > 0).forEach(b -> promised.put(b.node(), b.replicasAfter()));
        assertThat(replicas).as("replicas per node after plan %s (epoch %d)", p.planId(), ring.epoch()).isEqualTo(promised);
        int min = replicas.values().stream().mapToInt(Integer::intValue).min().orElse(0);
        int max = replicas.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        assertThat(max - min).as("balance %s", replicas).isLessThanOrEqualTo(1);
        return replicas;
    }

    /** A throttle under which one move copies for about {@link #SLOW_MOVE} (moves of a node share it). */
    private static long slowThrottle(PlanPreview p, int maxMovesPerNode) {
        long perMove = p.estimatedBytes() / Math.max(1, p.moves().size());
        return Math.max(8_000, perMove * maxMovesPerNode / SLOW_MOVE.toSeconds());
    }

    // ------------------------------------------------------------------ reads that survive a failover

    private static Optional<Migrations> migrations(AdminClient admin) {
        try {
            return Optional.of(admin.migrations());
        } catch (ChainringException e) {
            log.debug("migrations unavailable: {}", e.toString());
            return Optional.empty();
        }
    }

    private static List<Migration> running(AdminClient admin) {
        return migrations(admin).map(Migrations::running).orElse(List.of());
    }

    private static Optional<Migration> move(AdminClient admin, String id) {
        return migrations(admin).flatMap(m -> java.util.stream.Stream.concat(m.running().stream(), m.recent().stream())
                .filter(x -> x.id().equals(id)).findFirst());
    }

    /** Moves of the plan done so far, or -1 when the controllers cannot tell now. */
    private static long doneMoves(AdminClient admin, String planId) {
        return migrations(admin).map(m -> m.recent().stream()
                .filter(x -> x.planId().equals(planId) && x.step().equals("done")).count()).orElse(-1L);
    }

    private static void awaitNode(AdminClient admin, String id, Predicate<NodeStatus> condition, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + EVENT_BOUND.toNanos();
        String last = "no status";
        while (true) {
            try {
                Optional<NodeStatus> s = admin.status().nodes().stream().filter(n -> n.id().equals(id)).findFirst();
                if (s.isPresent() && condition.test(s.get())) {
                    return;
                }
                last = s.map(NodeStatus::toString).orElse(id + " not registered");
            } catch (ChainringException e) {
                last = e.toString();
            }
            assertThat(System.nanoTime()).as("%s %s within %d s; last: %s", id, what, EVENT_BOUND.toSeconds(), last)
                    .isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    /** Polls until the supplier answers (bounded); the failure message describes the cluster. */
    private static <T> T await(Supplier<Optional<T>> what, Duration bound, String description, ProcessCluster cluster)
            throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (true) {
            Optional<T> v = what.get();
            if (v.isPresent()) {
                return v.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + bound.toSeconds() + " s: " + description + "; cluster: "
                        + cluster.describe() + "; migrations: " + migrations(cluster.admin()).map(RebalanceProcessIT::describe)
                        .orElse("unavailable"));
            }
            Thread.sleep(100);
        }
    }

    private static String describe(Migrations m) {
        return "plan " + m.plan().map(p -> p.id() + " " + p.state() + " " + p.note().orElse("")).orElse("none")
                + ", throttle " + m.throttleBytesPerSecond() + ", running " + m.running().stream()
                .map(x -> x.id() + ":" + x.step() + "(" + x.bytesCopied() + "/" + x.bytesTotal() + " " + x.note().orElse("") + ")")
                .toList();
    }

    /** The ring with its learners, from the leader's controller-admin service (the smart client's view has none). */
    private static TRing rawRing(ProcessCluster cluster) throws Exception {
        ProcessCluster.Controller leader = await(cluster::leader, EVENT_BOUND, "a controller leader", cluster);
        TFramedTransport transport = new TFramedTransport(new TSocket("127.0.0.1", leader.port(), 10_000));
        try {
            transport.open();
            return new ControllerAdminService.Client(new TMultiplexedProtocol(new TBinaryProtocol(transport),
                    "controller-admin")).ring();
        } catch (TException e) {
            throw new AssertionError("ring from " + leader.name() + ": " + e, e);
        } finally {
            transport.close();
        }
    }

    // ------------------------------------------------------------------ report

    private void phase(String name, long startedNanos, String detail) {
        Phase p = new Phase(name, (System.nanoTime() - startedNanos) / 1_000_000, detail);
        phases.add(p);
        log.info("phase '{}' took {} ms: {}", p.name(), p.millis(), p.detail());
    }

    private String summary(long testStart) {
        StringBuilder b = new StringBuilder("rebalance run: ").append((System.nanoTime() - testStart) / 1_000_000)
                .append(" ms in all\n");
        for (Phase p : phases) {
            b.append(String.format("  %-36s %7d ms  %s%n", p.name(), p.millis(), p.detail()));
        }
        return b.toString();
    }

    private static void writeHistory(History h, CheckResult result) throws java.io.IOException {
        Files.createDirectories(LOGS);
        Path file = LOGS.resolve("rebalance-history.txt");
        String ops = h.operations().stream().map(op -> op.describe(h.startNanos())).collect(Collectors.joining("\n"));
        Files.writeString(file, result.explanation() + "\nFull history:\n" + ops + "\n");
        log.info("history written to {}", file.toAbsolutePath());
    }
}
