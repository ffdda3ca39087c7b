package io.chainring.cli.command;

import io.chainring.cli.ExitCodes;
import io.chainring.cli.bench.BenchRunner;
import io.chainring.cli.bench.BenchSummary;
import io.chainring.cli.bench.BenchTarget;
import io.chainring.cli.bench.ChainringTarget;
import io.chainring.cli.bench.Distribution;
import io.chainring.cli.bench.JeTarget;
import io.chainring.cli.bench.Loader;
import io.chainring.cli.bench.ProgressBar;
import io.chainring.cli.bench.ThriftEchoTarget;
import io.chainring.cli.bench.Workload;
import io.chainring.cli.output.Json;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.SplittableRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code chainring bench}: the load generator; the work is in {@code io.chainring.cli.bench}. */
@Command(name = "bench", mixinStandardHelpOptions = true, subcommands = {BenchRebalanceCommand.class, BenchRepairCommand.class},
        description = {"Load generator: reads and updates from several threads, closed loop, as fast as the target answers.",
                "Prints a progress line every few seconds (stderr) and a summary: throughput and p50/p95/p99/p99.9 latency "
                        + "per operation (HdrHistogram); --json prints the summary as one JSON object.",
                "--baseline runs the same load shape against a raw Thrift echo server or raw JE on this machine, "
                        + "for the limits the store's numbers are compared with (docs/PERFORMANCE.md).",
                "'bench rebalance' measures a 3 -> 4 node rebalancing (or 4 -> 3 with --decommission) and 'bench repair' "
                        + "the re-replication after a node is killed, under load, in an embedded cluster of their own."})
public final class BenchCommand extends ClientCommand {
    @Option(names = "--records", paramLabel = "N", defaultValue = "10000",
            description = "Records the operations touch, keys user0000000000.. (default: ${DEFAULT-VALUE}).")
    long records;

    @Option(names = "--ops", paramLabel = "N", description = "Run this many operations in total (instead of --duration).")
    Long ops;

    @Option(names = "--duration", paramLabel = "SECONDS", description = "Run this long (default: 10 s unless --ops is given).")
    Double durationSeconds;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "8", description = "Worker threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--read-ratio", paramLabel = "R", description = "Share of reads, 0..1 (instead of --workload).")
    Double readRatio;

    @Option(names = "--workload", paramLabel = "A|B|C",
            description = "YCSB mix: A = 50%% reads / 50%% updates (the default), B = 95/5, C = read only.")
    Workload workload;

    @Option(names = "--distribution", paramLabel = "D", defaultValue = "ZIPFIAN",
            description = "uniform or zipfian (YCSB's scrambled Zipfian, the default).")
    Distribution distribution;

    @Option(names = "--value-size", paramLabel = "BYTES", defaultValue = "100", description = "Bytes per value (default: ${DEFAULT-VALUE}).")
    int valueSize;

    @Option(names = "--load", description = "Write every record first (with a progress bar), so that reads find values.")
    boolean load;

    @Option(names = "--baseline", paramLabel = "thrift-echo|je",
            description = "Instead of the cluster: an in-process Thrift echo server on loopback (the datanode's server stack), "
                    + "or Berkeley DB JE on a temporary directory.")
    String baseline;

    @Option(names = "--je-durability", paramLabel = "D", defaultValue = "write_no_sync",
            description = "Durability of the je baseline: write_no_sync (the datanode's default), sync or no_sync.")
    String jeDurability;

    @Option(names = "--progress-interval", paramLabel = "SECONDS", defaultValue = "5",
            description = "Seconds between progress lines (default: ${DEFAULT-VALUE}).")
    double progressSeconds;

    @Option(names = "--warmup", paramLabel = "SECONDS", defaultValue = "0",
            description = "Run the same load this long first, unmeasured (JIT, caches, connections; default: ${DEFAULT-VALUE}).")
    double warmupSeconds;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the operation mix and key choice (default: random).")
    Long seed;

    @Override
    public Integer call() throws Exception {
        BenchRunner.Plan plan = plan();
        PrintWriter log = err();
        boolean json = global().json();
        double reads = plan.readRatio();
        String header = String.format(Locale.ROOT, "chainring bench: %s, %s over %,d records, %d-byte values, %d threads, %s",
                workload != null ? "workload " + workload + " (" + mix(reads) + ")" : mix(reads),
                distribution.name().toLowerCase(Locale.ROOT), records, valueSize, threads,
                plan.ops() > 0 ? String.format("%,d ops", plan.ops()) : plan.duration().toMillis() / 1000.0 + " s");
        try (BenchTarget target = target()) {
            (json ? log : out()).println(header);
            (json ? log : out()).println("target: " + target.describe());
            (json ? log : out()).flush();
            if (load) {
                byte[] value = new byte[valueSize];
                new SplittableRandom(plan.seed()).nextBytes(value);
                Loader.load(target, records, threads, value, new ProgressBar(log, onTerminal(), records, "records"));
            }
            if (warmupSeconds > 0) {
                log.printf(Locale.ROOT, "bench: warming up for %.1f s (not measured)%n", warmupSeconds);
                log.flush();
                BenchRunner.run(target, new BenchRunner.Plan(0, Duration.ofMillis(Math.round(warmupSeconds * 1000)), plan.threads(),
                        plan.readRatio(), plan.keys(), plan.valueSize(), plan.seed() + 1, plan.progressEvery()), log);
            }
            BenchSummary summary = BenchRunner.run(target, plan, log);
            if (json) {
                out().println(Json.write(summary.json()));
            } else {
                out().println();
                summary.print(out());
            }
            out().flush();
            return summary.errors() > 0 && summary.completed() == 0 ? ExitCodes.UNAVAILABLE : ExitCodes.OK;
        }
    }

    private BenchRunner.Plan plan() {
        if (records < 1) {
            throw new IllegalArgumentException("--records must be at least 1: " + records);
        }
        if (ops != null && durationSeconds != null) {
            throw new IllegalArgumentException("give --ops or --duration, not both");
        }
        if (ops != null && ops < 1) {
            throw new IllegalArgumentException("--ops must be at least 1: " + ops);
        }
        if (durationSeconds != null && !(durationSeconds > 0)) {
            throw new IllegalArgumentException("--duration must be positive: " + durationSeconds);
        }
        if (threads < 1 || threads > 1024) {
            throw new IllegalArgumentException("--threads must be 1..1024: " + threads);
        }
        if (readRatio != null && workload != null) {
            throw new IllegalArgumentException("give --read-ratio or --workload, not both");
        }
        if (readRatio != null && !(readRatio >= 0 && readRatio <= 1)) {
            throw new IllegalArgumentException("--read-ratio must be 0..1: " + readRatio);
        }
        if (valueSize < 0 || valueSize > 1024 * 1024) {
            throw new IllegalArgumentException("--value-size must be 0..1048576 bytes: " + valueSize);
        }
        if (!(warmupSeconds >= 0)) {
            throw new IllegalArgumentException("--warmup must not be negative: " + warmupSeconds);
        }
        if (!(progressSeconds > 0)) {
            throw new IllegalArgumentException("--progress-interval must be positive: " + progressSeconds);
        }
        if (baseline != null && !baseline.equals("thrift-echo") && !baseline.equals("je")) {
            throw new IllegalArgumentException("--baseline must be thrift-echo or je: " + baseline);
        }
        double reads = readRatio != null ? readRatio : (workload != null ? workload : Workload.A).readRatio();
        Duration duration = Duration.ofMillis(Math.round((durationSeconds != null ? durationSeconds : 10.0) * 1000));
        return new BenchRunner.Plan(ops != null ? ops : 0, duration, threads, reads, distribution.chooser(records), valueSize,
                seed != null ? seed : new SplittableRandom().nextLong(), Duration.ofMillis(Math.round(progressSeconds * 1000)));
    }

    private BenchTarget target() throws Exception {
        if (baseline == null) {
            return new ChainringTarget(global().seeds(), global().timeout(), readLevel, writeAck, threads);
        }
        return switch (baseline) {
            case "thrift-echo" -> new ThriftEchoTarget(valueSize);
            case "je" -> new JeTarget(Path.of(System.getProperty("java.io.tmpdir")), jeDurability);
            default -> throw new IllegalArgumentException("--baseline must be thrift-echo or je: " + baseline);
        };
    }

    private boolean onTerminal() {
        return System.console() != null;
    }

    private static String mix(double reads) {
        return String.format(Locale.ROOT, "%.0f%% reads / %.0f%% updates", reads * 100, (1 - reads) * 100);
    }
}
