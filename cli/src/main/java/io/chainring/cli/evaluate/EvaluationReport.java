package io.chainring.cli.evaluate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes what an evaluation found: {@code report.md} (method, machine, the table, the checker's
 * findings, the charts), {@code results.csv} (one row per cell) and {@code results.json}
 * (everything, with the staleness samples and t-visibility curves), plus the PNG charts.
 */
public final class EvaluationReport {
    /** Where the run happened and how it was asked for. */
    public record Context(String command, String startedAt, String uptimeBefore, String uptimeAfter, double minutes) {
    }

    private EvaluationReport() {
    }

    /** Writes the report into {@code dir}; returns the path of report.md. */
    public static Path write(Path dir, Evaluation.Options options, Context context, List<CellResult> results) throws IOException {
        Files.createDirectories(dir);
        List<String> charts = EvaluationCharts.write(dir, results);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("context", context);
        json.put("options", Map.of("runSeconds", options.runLength().toSeconds(), "writersPerSetting", options.writers(),
                "readersPerSetting", options.readers(), "keysPerSetting", options.keys(), "partitions", options.partitions(),
                "sessionTimeoutSeconds", options.sessionTimeout().toSeconds(), "seed", options.seed()));
        json.put("cells", results);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve("results.json").toFile(), json);
        Files.writeString(dir.resolve("results.csv"), csv(results), StandardCharsets.UTF_8);
        Path md = dir.resolve("report.md");
        Files.writeString(md, markdown(options, context, results, charts), StandardCharsets.UTF_8);
        return md;
    }

    static String csv(List<CellResult> results) {
        StringBuilder b = new StringBuilder("condition,setting,seconds,reads_ok,writes_ok,failed,unknown,ops_per_s,read_p50_ms,"
                + "read_p99_ms,write_p50_ms,write_p99_ms,stale_reads,stale_rate,staleness_p50_ms,staleness_p99_ms,"
                + "staleness_p99_versions,lost_acked_writes,max_lag_lsns,max_lag_ms,verdict\n");
        for (CellResult r : results) {
            b.append(String.format(Locale.ROOT, "%s,%s,%.1f,%d,%d,%d,%d,%.1f,%.2f,%.2f,%.2f,%.2f,%d,%.5f,%.1f,%.1f,%.0f,%d,%d,%.0f,%s%n",
                    r.condition(), r.setting(), r.seconds(), r.readsOk(), r.writesOk(), r.failed(), r.unknown(), r.throughput(),
                    r.readP50Ms(), r.readP99Ms(), r.writeP50Ms(), r.writeP99Ms(), r.staleReads(), r.staleRate(),
                    r.staleMillisP50(), r.staleMillisP99(), r.staleVersionsP99(), r.lostAckedWrites(), r.maxLagLsns(),
                    r.maxLagMs(), r.verdict()));
        }
        return b.toString();
    }

    /** The checker's findings: broken promises (must be none) and anomalies found where the setting allows them. */
    public static List<String> findings(List<CellResult> results, boolean promised) {
        List<String> out = new ArrayList<>();
        for (CellResult r : results) {
            boolean promises = Setting.parse(r.setting()).promisesLinearizable();
            if (promises != promised) {
                continue;
            }
            List<String> what = new ArrayList<>();
            if (r.staleReads() > 0) {
                what.add(r.staleReads() + " stale reads");
            }
            if (r.lostAckedWrites() > 0) {
                what.add(r.lostAckedWrites() + " lost acknowledged writes");
            }
            if (!r.verdict().equals("LINEARIZABLE")) {
                what.add("history " + r.verdict());
            }
            if (!what.isEmpty()) {
                out.add(r.setting() + " under " + r.condition() + ": " + String.join(", ", what));
            }
        }
        return out;
    }

    private static String markdown(Evaluation.Options o, Context c, List<CellResult> results, List<String> charts) {
        StringBuilder b = new StringBuilder();
        b.append("## Run\n\n");
        b.append("- Command: `").append(c.command()).append("`\n");
        b.append("- Started ").append(c.startedAt()).append(", took ").append(String.format(Locale.ROOT, "%.1f", c.minutes()))
                .append(" min\n");
        b.append("- Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ")
                .append(System.getProperty("java.version")).append(", ").append(System.getProperty("os.name")).append(' ')
                .append(System.getProperty("os.version")).append('\n');
        b.append("- `uptime` before: `").append(c.uptimeBefore()).append("`; after: `").append(c.uptimeAfter()).append("`\n");
        b.append(String.format(Locale.ROOT, "- Per condition: %d s of load; per setting %d writers and %d readers over %d zipfian "
                        + "keys (exponent %.1f) on the hot chain's partitions; %d partitions, R = 3, session timeout %d s%n%n",
                o.runLength().toSeconds(), o.writers(), o.readers(), o.keys(), Workload.ZIPF_EXPONENT, o.partitions(),
                o.sessionTimeout().toSeconds()));
        b.append("## Results\n\n");
        b.append("| condition | setting | ops/s | read p50 / p99 ms | write p50 / p99 ms | failed + unknown | stale reads | "
                + "staleness p50 / p99 ms | missed versions p99 | lost acked writes | max lag LSNs / ms | history |\n");
        b.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (CellResult r : results) {
            b.append(String.format(Locale.ROOT, "| %s | %s | %.0f | %.1f / %.1f | %.1f / %.1f | %d + %d | %d (%.2f%%) | %s | %s | %d | %d / %.0f | %s |%n",
                    r.condition(), r.setting(), r.throughput(), r.readP50Ms(), r.readP99Ms(), r.writeP50Ms(), r.writeP99Ms(),
                    r.failed(), r.unknown(), r.staleReads(), r.staleRate() * 100,
                    r.staleReads() == 0 ? "–" : String.format(Locale.ROOT, "%.1f / %.1f", r.staleMillisP50(), r.staleMillisP99()),
                    r.staleReads() == 0 ? "–" : String.format(Locale.ROOT, "%.0f", r.staleVersionsP99()),
                    r.lostAckedWrites(), r.maxLagLsns(), r.maxLagMs(), verdict(r)));
        }
        b.append("\nHistory: the WGL linearizability checker's verdict on the cell's recorded history (UNKNOWN: not decided "
                + "within its time budget). Lag is per condition (every setting ran at once), the peak the datanodes' "
                + "metrics showed.\n\n");
        b.append("## What the checker found\n\n");
        List<String> broken = findings(results, true);
        b.append("Promised (LINEARIZABLE reads with ALL acks: no stale read, no lost acknowledged write, linearizable): ");
        b.append(broken.isEmpty() ? "**kept in every condition.**\n\n" : "**broken** in:\n\n");
        broken.forEach(f -> b.append("- ").append(f).append('\n'));
        List<String> anomalies = findings(results, false);
        b.append(broken.isEmpty() ? "" : "\n").append("Anomalies found where the setting allows them (")
                .append(anomalies.size()).append(" cells):\n\n");
        anomalies.forEach(f -> b.append("- ").append(f).append('\n'));
        for (CellResult r : results) {
            if (!r.violation().isEmpty() && r.verdict().equals("NOT_LINEARIZABLE")) {
                b.append("\nFirst violation of ").append(r.setting()).append(" under ").append(r.condition()).append(":\n\n```\n")
                        .append(r.violation()).append("\n```\n");
                break;
            }
        }
        b.append("\n## Charts\n\n");
        for (String chart : charts) {
            b.append("![").append(chart.replace(".png", "")).append("](").append(chart).append(")\n\n");
        }
        return b.toString();
    }

    private static String verdict(CellResult r) {
        return switch (r.verdict()) {
            case "LINEARIZABLE" -> "linearizable";
            case "NOT_LINEARIZABLE" -> "**not linearizable**";
            default -> r.verdict().toLowerCase(Locale.ROOT);
        };
    }
}
