package io.chainring.cli.bench;

import io.chainring.client.AdminClient;
import io.chainring.client.ConflictException;
import io.chainring.client.Migrations;
import io.chainring.client.NotFoundException;
import io.chainring.client.PlanAction;
import io.chainring.client.PlanInfo;
import io.chainring.client.PlanPreview;
import io.chainring.client.ReadLevel;
import io.chainring.client.RingSnapshot;
import io.chainring.client.WriteAck;
import io.chainring.embedded.EmbeddedCluster;
import io.chainring.ring.NodeId;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * {@code chainring bench rebalance} and {@code chainring bench repair}: in this JVM, an embedded
 * cluster (R = 3) is loaded with records; a closed-loop load runs through three phases — steady
 * (before), while the scenario's change runs (during), and steady again (after) — and the report
 * says what moved and what the load saw in each phase. Scenarios: <b>add</b> (3 nodes; a fourth
 * is started and its ADD plan carried out), <b>decommission</b> (4 nodes; n1 is drained by a
 * DECOMMISSION plan) and <b>repair</b> (4 nodes; n4 is killed, and the phase lasts until every
 * chain is back at R without it).
 */
public final class RebalanceBench {
    /** The most datanodes any scenario runs (ports are planned for this many). */
    public static final int MAX_NODES = 4;
    /** What the during phase does. */
    public enum Scenario {
        ADD(3), DECOMMISSION(4), REPAIR(4);

        private final int nodesBefore;

        Scenario(int nodesBefore) {
            this.nodesBefore = nodesBefore;
        }

        public int nodesBefore() {
            return nodesBefore;
        }

        /** "3 -> 4 datanodes" and the like. */
        public String describe() {
            return switch (this) {
                case ADD -> "3 -> 4 datanodes";
                case DECOMMISSION -> "4 -> 3 datanodes (decommission n1)";
                case REPAIR -> "4 datanodes, n4 killed: repair to R";
            };
        }
    }

    static final String REPAIRED_NODE = "n4";
    static final String DECOMMISSIONED_NODE = "n1";
    private static final Duration SAMPLE_EVERY = Duration.ofSeconds(1);
    private static final Duration REGISTER_BOUND = Duration.ofSeconds(60);

    /**
     * What to run.
     *
     * @param records         records to load
     * @param valueSize       bytes per value
     * @param threads         foreground worker threads (and loader threads)
     * @param partitions      partitions of the ring
     * @param throttle        bytes/s per node to set before the plan (0 = unlimited); null keeps the default
     * @param warmup          unmeasured load before the steady phase
     * @param steady          the phase before the plan
     * @param after           the phase after it
     * @param maxPlan         give up waiting for the plan after this long
     * @param readRatio       share of reads, 0..1
     * @param distribution    how operations pick records
     * @param readLevel       reads' level
     * @param writeAck        writes' acknowledgement
     * @param timeout         deadline of each client call
     * @param dataDir         where the cluster keeps its data (kept); null for a temporary dir (deleted)
     * @param seed            seeds values and the load's random sources
     * @param progressEvery   how often to print a progress line
     * @param terminal        whether progress goes to a terminal (a redrawn loading bar)
     * @param ports           sets the cluster's ports (ZooKeeper, controller, datanodes, metrics) on its builder
     * @param scenario        what the during phase does
     */
    public record Settings(long records, int valueSize, int threads, int partitions, Long throttle, Duration warmup,
                           Duration steady, Duration after, Duration maxPlan, double readRatio, Distribution distribution,
                           ReadLevel readLevel, WriteAck writeAck, Duration timeout, Path dataDir, long seed,
                           Duration progressEvery, boolean terminal, Consumer<EmbeddedCluster.Builder> ports,
                           Scenario scenario) {
    }

    /** The report and the time series behind the chart. */
    public record Result(RebalanceReport report, List<RebalanceSample> samples, double windowStart, double windowEnd) {
    }

    private final Settings settings;
    private final PrintWriter log;
    private final List<RebalanceSample> samples = new ArrayList<>();
    private PhaseBook book;
    private PhasedLoad load;
    private long lastSample;
    private long lastProgress;
    private long lastErrors;
    private MoveTally tally;
    private int movesTotal;
    private long epochBefore;
    private AdminClient epochs;
    private int repairedSoFar;

    private RebalanceBench(Settings settings, PrintWriter log) {
        this.settings = settings;
        this.log = log;
    }

    /** Runs the whole benchmark; everything it started is stopped when it returns. */
    public static Result run(Settings settings, PrintWriter log) throws Exception {
        return new RebalanceBench(settings, log).run();
    }

    private Result run() throws Exception {
        int nodesBefore = settings.scenario().nodesBefore();
        EmbeddedCluster.Builder builder = EmbeddedCluster.builder().nodes(nodesBefore).partitions(settings.partitions());
        if (settings.dataDir() != null) {
            builder.dataDir(settings.dataDir());
        }
        settings.ports().accept(builder);
        say("starting an embedded cluster: %d datanodes, %d partitions, R=%d%s", nodesBefore, settings.partitions(),
                EmbeddedCluster.Builder.DEFAULT_REPLICATION,
                settings.dataDir() != null ? ", data in " + settings.dataDir() : " (temporary data dir)");
        try (EmbeddedCluster cluster = builder.build().start()) {
            cluster.awaitFullChains(Duration.ofSeconds(60));
            say("cluster serving: zookeeper %s, controller %s, datanodes %s", cluster.zkConnect(), cluster.controllerAddress(),
                    cluster.seeds());
            try (AdminClient admin = AdminClient.builder().seeds(cluster.seeds()).timeout(settings.timeout()).build();
                 ChainringTarget target = new ChainringTarget(cluster.seeds(), settings.timeout(), settings.readLevel(),
                         settings.writeAck(), settings.threads())) {
                if (settings.throttle() != null) {
                    long inForce = admin.setThrottle(cluster.adminToken(), settings.throttle());
                    say("throttle set to %d bytes/s per node", inForce);
                }
                byte[] value = new byte[settings.valueSize()];
                new SplittableRandom(settings.seed()).nextBytes(value);
                long loadStart = System.nanoTime();
                Loader.load(target, settings.records(), settings.threads(), value,
                        new ProgressBar(log, settings.terminal(), settings.records(), "records"));
                say("loaded %,d records in %.1f s", settings.records(), (System.nanoTime() - loadStart) / 1e9);
                return measure(cluster, admin, target);
            }
        }
    }

    private Result measure(EmbeddedCluster cluster, AdminClient admin, ChainringTarget target) throws Exception {
        epochs = admin;
        Started started;
        long throttle;
        PlanInfo finalPlan;
        try (PhasedLoad phased = new PhasedLoad(target, settings.threads(), settings.distribution().chooser(settings.records()),
                settings.readRatio(), settings.valueSize(), settings.seed() + 1)) {
            load = phased;
            if (!settings.warmup().isZero()) {
                say("warming up for %.1f s (not measured)", settings.warmup().toMillis() / 1000.0);
                Thread.sleep(settings.warmup().toMillis());
            }
            long origin = System.nanoTime();
            book = new PhaseBook(origin);
            load.drainInterval(); // the warm-up's operations stay out of the samples
            lastSample = origin;
            lastProgress = origin;
            lastErrors = load.errors();
            enter(RebalancePhase.BEFORE);
            tickUntil(origin + settings.steady().toNanos());

            epochBefore = admin.ring().epoch();
            enter(RebalancePhase.DURING);
            if (settings.scenario() == Scenario.REPAIR) {
                return repair(cluster, admin);
            }
            CompletableFuture<Started> adding = CompletableFuture.supplyAsync(() -> startPlan(cluster, admin));
            while (!adding.isDone()) {
                tick();
            }
            started = join(adding);
            tally = new MoveTally(started.preview().planId());
            movesTotal = started.preview().moves().size();
            say("plan %s running: %d moves (lower bound %d), ~%,d keys, ~%,d bytes", started.preview().planId(), movesTotal,
                    started.preview().lowerBound(), started.preview().estimatedKeys(), started.preview().estimatedBytes());
            long deadline = System.nanoTime() + settings.maxPlan().toNanos();
            Migrations m = admin.migrations();
            throttle = m.throttleBytesPerSecond();
            finalPlan = started.plan();
            while (true) {
                tally.observe(m.running(), m.recent());
                Optional<PlanInfo> plan = m.plan().filter(p -> p.id().equals(started.preview().planId()));
                if (plan.isPresent()) {
                    finalPlan = plan.get();
                    if (finalPlan.finished()) {
                        break;
                    }
                }
                if (System.nanoTime() > deadline) {
                    say("the plan did not finish within %d s; stopping (state %s)", settings.maxPlan().toSeconds(), finalPlan.state());
                    break;
                }
                tick();
                m = admin.migrations();
            }
            afterPhase();
        }
        long end = System.nanoTime();
        double timeToBalance = finalPlan.finishedAt()
                .map(f -> Duration.between(started.plan().createdAt(), f).toMillis() / 1000.0)
                .orElse((end - started.executedNanos()) / 1e9);
        RebalanceReport report = new RebalanceReport(setup(cluster), throttle, settings.throttle() == null, finalPlan.id(),
                finalPlan.state(), started.addSeconds(), timeToBalance, tally.bytesCopied(), tally.keysCopied(), tally.done(),
                movesTotal, started.preview().lowerBound(), replicasPerNode(admin.ring()), phases(end));
        return result(report);
    }

    private RebalanceReport.Setup setup(EmbeddedCluster cluster) {
        return new RebalanceReport.Setup(settings.records(), settings.valueSize(), settings.threads(), settings.partitions(),
                cluster.replication(), settings.scenario().nodesBefore(), settings.readRatio(), settings.distribution());
    }

    private Map<RebalancePhase, RebalanceReport.PhaseStats> phases(long end) {
        book.end(end);
        if (load.firstError() != null) {
            say("%,d operation(s) failed; the first: %s", load.errors(), load.firstError());
        }
        Map<RebalancePhase, RebalanceReport.PhaseStats> phases = new EnumMap<>(RebalancePhase.class);
        for (RebalancePhase p : RebalancePhase.values()) {
            phases.put(p, RebalanceReport.PhaseStats.of(load.recorder(p), book.durationSeconds(p, end), settings.threads()));
        }
        return phases;
    }

    private Result result(RebalanceReport report) {
        double windowStart = book.startSeconds(RebalancePhase.DURING).orElse(0.0);
        double windowEnd = book.endSeconds(RebalancePhase.DURING).orElse(windowStart);
        return new Result(report, List.copyOf(samples), windowStart, windowEnd);
    }

    private void afterPhase() throws InterruptedException {
        long epochs = ringEpochNow() - epochBefore;
        say("ring epochs written during the change: %d", epochs);
        enter(RebalancePhase.AFTER);
        tickUntil(System.nanoTime() + settings.after().toNanos());
    }

    /**
     * The repair scenario's during phase: n4 is stopped at once (in this JVM its ZooKeeper session
     * ends with it, so the controller sees it gone at once; a real kill -9 adds the session timeout)
     * and the phase lasts until every chain has R members, none of them n4, and no learner.
     */
    private Result repair(EmbeddedCluster cluster, AdminClient admin) throws Exception {
        NodeId dead = NodeId.of(REPAIRED_NODE);
        int lost = (int) admin.ring().partitions().stream().filter(p -> p.chain().contains(REPAIRED_NODE)).count();
        long copiedBefore = catchUpBytes(cluster);
        long killedAt = System.nanoTime();
        cluster.killDatanode(dead.value());
        say("datanode %s killed: %d replicas to re-create", dead.value(), lost);
        long deadline = killedAt + settings.maxPlan().toNanos();
        boolean restored = false;
        movesTotal = lost;
        while (System.nanoTime() < deadline) {
            RingSnapshot ring = admin.ring();
            int whole = 0;
            for (RingSnapshot.PartitionChain p : ring.partitions()) {
                if (p.chain().size() >= cluster.replication() && !p.chain().contains(REPAIRED_NODE)) {
                    whole++;
                }
            }
            repairedSoFar = lost - (ring.partitions().size() - whole);
            if (whole == ring.partitions().size()) {
                restored = true;
                break;
            }
            tick();
        }
        double seconds = (System.nanoTime() - killedAt) / 1e9;
        long copied = catchUpBytes(cluster) - copiedBefore;
        say(restored ? "every chain back at R=%d after %.1f s (%,d bytes copied)" : "chains not back at R=%d after %.1f s",
                cluster.replication(), seconds, copied);
        long throttle = admin.migrations().throttleBytesPerSecond();
        afterPhase();
        long end = System.nanoTime();
        RebalanceReport report = new RebalanceReport(setup(cluster), throttle, settings.throttle() == null, "repair",
                restored ? "DONE" : "TIMED_OUT", 0, seconds, copied, 0, lost, lost, lost, replicasPerNode(admin.ring()), phases(end));
        return result(report);
    }

    private long ringEpochNow() {
        return epochs.ring().epoch();
    }

    private static long catchUpBytes(EmbeddedCluster cluster) {
        return cluster.datanodes().stream().mapToLong(d -> d.catchUpBytesTotal()).sum();
    }

    /** The new node, its previewed plan and the plan as started. */
    private record Started(NodeId node, PlanPreview preview, PlanInfo plan, double addSeconds, long executedNanos) {
    }

    /**
     * ADD: starts the 4th datanode, waits until it is registered, previews its ADD plan and
     * executes exactly that. DECOMMISSION: previews and executes n1's.
     */
    private Started startPlan(EmbeddedCluster cluster, AdminClient admin) {
        long t0 = System.nanoTime();
        try {
            boolean add = settings.scenario() == Scenario.ADD;
            NodeId id = add ? cluster.addDatanode() : NodeId.of(DECOMMISSIONED_NODE);
            if (add) {
                say("datanode %s started (NEW) on port %d; previewing its ADD plan", id.value(), cluster.datanode(id.value()).port());
            } else {
                say("previewing the DECOMMISSION plan of %s", id.value());
            }
            long deadline = t0 + REGISTER_BOUND.toNanos();
            while (true) {
                try {
                    PlanPreview preview = admin.previewPlan(add ? PlanAction.ADD : PlanAction.DECOMMISSION, List.of(id.value()));
                    PlanInfo plan = admin.executePlan(cluster.adminToken(), preview);
                    long now = System.nanoTime();
                    return new Started(id, preview, plan, (now - t0) / 1e9, now);
                } catch (NotFoundException | ConflictException e) {
                    // not registered yet, or the ring moved between preview and execute: preview again
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("could not start the ADD plan of " + id.value() + " within "
                                + REGISTER_BOUND.toSeconds() + " s: " + e.getMessage(), e);
                    }
                    Thread.sleep(100);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while adding a datanode", e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("adding a datanode failed: " + e.getMessage(), e);
        }
    }

    private static <T> T join(CompletableFuture<T> f) throws Exception {
        try {
            return f.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    static Map<String, Integer> replicasPerNode(RingSnapshot ring) {
        Map<String, Integer> counts = new TreeMap<>();
        for (RingSnapshot.PartitionChain p : ring.partitions()) {
            p.chain().forEach(n -> counts.merge(n, 1, Integer::sum));
        }
        return counts;
    }

    private void enter(RebalancePhase phase) {
        long now = System.nanoTime();
        load.enter(phase);
        book.enter(phase, now);
        say("phase %s at %.1f s", phase.label(), book.seconds(now));
    }

    private void tickUntil(long endNanos) throws InterruptedException {
        while (System.nanoTime() < endNanos) {
            tick(endNanos);
        }
    }

    private void tick() throws InterruptedException {
        tick(Long.MAX_VALUE);
    }

    /** Waits for the next sample (or {@code endNanos}), takes it, and prints a progress line when one is due. */
    private void tick(long endNanos) throws InterruptedException {
        long next = Math.min(lastSample + SAMPLE_EVERY.toNanos(), endNanos);
        long wait = next - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        long now = System.nanoTime();
        Histogram interval = load.drainInterval();
        long errors = load.errors();
        double secs = Math.max(1e-9, (now - lastSample) / 1e9);
        RebalancePhase phase = book.current().orElse(RebalancePhase.AFTER);
        RebalanceSample s = new RebalanceSample(book.seconds(now), phase, interval.getTotalCount() / secs,
                interval.getTotalCount() > 0 ? interval.getValueAtPercentile(99) / 1000.0 : 0, errors - lastErrors,
                tally != null ? tally.done() : repairedSoFar, movesTotal, tally != null ? tally.bytesCopied() : 0);
        samples.add(s);
        lastSample = now;
        lastErrors = errors;
        if (now - lastProgress >= settings.progressEvery().toNanos()) {
            lastProgress = now;
            log.println(progressLine(samples.subList(Math.max(0, samples.size() - progressWindow()), samples.size())));
            log.flush();
        }
    }

    private int progressWindow() {
        return (int) Math.max(1, settings.progressEvery().toMillis() / SAMPLE_EVERY.toMillis());
    }

    /** One progress line over the last samples: phase, ops/s, worst p99 of a second, moves and bytes. */
    static String progressLine(List<RebalanceSample> recent) {
        RebalanceSample last = recent.get(recent.size() - 1);
        double ops = recent.stream().mapToDouble(RebalanceSample::opsPerSec).average().orElse(0);
        double p99 = recent.stream().mapToDouble(RebalanceSample::p99Micros).max().orElse(0);
        long errors = recent.stream().mapToLong(RebalanceSample::errors).sum();
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "rebalance: %6.1f s  %-6s  %,7.0f ops/s  p99 %,8.0f us",
                last.seconds(), last.phase().label(), ops, p99));
        if (last.movesTotal() > 0) {
            b.append(String.format(Locale.ROOT, "  moves %d/%d  copied %.1f MB", last.movesDone(), last.movesTotal(),
                    last.bytesCopied() / 1e6));
        }
        return b.append(String.format(Locale.ROOT, "  errors %,d", errors)).toString();
    }

    private void say(String format, Object... args) {
        synchronized (log) {
            log.println("rebalance: " + String.format(Locale.ROOT, format, args));
            log.flush();
        }
    }
}
