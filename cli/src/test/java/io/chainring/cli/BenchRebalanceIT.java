package io.chainring.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A tiny {@code chainring bench rebalance}: its own cluster goes 3 → 4 nodes; the JSON report's fields and the chart. */
class BenchRebalanceIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    @Timeout(180)
    void aTinyRunReportsTheMovesAndThePhases(@TempDir Path dir) throws Exception {
        Path chart = dir.resolve("images/rebalance.png");
        int zkPort = freePort();
        int controllerPort = freePort();
        CliRun.Result r = CliRun.run("127.0.0.1:1", null, "bench", "rebalance", "--records", "2000", "--partitions", "16",
                "--threads", "4", "--warmup-seconds", "1", "--steady-seconds", "2", "--after-seconds", "2",
                "--progress-interval", "1", "--throttle", "unlimited", "--seed", "7", "--json", "--chart", chart.toString(),
                "--zk-port", String.valueOf(zkPort), "--controller-port", String.valueOf(controllerPort));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.outLines()).as("stdout holds only the JSON report").hasSize(1);
        assertThat(r.err()).contains("rebalance: phase before", "rebalance: phase during", "rebalance: phase after", "moves ");
        // the ports it was told (issue 17; the demo's port options, see ClusterPortsTest and DemoProcessIT)
        assertThat(r.err()).contains("zookeeper 127.0.0.1:" + zkPort + ", controller 127.0.0.1:" + controllerPort);
        JsonNode j = JSON.readTree(r.out());
        assertThat(fieldNames(j)).containsExactly("setup", "throttleBytesPerSecond", "defaultThrottle", "planId", "planState",
                "addSeconds", "timeToBalanceSeconds", "bytesMoved", "keysMoved", "mbPerSec", "movesDone", "movesPlanned",
                "lowerBound", "replicasPerNode", "phases", "p99Ratio", "p99GoalMet");
        assertThat(j.get("planState").asText()).isEqualTo("DONE");
        assertThat(j.get("throttleBytesPerSecond").asLong()).isZero();
        assertThat(j.get("defaultThrottle").asBoolean()).isFalse();
        // 16 partitions x 3 replicas over 4 nodes: the new node takes 12, and no plan can do with fewer
        assertThat(j.get("movesPlanned").asInt()).isEqualTo(12);
        assertThat(j.get("movesDone").asInt()).isEqualTo(12);
        assertThat(j.get("lowerBound").asInt()).isEqualTo(12);
        assertThat(j.get("bytesMoved").asLong()).isPositive();
        assertThat(j.get("keysMoved").asLong()).isPositive();
        assertThat(j.get("timeToBalanceSeconds").asDouble()).isPositive();
        for (String node : List.of("n1", "n2", "n3", "n4")) {
            assertThat(j.get("replicasPerNode").get(node).asInt()).as(node).isEqualTo(12);
        }
        assertThat(fieldNames(j.get("phases"))).containsExactly("before", "during", "after");
        for (String phase : List.of("before", "during", "after")) {
            JsonNode p = j.get("phases").get(phase);
            assertThat(p.get("opsPerSec").asDouble()).as(phase).isPositive();
            assertThat(p.get("p99Micros").asDouble()).as(phase).isGreaterThanOrEqualTo(p.get("p50Micros").asDouble());
            assertThat(fieldNames(p.get("ops"))).containsExactly("read", "update");
        }
        assertThat(j.get("p99Ratio").asDouble()).isPositive();
        assertThat(Files.size(chart)).isPositive();
        byte[] png = Files.readAllBytes(chart);
        assertThat(java.util.Arrays.copyOf(png, 4)).containsExactly((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
