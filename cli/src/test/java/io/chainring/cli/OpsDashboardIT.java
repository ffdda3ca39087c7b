package io.chainring.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainring.client.ChainringClient;
import io.chainring.embedded.EmbeddedCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard and the Prometheus alert rules the project ships
 * ({@code observability/ops/}) name only metrics that the controller and the datanodes really
 * export: a real cluster is scraped after some traffic, and every metric name in the two files
 * must be among the scraped samples.
 */
@Tag("cluster")
class OpsDashboardIT {
    private static final Path OPS = Path.of(System.getProperty("basedir", ".")).resolve("../observability/ops");
    /** A metric name in a PromQL expression: ours, or the JVM/process meters every process serves. */
    private static final Pattern METRIC = Pattern.compile("\\b((?:chainring|jvm|process|system)_[a-z0-9_]+)\\b");

    @Test
    void everyMetricTheDashboardAndTheAlertsUseIsExported() throws Exception {
        Set<String> exported = new TreeSet<>();
        try (EmbeddedCluster cluster = EmbeddedCluster.builder().nodes(3).partitions(8).metrics(true).build().start()) {
            try (ChainringClient c = ChainringClient.builder().seeds(cluster.seeds()).build()) {
                for (int i = 0; i < 20; i++) {
                    c.put("ops-" + i, "v");
                    c.get("ops-" + i);
                    c.delete("ops-" + i);
                }
            }
            List<Integer> ports = new ArrayList<>();
            ports.add(cluster.controller().metricsPort().orElseThrow());
            cluster.datanodeIds().forEach(id -> ports.add(cluster.datanode(id.value()).metricsPort().orElseThrow()));
            HttpClient http = HttpClient.newHttpClient();
            for (int port : ports) {
                String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                body.lines().filter(l -> !l.startsWith("#") && !l.isBlank())
                        .map(l -> l.split("[{ ]", 2)[0]).forEach(exported::add);
            }
        }
        Files.writeString(Path.of("target", "exported-metrics.txt"), String.join("\n", exported) + "\n");

        JsonNode dashboard = new ObjectMapper().readTree(OPS.resolve("grafana-dashboard.json").toFile());
        List<String> exprs = new ArrayList<>();
        for (JsonNode panel : dashboard.get("panels")) {
            assertThat(panel.get("targets")).as("panel '%s' has queries", panel.get("title").asText()).isNotEmpty();
            panel.get("targets").forEach(t -> exprs.add(t.get("expr").asText()));
        }
        String alerts = Files.readString(OPS.resolve("prometheus-alerts.yml"));
        Matcher rule = Pattern.compile("(?m)^\\s*- alert: (\\S+)\\n\\s*expr: (.+)\\n\\s*for: \\S+\\n\\s*labels:\\n\\s*severity: (critical|warning|info)\\n"
                + "\\s*annotations:\\n\\s*summary: .+").matcher(alerts);
        int rules = 0;
        while (rule.find()) {
            exprs.add(rule.group(2));
            rules++;
        }
        assertThat(rules).as("every rule has alert, expr, for, a severity and a summary").isEqualTo(alerts.split("- alert:", -1).length - 1)
                .isGreaterThanOrEqualTo(5);

        Set<String> used = new TreeSet<>();
        for (String e : exprs) {
            Matcher m = METRIC.matcher(e);
            while (m.find()) {
                used.add(m.group(1));
            }
        }
        assertThat(used).as("metrics named by the dashboard and the alerts").hasSizeGreaterThan(10);
        assertThat(exported).as("exported by the processes (all in target/exported-metrics.txt)").containsAll(used);
    }
}
