package io.chainring.cli.command;

import io.chainring.cli.evaluate.CellResult;
import io.chainring.cli.evaluate.Condition;
import io.chainring.cli.evaluate.Evaluation;
import io.chainring.cli.evaluate.EvaluationReport;
import io.chainring.cli.evaluate.Setting;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Measure what each consistency setting costs and risks under network faults.",
                "Starts its own cluster of separate processes (ZooKeeper, a controller, 3 datanodes, R=3) with every link "
                        + "through a fault-injecting proxy layer, runs the settings (read level x write ack) under each "
                        + "condition with a hot-key workload, checks the histories, and writes report.md, results.csv, "
                        + "results.json and PNG charts into --out. Exit 0 when every promise held (LINEARIZABLE/ALL: no stale "
                        + "read, no lost acknowledged write, linearizable), 1 when one broke."})
public final class EvaluateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--quick", description = "A smoke matrix of a few minutes: every setting, every condition, short runs.")
    boolean quick;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "evaluation", description = "Report directory (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--run-seconds", paramLabel = "S", description = "Load per condition (default: 60, or 12 with --quick).")
    Integer runSeconds;

    @Option(names = "--settings", split = ",", paramLabel = "READ/WRITE",
            description = "Settings to run, e.g. LINEARIZABLE/ALL,ONE/ONE (default: all nine).")
    List<String> settings;

    @Option(names = "--conditions", split = ",", paramLabel = "NAME",
            description = "Conditions to run: clean, delay-5ms, slow-replica, loss-5pct, tail-partitioned, head-partitioned, "
                    + "node-killed (default: all).")
    List<String> conditions;

    @Option(names = "--writers", defaultValue = "2", description = "Writer threads per setting (default: ${DEFAULT-VALUE}).")
    int writers;

    @Option(names = "--readers", defaultValue = "2", description = "Reader threads per setting (default: ${DEFAULT-VALUE}).")
    int readers;

    @Option(names = "--keys", defaultValue = "8", description = "Keys per setting, chosen zipfian (default: ${DEFAULT-VALUE}).")
    int keys;

    @Option(names = "--partitions", defaultValue = "12", description = "Partitions of the cluster (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--session-timeout", defaultValue = "4", paramLabel = "SECONDS",
            description = "ZooKeeper session timeout of the processes (default: ${DEFAULT-VALUE}).")
    int sessionTimeout;

    @Option(names = "--base-port", defaultValue = "0", paramLabel = "PORT",
            description = "First of about 40 consecutive ports the cluster uses; 0 picks free ports (default: ${DEFAULT-VALUE}).")
    int basePort;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the workload's choices (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter outw = spec.commandLine().getOut();
        int seconds = runSeconds != null ? runSeconds : quick ? 12 : 60;
        if (seconds < 4) {
            throw new ParameterException(spec.commandLine(), "--run-seconds must be at least 4");
        }
        List<Setting> s;
        List<Condition> c;
        try {
            // each cell once: the report names cells by setting and condition
            s = settings == null ? Setting.all() : settings.stream().map(Setting::parse).distinct().toList();
            c = conditions == null ? Arrays.asList(Condition.values()) : conditions.stream().map(Condition::parse).distinct().toList();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        Path work = out.resolve("work");
        deleteTree(work);
        Evaluation.Options options = new Evaluation.Options(s, c, Duration.ofSeconds(seconds), writers, readers, keys, partitions,
                Duration.ofSeconds(sessionTimeout), Duration.ofSeconds(quick ? 5 : 10), basePort, work, seed);
        String uptimeBefore = uptime();
        long t0 = System.nanoTime();
        Instant started = Instant.now();
        err.printf("chainring evaluate: %d settings x %d conditions, %d s each; report in %s%n", s.size(), c.size(), seconds, out);
        err.flush();
        List<CellResult> results = new Evaluation(options, line -> {
            err.println(line);
            err.flush();
        }).run();
        double minutes = (System.nanoTime() - t0) / 60e9;
        String command = "chainring " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
        Path report = EvaluationReport.write(out, options, new EvaluationReport.Context(command, started.toString(),
                uptimeBefore, uptime(), minutes), results);
        for (String dir : List.of("zk", "n1", "n2", "n3")) {
            deleteTree(work.resolve(dir)); // the data; the processes' logs stay in work/logs
        }
        List<String> broken = EvaluationReport.findings(results, true);
        outw.println("report: " + report.toAbsolutePath());
        outw.println(broken.isEmpty() ? "every promise held (LINEARIZABLE/ALL: no stale read, no lost acknowledged write, linearizable)"
                : "BROKEN PROMISES: " + String.join("; ", broken));
        outw.flush();
        return broken.isEmpty() ? 0 : 1;
    }

    private static String uptime() {
        try {
            Process p = new ProcessBuilder("uptime").redirectErrorStream(true).start();
            String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor(5, TimeUnit.SECONDS);
            return s;
        } catch (IOException e) {
            return "(uptime unavailable: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(interrupted)";
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
