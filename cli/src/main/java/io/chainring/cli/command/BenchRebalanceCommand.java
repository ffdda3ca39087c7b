package io.chainring.cli.command;

import io.chainring.cli.ExitCodes;
import io.chainring.cli.GlobalOptions;
import io.chainring.cli.Main;
import io.chainring.cli.bench.Distribution;
import io.chainring.cli.bench.RebalanceBench;
import io.chainring.cli.bench.RebalanceChart;
import io.chainring.cli.bench.RebalancePhase;
import io.chainring.cli.bench.RebalanceReport;
import io.chainring.cli.bench.Workload;
import io.chainring.cli.output.ByteSize;
import io.chainring.cli.output.Json;
import io.chainring.client.ReadLevel;
import io.chainring.client.WriteAck;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code chainring bench rebalance}: a 3 → 4 node rebalancing under load; the work is in {@link RebalanceBench}. */
@Command(name = "rebalance", mixinStandardHelpOptions = true, defaultValueProvider = ClusterPorts.BenchDefaults.class,
        description = {"Rebalancing under load, in this JVM: starts an embedded cluster of 3 datanodes (R=3), loads records, "
                + "runs a closed-loop load (YCSB B, 95%% reads / 5%% updates, by default), then starts a 4th datanode and "
                + "executes its ADD plan while the load goes on, and keeps the load running a while after.",
                "Reports the time to balance, bytes and MB/s moved, replicas moved against the plan's lower bound (the ideal), "
                        + "the throttle in force, and per phase (before, during, after) throughput and p50/p99/p99.9 latency; "
                        + "--json prints the report as one JSON object, --chart draws throughput and p99 over time as a PNG.",
                "Progress lines go to stderr. The cluster and its temporary data are gone when the command ends."})
public class BenchRebalanceCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--decommission", description = "Start with 4 datanodes and decommission n1 (4 -> 3) instead of adding one.")
    boolean decommission;

    @Option(names = "--records", paramLabel = "N", defaultValue = "1000000", description = "Records to load (default: ${DEFAULT-VALUE}).")
    long records;

    @Option(names = "--value-size", paramLabel = "BYTES", defaultValue = "100", description = "Bytes per value (default: ${DEFAULT-VALUE}).")
    int valueSize;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "8",
            description = "Foreground worker threads, also used to load (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--partitions", paramLabel = "Q", defaultValue = "256", description = "Partitions of the ring (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--throttle", paramLabel = "BYTES/S",
            description = "Per-node copy throttle for the plan: 20MB, 20MiB, 4096, unlimited (default: the cluster's default, a 64 MiB/s cap with each node adapting below it).")
    String throttle;

    @Option(names = "--workload", paramLabel = "A|B|C", defaultValue = "B",
            description = "YCSB mix of the load: A = 50%% reads / 50%% updates, B = 95/5 (the default), C = read only.")
    Workload workload;

    @Option(names = "--distribution", paramLabel = "D", defaultValue = "ZIPFIAN",
            description = "uniform or zipfian (YCSB's scrambled Zipfian, the default).")
    Distribution distribution;

    @Option(names = "--read-level", paramLabel = "LEVEL", defaultValue = "LINEARIZABLE",
            description = "LINEARIZABLE, MAJORITY or ONE (default: ${DEFAULT-VALUE}).")
    ReadLevel readLevel;

    @Option(names = "--write-ack", paramLabel = "ACK", defaultValue = "ALL", description = "ALL, MAJORITY or ONE (default: ${DEFAULT-VALUE}).")
    WriteAck writeAck;

    @Option(names = "--warmup-seconds", paramLabel = "S", defaultValue = "5",
            description = "Unmeasured load before the steady phase (default: ${DEFAULT-VALUE}).")
    double warmupSeconds;

    @Option(names = "--steady-seconds", paramLabel = "S", defaultValue = "20",
            description = "The measured phase before the 4th node starts (default: ${DEFAULT-VALUE}).")
    double steadySeconds;

    @Option(names = "--after-seconds", paramLabel = "S", defaultValue = "20",
            description = "The measured phase after the plan is done (default: ${DEFAULT-VALUE}).")
    double afterSeconds;

    @Option(names = "--max-plan-seconds", paramLabel = "S", defaultValue = "1800",
            description = "Stop waiting for the plan after this long (default: ${DEFAULT-VALUE}).")
    double maxPlanSeconds;

    @Option(names = "--progress-interval", paramLabel = "SECONDS", defaultValue = "5",
            description = "Seconds between progress lines (default: ${DEFAULT-VALUE}).")
    double progressSeconds;

    @Option(names = "--chart", paramLabel = "FILE.png", description = "Also draw throughput and p99 over time, the migration shaded.")
    Path chart;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Keep the cluster's data here (default: a temporary dir, deleted).")
    Path dataDir;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the values and of the load (default: random).")
    Long seed;

    /** The same port options as {@code demo}; here free ports and no metrics by default. */
    @Mixin
    ClusterPorts ports;

    @Override
    public Integer call() throws Exception {
        RebalanceBench.Settings settings = settings();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter log = spec.commandLine().getErr();
        boolean json = global().json();
        log.printf(Locale.ROOT, "chainring bench " + spec.name() + ": %s, %,d records of %d B, %d partitions, workload %s (%.0f%% reads), %s, "
                        + "%d threads; steady %.0f s, after %.0f s; throttle %s%n", scenario().describe(), records, valueSize, partitions, workload,
                workload.readRatio() * 100, distribution.name().toLowerCase(Locale.ROOT), threads, steadySeconds, afterSeconds,
                settings.throttle() == null ? "default" : ByteSize.rate(settings.throttle()));
        log.flush();
        RebalanceBench.Result result = RebalanceBench.run(settings, log);
        RebalanceReport report = result.report();
        if (chart != null) {
            RebalanceChart.write(chart, title(scenario(), report), result.samples(), result.windowStart(), result.windowEnd(),
                    report.phases().get(RebalancePhase.BEFORE).p99Micros());
            log.println("rebalance: chart written to " + chart);
            log.flush();
        }
        if (json) {
            out.println(Json.write(report.json()));
        } else {
            out.println();
            report.print(out);
        }
        out.flush();
        return "DONE".equals(report.planState()) ? ExitCodes.OK : ExitCodes.UNAVAILABLE;
    }

    /** What the during phase does. */
    protected RebalanceBench.Scenario scenario() {
        return decommission ? RebalanceBench.Scenario.DECOMMISSION : RebalanceBench.Scenario.ADD;
    }

    private static String title(RebalanceBench.Scenario scenario, RebalanceReport r) {
        return String.format(Locale.ROOT, "%s, %,d records x %d B, throttle %s: %.1f s, p99 during/before %.2f",
                scenario.describe(), r.setup().records(), r.setup().valueSize(), ByteSize.rate(r.throttleBytesPerSecond()), r.timeToBalanceSeconds(),
                r.p99Ratio());
    }

    private RebalanceBench.Settings settings() {
        if (records < 1) {
            throw new IllegalArgumentException("--records must be at least 1: " + records);
        }
        if (valueSize < 0 || valueSize > 1024 * 1024) {
            throw new IllegalArgumentException("--value-size must be 0..1048576 bytes: " + valueSize);
        }
        if (threads < 1 || threads > 1024) {
            throw new IllegalArgumentException("--threads must be 1..1024: " + threads);
        }
        if (partitions < 4) {
            throw new IllegalArgumentException("--partitions must be at least 4: " + partitions);
        }
        for (double[] v : new double[][] {{warmupSeconds, 0}, {steadySeconds, 1}, {afterSeconds, 0}, {maxPlanSeconds, 1}}) {
            if (!(v[0] >= 0) || (v[1] == 1 && v[0] == 0)) {
                throw new IllegalArgumentException("--warmup-seconds and --after-seconds must not be negative, "
                        + "--steady-seconds and --max-plan-seconds must be positive");
            }
        }
        if (!(progressSeconds > 0)) {
            throw new IllegalArgumentException("--progress-interval must be positive: " + progressSeconds);
        }
        Long bytesPerSecond = throttle == null ? null : ByteSize.parse(throttle);
        return new RebalanceBench.Settings(records, valueSize, threads, partitions, bytesPerSecond, seconds(warmupSeconds),
                seconds(steadySeconds), seconds(afterSeconds), seconds(maxPlanSeconds), workload.readRatio(), distribution,
                readLevel, writeAck, global().timeout(), dataDir, seed != null ? seed : new SplittableRandom().nextLong(),
                seconds(progressSeconds), System.console() != null,
                cluster -> ports.applyTo(cluster, RebalanceBench.MAX_NODES, true), scenario());
    }

    private static Duration seconds(double s) {
        return Duration.ofMillis(Math.round(s * 1000));
    }

    private GlobalOptions global() {
        return ((Main) spec.root().userObject()).global();
    }
}
