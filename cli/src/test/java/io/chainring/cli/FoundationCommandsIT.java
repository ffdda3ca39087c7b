package io.chainring.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainring.embedded.EmbeddedCluster;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The data and cluster commands of the foundation against a real embedded cluster: output,
 * the JSON fields scripts rely on, and exit codes.
 */
@Tag("cluster")
class FoundationCommandsIT {
    private static EmbeddedCluster cluster;
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        cluster = EmbeddedCluster.builder().nodes(3).partitions(16).replication(1).build().start();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private record Result(int exit, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] withSeeds = new String[args.length + 2];
        withSeeds[0] = "--seeds";
        withSeeds[1] = cluster.seeds();
        System.arraycopy(args, 0, withSeeds, 2, args.length);
        int exit = Main.run(withSeeds, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(exit, out.toString(), err.toString());
    }

    @Test
    void dataCommandsPrintValuesVersionsAndExitCodes() throws Exception {
        Result put = run("put", "cli-key", "first value");
        assertThat(put.exit()).isZero();
        assertThat(put.out()).startsWith("OK version ");
        long v1 = Long.parseLong(put.out().trim().substring("OK version ".length()));

        Result get = run("get", "cli-key");
        assertThat(get.exit()).isZero();
        assertThat(get.out()).isEqualTo("first value" + System.lineSeparator());

        Result mismatch = run("cas", "cli-key", "nope", String.valueOf(v1 + 100));
        assertThat(mismatch.exit()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(mismatch.err()).contains("version mismatch").contains("actual " + v1);

        Result cas = run("cas", "cli-key", "second", String.valueOf(v1), "--json");
        assertThat(cas.exit()).isZero();
        JsonNode casJson = JSON.readTree(cas.out());
        assertThat(casJson.get("applied").asBoolean()).isTrue();
        assertThat(casJson.get("version").asLong()).isGreaterThan(v1);

        // --json before the subcommand works the same
        JsonNode getJson = JSON.readTree(run("--json", "get", "cli-key").out());
        assertThat(getJson.get("value").asText()).isEqualTo("second");
        assertThat(getJson.get("found").asBoolean()).isTrue();

        assertThat(run("delete", "cli-key").exit()).isZero();
        Result gone = run("get", "cli-key");
        assertThat(gone.exit()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(gone.out()).isEmpty();
        assertThat(gone.err()).contains("not found: cli-key");
        Result deleteAbsent = run("delete", "cli-key");
        assertThat(deleteAbsent.exit()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(deleteAbsent.out()).as("as get: nothing on stdout").isEmpty();
        assertThat(deleteAbsent.err()).contains("not found: cli-key");
    }

    @Test
    void badInputAndUnreachableClustersGiveOneLineErrorsAndDistinctCodes() {
        Result usage = run("get");
        assertThat(usage.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(usage.err()).contains("Missing required parameter");

        Result tooLong = run("put", "k".repeat(2000), "v");
        assertThat(tooLong.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(tooLong.err()).contains("1024").doesNotContain("\tat ");

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(new String[] {"--seeds", "127.0.0.1:1", "--timeout", "2", "get", "x"},
                new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(exit).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(err.toString()).contains("127.0.0.1:1").hasLineCount(1);
    }

    @Test
    void statusAndRingJsonHaveTheFieldsScriptsRelyOn() throws Exception {
        JsonNode status = JSON.readTree(run("status", "--json").out());
        assertThat(status.get("cluster").asText()).isEqualTo(cluster.cluster());
        assertThat(status.get("epoch").asLong()).isPositive();
        assertThat(status.get("partitionCount").asInt()).isEqualTo(16);
        assertThat(status.get("replication").asInt()).isEqualTo(1);
        assertThat(status.get("controller").asText()).isEqualTo(cluster.controllerAddress());
        assertThat(status.get("nodes")).hasSize(3);
        int replicas = 0;
        for (JsonNode n : status.get("nodes")) {
            assertThat(n.get("id").asText()).matches("n[123]");
            assertThat(n.get("address").asText()).startsWith("127.0.0.1:");
            assertThat(n.get("zone").asText()).isNotEmpty();
            assertThat(n.get("state").asText()).isEqualTo("ACTIVE");
            assertThat(n.get("live").asBoolean()).isTrue();
            assertThat(n.has("headCount")).isTrue();
            assertThat(n.has("tailCount")).isTrue();
            replicas += n.get("partitionCount").asInt();
        }
        assertThat(replicas).isEqualTo(16);
        for (JsonNode n : status.get("nodes")) {
            JsonNode r = n.get("replication");
            assertThat(r.get("reachable").asBoolean()).as("node %s answered stats", n.get("id")).isTrue();
            assertThat(r.get("inFlight").asLong()).isNotNegative();
            assertThat(r.get("maxLagLsns").asLong()).isNotNegative();
        }
        // every partition's head reports its last and committed LSN (one replica: the head commits)
        JsonNode lag = status.get("replicationLag");
        assertThat(lag).hasSize(16);
        for (JsonNode p : lag) {
            assertThat(p.get("committedLsn").asLong()).isLessThanOrEqualTo(p.get("lastLsn").asLong());
            assertThat(p.get("head").asText()).matches("n[123]");
        }

        JsonNode ring = JSON.readTree(run("ring", "--json").out());
        assertThat(ring.get("epoch").asLong()).isEqualTo(status.get("epoch").asLong());
        assertThat(ring.get("nodes")).hasSize(3);
        assertThat(ring.get("partitions")).hasSize(16);
        JsonNode p0 = ring.get("partitions").get(0);
        assertThat(p0.get("id").asInt()).isZero();
        assertThat(p0.get("chain")).hasSize(1);
        assertThat(p0.get("changedInEpoch").asLong()).isPositive();

        Result table = run("status");
        assertThat(table.exit()).isZero();
        assertThat(table.out()).contains("NODE").contains("n1").contains("n2").contains("n3").contains("ACTIVE")
                .contains("IN-FLIGHT").contains("LAG (LSNs)").contains("replication lag:");
        assertThat(run("ring").out()).contains("PARTITION").contains("CHAIN");
    }

    @Test
    void helpAndVersionExitZero() {
        assertThat(run("--help").exit()).isZero();
        assertThat(run("datanode", "--help").out()).contains("--data-dir").contains("--zone");
        assertThat(run("controller", "--help").out()).contains("--auto-join").contains("--partitions");
    }
}
