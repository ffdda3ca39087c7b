package io.chainring.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainring.embedded.EmbeddedCluster;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Tiny {@code chainring bench} runs: the JSON summary's fields and counts, the table, both baselines, bad options. */
@Tag("cluster")
class BenchIT {
    private static final ObjectMapper JSON = new ObjectMapper();
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

    private static CliRun.Result bench(String... args) {
        List<String> all = new ArrayList<>(List.of("bench"));
        all.addAll(List.of(args));
        return CliRun.run(cluster.seeds(), null, all.toArray(String[]::new));
    }

    /** Checks the summary has exactly the documented fields and that the counts add up to {@code ops}. */
    private static JsonNode summary(CliRun.Result r, long ops, int threads) throws Exception {
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.outLines()).as("stdout holds only the JSON summary").hasSize(1);
        JsonNode j = JSON.readTree(r.out());
        assertThat(fieldNames(j)).containsExactly("opsPerSec", "durationSeconds", "threads", "errors", "ops");
        assertThat(fieldNames(j.get("ops"))).containsExactly("read", "update");
        long counted = j.get("errors").asLong();
        for (String op : List.of("read", "update")) {
            JsonNode o = j.get("ops").get(op);
            assertThat(fieldNames(o)).containsExactly("count", "p50Micros", "p95Micros", "p99Micros", "p999Micros");
            counted += o.get("count").asLong();
            if (o.get("count").asLong() > 0) {
                assertThat(o.get("p50Micros").asDouble()).isPositive();
                assertThat(o.get("p50Micros").asDouble()).isLessThanOrEqualTo(o.get("p95Micros").asDouble());
                assertThat(o.get("p95Micros").asDouble()).isLessThanOrEqualTo(o.get("p99Micros").asDouble());
                assertThat(o.get("p99Micros").asDouble()).isLessThanOrEqualTo(o.get("p999Micros").asDouble());
            }
        }
        assertThat(counted).as("reads + updates + errors").isEqualTo(ops);
        assertThat(j.get("threads").asInt()).isEqualTo(threads);
        assertThat(j.get("durationSeconds").asDouble()).isPositive();
        assertThat(j.get("opsPerSec").asDouble()).isPositive();
        return j;
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void aTinyRunAgainstTheClusterGivesAValidJsonSummary() throws Exception {
        CliRun.Result r = bench("--records", "100", "--load", "--ops", "200", "--threads", "4", "--workload", "a",
                "--distribution", "uniform", "--value-size", "64", "--read-level", "LINEARIZABLE", "--write-ack", "ALL",
                "--seed", "7", "--json");
        JsonNode j = summary(r, 200, 4);
        assertThat(j.get("errors").asLong()).isZero();
        assertThat(j.get("ops").get("read").get("count").asLong()).isBetween(50L, 150L);
        assertThat(r.err()).contains("chainring bench: workload A (50% reads / 50% updates)").contains("target: chainring at")
                .contains("loading: 100% (100/100 records)");

        // the preload wrote every record
        CliRun.Result scan = CliRun.run(cluster.seeds(), null, "scan", "--prefix", "user", "--limit", "0", "--json");
        assertThat(scan.outLines()).hasSize(100);
    }

    @Test
    void aReadOnlyRunByDurationPrintsProgressAndATable() {
        CliRun.Result r = bench("--records", "50", "--duration", "1.5", "--threads", "2", "--workload", "C",
                "--progress-interval", "0.5", "--read-level", "ONE");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("bench: ").contains("ops/s").contains("read p99");
        assertThat(r.out()).contains("workload C (100% reads / 0% updates)").contains("throughput")
                .containsPattern("OP\\s+COUNT\\s+OPS/S\\s+P50 us\\s+P95 us\\s+P99 us\\s+P99.9 us\\s+MAX us")
                .containsPattern("update\\s+0\\s+0\\s");
    }

    @Test
    void bothBaselinesRunTheSameShape() throws Exception {
        JsonNode echo = summary(bench("--baseline", "thrift-echo", "--ops", "300", "--threads", "3", "--read-ratio", "0.5", "--json"),
                300, 3);
        assertThat(echo.get("errors").asLong()).isZero();
        CliRun.Result jeRun = bench("--baseline", "je", "--records", "200", "--load", "--ops", "300", "--threads", "3",
                "--warmup", "0.2", "--json");
        JsonNode je = summary(jeRun, 300, 3);
        assertThat(je.get("errors").asLong()).isZero();
        assertThat(jeRun.err()).contains("baseline je").contains("write_no_sync").contains("warming up");
    }

    @Test
    void conflictingOrBadOptionsAreUsageErrors() {
        assertThat(bench("--ops", "10", "--duration", "1").err()).contains("--ops or --duration");
        assertThat(bench("--ops", "10", "--duration", "1").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(bench("--workload", "A", "--read-ratio", "0.3").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(bench("--read-ratio", "1.5").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(bench("--baseline", "redis").err()).contains("thrift-echo or je");
        assertThat(bench("--workload", "D").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(bench("--threads", "0").exit()).isEqualTo(ExitCodes.USAGE);
    }
}
