package io.chainring.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainring.client.ChainringClient;
import io.chainring.embedded.EmbeddedCluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code node}, {@code plan}, {@code migrations} and {@code throttle} against a real embedded
 * cluster: tables, the JSON fields scripts rely on, and exit codes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("cluster")
class RebalanceCommandsIT {
    private static final String TOKEN = "rebalance-cli-it-token";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static EmbeddedCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = EmbeddedCluster.builder().nodes(3).partitions(16).replication(2).adminToken(TOKEN).build().start();
        try (ChainringClient c = ChainringClient.builder().seeds(cluster.seeds()).build()) {
            for (int i = 0; i < 200; i++) {
                c.put(("k" + i).getBytes(StandardCharsets.UTF_8), ("v" + i).getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static CliRun.Result run(String... args) {
        return CliRun.run(cluster.seeds(), null, args);
    }

    @Test
    @Order(1)
    void throttleShowsSetsAndRejectsGarbageAndMissingOrWrongTokens() throws Exception {
        CliRun.Result garbage = run("throttle", "fast", "--token", TOKEN);
        assertThat(garbage.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(garbage.err()).contains("not a size").hasLineCount(1);

        CliRun.Result noToken = run("throttle", "20MB");
        assertThat(noToken.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(noToken.err()).contains("no admin token").contains("--token").contains("CHAINRING_ADMIN_TOKEN");

        CliRun.Result wrong = run("throttle", "20MB", "--token", "wrong-token-123");
        assertThat(wrong.exit()).isEqualTo(ExitCodes.FAILURE);
        assertThat(wrong.err()).startsWith("chainring throttle: ").hasLineCount(1).doesNotContain("\tat ");

        CliRun.Result set = run("throttle", "20MB", "--token", TOKEN);
        assertThat(set.exit()).isZero();
        assertThat(set.out()).contains("throttle set to 19.1 MiB/s per node (20000000 B/s)");
        assertThat(run("throttle").out()).contains("throttle 19.1 MiB/s per node");
        JsonNode json = JSON.readTree(run("throttle", "--json").out());
        assertThat(json.get("throttleBytesPerSecond").asLong()).isEqualTo(20_000_000L);
        JsonShapes.check("throttle", json);
    }

    @Test
    @Order(2)
    void refusalsHaveOneLineAndTheirExitCodes() {
        CliRun.Result unknown = run("plan", "decommission", "n99");
        assertThat(unknown.exit()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(unknown.err()).startsWith("chainring plan decommission: ").contains("n99").hasLineCount(1);

        CliRun.Result live = run("node", "remove", "n1", "--yes", "--token", TOKEN);
        assertThat(live.exit()).isEqualTo(ExitCodes.FAILURE);
        assertThat(live.err()).startsWith("chainring node remove: ").hasLineCount(1);

        CliRun.Result pause = run("plan", "pause", "--token", TOKEN);
        assertThat(pause.exit()).isEqualTo(ExitCodes.FAILURE);
        assertThat(pause.err()).startsWith("chainring plan pause: ");

        assertThat(run("plan", "cancel").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run("node").exit()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    @Order(3)
    void aNodeIsPreviewedAddedAndWatchedToTheEnd() throws Exception {
        String n4 = cluster.addDatanode().value();
        await().atMost(Duration.ofSeconds(20)).until(() -> run("nodes").out().contains(n4));

        CliRun.Result table = run("plan", "add", n4);
        assertThat(table.exit()).isZero();
        assertThat(table.out()).contains("add " + n4).contains("lower bound").contains("NODE").contains("0 → ")
                .contains("PARTITION");
        JsonNode preview = JSON.readTree(run("plan", "add", n4, "--json").out());
        assertThat(preview.get("moveCount").asInt()).isEqualTo(preview.get("lowerBound").asInt()).isPositive();
        assertThat(preview.get("moves")).hasSize(preview.get("moveCount").asInt());
        assertThat(preview.get("moves").get(0).get("to").asText()).isEqualTo(n4);
        assertThat(preview.get("action").asText()).isEqualTo("add");
        JsonShapes.check("plan add", preview);
        JsonShapes.checkEach("plan add", preview, "balance");
        JsonShapes.checkEach("plan add", preview, "moves");
        // 200 keys are stored: the estimate comes from the source replicas' own counts, not 0
        assertThat(preview.get("estimatedBytes").asLong()).as("a real estimate").isPositive();
        assertThat(preview.get("estimatedKeys").asLong()).isPositive();

        CliRun.Result noYes = run("node", "add", n4, "--token", TOKEN);
        assertThat(noYes.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(noYes.out()).contains("lower bound");
        assertThat(noYes.err()).contains("--yes");

        CliRun.Result added = run("node", "add", n4, "--yes", "--token", TOKEN, "--json");
        assertThat(added.exit()).as(added.err()).isZero();
        JsonNode addedJson = JSON.readTree(added.out());
        JsonShapes.check("node add", addedJson);
        JsonShapes.check("plan add", addedJson.get("preview"));
        JsonShapes.check("plan .plan", addedJson.get("plan"));
        JsonNode planNow = JSON.readTree(run("plan", "--json").out());
        JsonShapes.check("plan", planNow);
        JsonShapes.check("plan .plan", planNow.get("plan"));

        CliRun.Result watched = run("migrations", "--watch", "--json", "--watch-limit", "90");
        assertThat(watched.exit()).isZero();
        List<String> lines = watched.outLines();
        JsonNode last = JSON.readTree(lines.get(lines.size() - 1));
        assertThat(last.fieldNames()).toIterable().containsExactly("running", "recent", "plan", "throttleBytesPerSecond", "repair");
        JsonShapes.check("migrations", last);
        JsonShapes.check("migrations .repair", last.get("repair"));
        JsonShapes.check("plan .plan", last.get("plan"));
        JsonShapes.checkEach("migrations", last, "recent");
        for (String line : lines) {
            JsonShapes.checkEach("migrations", JSON.readTree(line), "running");
        }
        assertThat(last.get("repair").get("chainsBelowRCount").asInt()).isZero();
        assertThat(last.get("repair").get("bytesPerSecond").asLong()).isPositive();
        assertThat(last.get("running")).isEmpty();
        assertThat(last.get("plan").get("state").asText()).isEqualTo("DONE");
        assertThat(last.get("plan").get("action").asText()).isEqualTo("add");
        assertThat(last.get("throttleBytesPerSecond").asLong()).isEqualTo(20_000_000L);
        JsonNode move = last.get("recent").get(0);
        for (String field : List.of("id", "partition", "from", "to", "step", "keysCopied", "bytesCopied", "startedAt")) {
            assertThat(move.has(field)).as(field).isTrue();
        }
        assertThat(move.get("to").asText()).isEqualTo(n4);

        CliRun.Result migrations = run("migrations");
        assertThat(migrations.exit()).isZero();
        assertThat(migrations.out()).contains("DONE").contains("throttle 19.1 MiB/s per node").contains("no moves running")
                .contains("recent:");
        CliRun.Result plan = run("plan");
        assertThat(plan.out()).contains("add " + n4).contains("DONE");
        assertThat(JSON.readTree(run("plan", "--json").out()).get("plan").get("state").asText()).isEqualTo("DONE");
    }
}
