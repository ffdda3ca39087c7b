package io.chainring.cli.evaluate;

import io.chainring.cli.evaluate.history.CheckResult;
import io.chainring.cli.evaluate.history.History;
import io.chainring.cli.evaluate.history.LinearizabilityChecker;
import io.chainring.cli.netfault.LinkFault;
import io.chainring.cli.netfault.NetworkFaults;
import io.chainring.client.ChainringClient;
import io.chainring.client.ChainringException;
import io.chainring.client.RingSnapshot;
import io.chainring.client.Versioned;
import io.chainring.ring.KeyHasher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the consistency matrix on a cluster of its own: for each condition, every setting at once
 * (one workload group per setting, on keys of its own that all live on the partitions of one
 * chain, the "hot chain", so head, middle and tail are the same nodes for every key), then heals,
 * waits for the cluster to be whole, reads the final state and analyses each setting's history.
 */
public final class Evaluation {
    private static final Logger log = LoggerFactory.getLogger(Evaluation.class);
    private static final Duration WHOLE = Duration.ofSeconds(120);
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(2);

    /**
     * @param settings       the settings (columns)
     * @param conditions     the conditions (rows)
     * @param runLength      how long each condition's workload runs
     * @param writers        writer threads per setting
     * @param readers        reader threads per setting
     * @param keys           keys per setting (zipfian)
     * @param partitions     the cluster's partition count
     * @param sessionTimeout ZooKeeper session timeout of the processes (how soon a cut-off node is dropped)
     * @param checkTimeout   time budget of the linearizability check of one history
     * @param basePort       first of the ~40 ports the cluster uses; 0 = free ports
     * @param workDir        data and logs of the processes
     * @param seed           seed of the workload's choices
     */
    public record Options(List<Setting> settings, List<Condition> conditions, Duration runLength, int writers, int readers,
                          int keys, int partitions, Duration sessionTimeout, Duration checkTimeout, int basePort,
                          Path workDir, long seed) {
        public Options {
            settings = List.copyOf(settings);
            conditions = List.copyOf(conditions);
            Objects.requireNonNull(runLength, "runLength");
            Objects.requireNonNull(workDir, "workDir");
            if (settings.isEmpty() || conditions.isEmpty()) {
                throw new IllegalArgumentException("need at least one setting and one condition");
            }
            if (writers < 1 || readers < 1 || keys < 1) {
                throw new IllegalArgumentException("writers, readers and keys must be positive");
            }
        }
    }

    private final Options options;
    private final Consumer<String> progress;

    public Evaluation(Options options, Consumer<String> progress) {
        this.options = options;
        this.progress = progress;
    }

    /** Runs the whole matrix; results in condition-major order. */
    public List<CellResult> run() throws IOException, InterruptedException {
        EvalCluster.requireLoopbackAliases();
        List<CellResult> results = new ArrayList<>();
        try (NetworkFaults faults = new NetworkFaults();
             EvalCluster cluster = EvalCluster.start(new EvalCluster.Shape(3, options.partitions(), options.sessionTimeout(),
                     options.basePort()), options.workDir(), faults)) {
            progress.accept("cluster up: ZooKeeper, a controller and 3 datanodes (R=3, " + options.partitions()
                    + " partitions), every link through the fault layer; logs in " + cluster.logs());
            for (int c = 0; c < options.conditions().size(); c++) {
                Condition condition = options.conditions().get(c);
                results.addAll(runCondition(cluster, faults, condition, c));
            }
        }
        return results;
    }

    /** The hot chain: the chain order shared by the most partitions, and those partitions. */
    record HotChain(List<String> chain, Set<Integer> partitions) {
        String head() {
            return chain.get(0);
        }

        String middle() {
            return chain.get(1);
        }

        String tail() {
            return chain.get(chain.size() - 1);
        }
    }

    static HotChain hotChain(RingSnapshot ring) {
        Map<List<String>, Set<Integer>> byChain = ring.partitions().stream().filter(p -> p.chain().size() >= 3)
                .collect(Collectors.groupingBy(RingSnapshot.PartitionChain::chain, LinkedHashMap::new,
                        Collectors.mapping(RingSnapshot.PartitionChain::id, Collectors.toSet())));
        return byChain.entrySet().stream().max(Comparator.comparingInt(e -> e.getValue().size()))
                .map(e -> new HotChain(e.getKey(), e.getValue()))
                .orElseThrow(() -> new IllegalStateException("no chain of 3 replicas in the ring"));
    }

    /** {@code count} keys named after the prefix whose partitions are among {@code partitions}. */
    static List<String> keysOn(Set<Integer> partitions, int partitionCount, String prefix, int count) {
        List<String> keys = new ArrayList<>();
        for (int n = 0; keys.size() < count; n++) {
            String k = prefix + "-" + n;
            if (partitions.contains(KeyHasher.partitionOf(k.getBytes(StandardCharsets.UTF_8), partitionCount))) {
                keys.add(k);
            }
        }
        return keys;
    }

    private List<CellResult> runCondition(EvalCluster cluster, NetworkFaults faults, Condition condition, int index)
            throws InterruptedException {
        RingSnapshot ring = cluster.awaitWhole(WHOLE);
        HotChain hot = hotChain(ring);
        progress.accept(String.format(java.util.Locale.ROOT, "[%d/%d] %s: hot chain %s (%d partitions), %d settings for %d s",
                index + 1, options.conditions().size(), condition.label(), hot.chain(), hot.partitions().size(),
                options.settings().size(), options.runLength().toSeconds()));
        List<Workload.Group> groups = new ArrayList<>();
        try {
            for (int s = 0; s < options.settings().size(); s++) {
                Setting setting = options.settings().get(s);
                List<String> keys = keysOn(hot.partitions(), ring.partitionCount(),
                        "c" + index + "-" + condition.label() + "-" + setting.read().name().charAt(0) + setting.write().name().charAt(0),
                        options.keys());
                groups.add(new Workload.Group(setting, keys, cluster.client(setting.read(), setting.write(), CLIENT_TIMEOUT,
                        options.writers() + options.readers())));
            }
            List<History> histories;
            LagSampler.Peak lag;
            FaultSchedule schedule = new FaultSchedule(cluster, faults, condition, hot, options.runLength());
            try (LagSampler sampler = new LagSampler(cluster.metricsUrls().values())) {
                schedule.start();
                histories = Workload.run(groups, new Workload.Shape(options.writers(), options.readers(), options.runLength()),
                        options.seed() + index);
                lag = sampler.peak();
            } finally {
                schedule.stopAndHeal();
            }
            try {
                cluster.awaitWhole(WHOLE);
            } catch (IllegalStateException e) {
                log.warn("{}: {}; reading the final state anyway", condition.label(), e.getMessage());
            }
            List<CellResult> out = new ArrayList<>();
            double seconds = options.runLength().toMillis() / 1000.0;
            for (int s = 0; s < groups.size(); s++) {
                Workload.Group g = groups.get(s);
                Map<String, Optional<Versioned>> finals = readFinal(cluster, g.keys());
                CheckResult check = new LinearizabilityChecker(options.checkTimeout(), 20_000_000).check(histories.get(s));
                CellResult r = CellAnalysis.analyze(condition, g.setting(), histories.get(s), seconds, finals, lag, check);
                out.add(r);
                if (g.setting().promisesLinearizable() && (r.staleReads() > 0 || r.lostAckedWrites() > 0 || !check.isLinearizable())) {
                    keepEvidence(condition, g.setting(), histories.get(s), finals);
                }
                progress.accept(String.format(java.util.Locale.ROOT,
                        "    %-22s %7.0f ops/s  read p99 %7.1f ms  write p99 %7.1f ms  failed %5d  stale %5d (%.2f%%)  lost %d  %s",
                        r.setting(), r.throughput(), r.readP99Ms(), r.writeP99Ms(), r.failed() + r.unknown(), r.staleReads(),
                        r.staleRate() * 100, r.lostAckedWrites(), r.verdict()));
            }
            return out;
        } finally {
            for (Workload.Group g : groups) {
                g.client().close();
            }
        }
    }

    /**
     * A broken promise must be explainable: the whole history of the cell (one operation a line,
     * times in ms since its start) and the final values go to {@code <work>/evidence/}.
     */
    private void keepEvidence(Condition condition, Setting setting, History history, Map<String, Optional<Versioned>> finals) {
        Path file = options.workDir().resolve("evidence").resolve(condition.label() + "-" + setting.label().replace('/', '-') + ".txt");
        StringBuilder b = new StringBuilder();
        finals.forEach((k, v) -> b.append("final ").append(k).append(" = ")
                .append(v.map(x -> "'" + x.valueAsString() + "' v=" + x.version()).orElse("absent")).append('\n'));
        for (io.chainring.cli.evaluate.history.Operation op : history.operations()) {
            b.append(op.describe(history.startNanos())).append('\n');
        }
        try {
            java.nio.file.Files.createDirectories(file.getParent());
            java.nio.file.Files.writeString(file, b.toString(), StandardCharsets.UTF_8);
            progress.accept("    promise broken: history kept in " + file);
        } catch (IOException e) {
            log.warn("cannot keep the history of {} under {}: {}", setting, condition.label(), e.toString());
        }
    }

    /** Each key's value after healing, read LINEARIZABLE straight from the nodes (retried, bounded). */
    private static Map<String, Optional<Versioned>> readFinal(EvalCluster cluster, List<String> keys) throws InterruptedException {
        Map<String, Optional<Versioned>> out = new LinkedHashMap<>();
        try (ChainringClient c = cluster.directClient(Duration.ofSeconds(5))) {
            for (String k : keys) {
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (true) {
                    try {
                        out.put(k, c.get(k.getBytes(StandardCharsets.UTF_8)));
                        break;
                    } catch (ChainringException e) {
                        if (System.nanoTime() > deadline) {
                            throw new IllegalStateException("cannot read the final value of " + k + " after healing", e);
                        }
                        Thread.sleep(200);
                    }
                }
            }
        }
        return out;
    }

    /** Applies a condition's faults: static ones at once, timed ones on a schedule; heals everything at the end. */
    private static final class FaultSchedule {
        private final EvalCluster cluster;
        private final NetworkFaults faults;
        private final Condition condition;
        private final HotChain hot;
        private final long runMillis;
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "eval-faults");
            t.setDaemon(true);
            return t;
        });
        private volatile boolean killed;

        FaultSchedule(EvalCluster cluster, NetworkFaults faults, Condition condition, HotChain hot, Duration run) {
            this.cluster = cluster;
            this.faults = faults;
            this.condition = condition;
            this.hot = hot;
            this.runMillis = run.toMillis();
        }

        private List<String> endpoints(boolean withZooKeeper) {
            List<String> all = new ArrayList<>(cluster.nodes().stream().map(EvalCluster.Node::id).toList());
            all.add(EvalCluster.CLIENT);
            all.add(EvalCluster.CONTROLLER);
            if (withZooKeeper) {
                all.add(EvalCluster.ZOOKEEPER);
            }
            return all;
        }

        private void everyLink(LinkFault f, boolean withZooKeeper) {
            List<String> all = endpoints(withZooKeeper);
            for (String a : all) {
                for (String b : all) {
                    if (!a.equals(b)) {
                        faults.set(a, b, f);
                    }
                }
            }
        }

        void start() {
            switch (condition) {
                case CLEAN -> { }
                case DELAY_5MS -> everyLink(LinkFault.delay(Duration.ofMillis(5), Duration.ofMillis(1)), true);
                case LOSS_5 -> everyLink(LinkFault.parse("loss=5%"), false);
                case SLOW_REPLICA -> endpoints(false).stream().filter(e -> !e.equals(hot.tail()))
                        .forEach(e -> faults.setBoth(hot.tail(), e, LinkFault.delay(Duration.ofMillis(50), Duration.ofMillis(5))));
                case TAIL_PARTITIONED -> timed(() -> faults.partition(hot.tail(), hot.middle()), faults::healAll);
                case HEAD_PARTITIONED -> timed(() -> {
                    faults.partition(hot.head(), EvalCluster.CLIENT);
                    faults.partition(hot.head(), EvalCluster.ZOOKEEPER);
                }, faults::healAll);
                case NODE_KILLED -> {
                    timer.schedule(() -> act("kill " + hot.head(), () -> {
                        cluster.kill(hot.head());
                        killed = true;
                    }), runMillis / 4, TimeUnit.MILLISECONDS);
                    timer.schedule(() -> act("restart " + hot.head(), this::restartIfKilled), runMillis / 2, TimeUnit.MILLISECONDS);
                }
            }
        }

        private interface Step {
            void run() throws Exception;
        }

        private void timed(Runnable strike, Runnable heal) {
            timer.schedule(() -> act("strike", strike::run), runMillis / 4, TimeUnit.MILLISECONDS);
            timer.schedule(() -> act("heal", heal::run), runMillis * 3 / 4, TimeUnit.MILLISECONDS);
        }

        private void act(String what, Step step) {
            try {
                log.info("{}: {}", condition.label(), what);
                step.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                log.warn("{}: {} failed: {}", condition.label(), what, e.toString());
            }
        }

        private synchronized void restartIfKilled() throws IOException, InterruptedException {
            if (killed) {
                killed = false;
                cluster.restart(hot.head());
            }
        }

        void stopAndHeal() throws InterruptedException {
            timer.shutdownNow();
            if (!timer.awaitTermination(150, TimeUnit.SECONDS)) {
                log.warn("{}: the fault schedule did not stop within 150 s", condition.label());
            }
            faults.healAll();
            try {
                restartIfKilled();
            } catch (IOException e) {
                throw new IllegalStateException("cannot restart " + hot.head() + " after the run", e);
            }
        }
    }
}
