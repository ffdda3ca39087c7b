package io.chainring.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainring.adminui.AdminUiServer;
import io.chainring.cli.ExitCodes;
import io.chainring.cli.Main;
import io.chainring.client.ChainringClient;
import io.chainring.client.ChainringException;
import io.chainring.client.ErrorCode;
import io.chainring.datanode.Datanode;
import io.chainring.embedded.EmbeddedCluster;
import io.chainring.ring.NodeId;
import io.chainring.ring.Ring;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * Issue 12 defect 5: one datanode at JE's free-disk limit stopped every write of the cluster while
 * {@code status} exited 0, {@code /readyz} said ready and the admin UI said ok. The node is made
 * "full" on a real JE on a temp dir by raising its free-disk limit above the free space (JE then
 * refuses writes exactly as on a full disk). Now the node says it refuses writes ({@code /readyz},
 * status, the admin UI), the controller takes it out of the chains that can write without it, and
 * where a chain cannot, its writes are refused at once with the reason instead of timing out with
 * an unknown outcome.
 */
@Tag("cluster")
class DiskLimitIT {
    private static final Logger log = LoggerFactory.getLogger(DiskLimitIT.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration BOUND = Duration.ofSeconds(30);

    @TempDir
    java.nio.file.Path tmp;

    @Test
    void aNodeAtItsDiskLimitSaysSoLeavesTheChainsAndWritesGoOn() throws Exception {
        try (EmbeddedCluster cluster = EmbeddedCluster.builder().nodes(4).partitions(8).metrics(true)
                .dataDir(tmp).build().start();
             ChainringClient client = ChainringClient.builder().seeds(cluster.seeds()).timeout(Duration.ofSeconds(10)).build()) {
            cluster.awaitFullChains(BOUND);
            for (int i = 0; i < 40; i++) {
                client.put("k" + i, "before " + i);
            }
            Ring before = cluster.ring().orElseThrow();
            NodeId victim = before.partition(0).chain().head();
            Datanode full = cluster.datanode(victim.value());
            assertThat(readyz(full).statusCode()).isEqualTo(200);
            assertThat(status(cluster.seeds()).exit()).isEqualTo(ExitCodes.OK);

            long filled = System.nanoTime();
            full.setMinFreeDisk(tmp.toFile().getUsableSpace() + (1L << 40));

            // the node tells the truth at once
            await().atMost(BOUND).until(() -> full.writeRefusal().isPresent());
            HttpResponse<String> ready = readyz(full);
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("not ready for writes").contains("free-disk limit");

            // the controller takes it out of every chain; every partition takes writes again
            Set<Integer> writable = new HashSet<>();
            long deadline = System.nanoTime() + BOUND.toNanos();
            int i = 0;
            while (writable.size() < before.partitionCount() && System.nanoTime() < deadline) {
                String key = "after " + i++;
                try {
                    client.put(key, key);
                    writable.add(cluster.ring().orElseThrow().partitionOf(key.getBytes(StandardCharsets.UTF_8)));
                } catch (ChainringException e) {
                    assertThat(e.code()).as("a write while %s is full: %s", victim, e.getMessage())
                            .isNotEqualTo(ErrorCode.INTERNAL);
                }
            }
            log.info("{} at its disk limit: every partition took writes again {} ms after", victim,
                    (System.nanoTime() - filled) / 1_000_000);
            assertThat(writable).hasSize(before.partitionCount());
            assertThat(cluster.ring().orElseThrow().partitionsOf(victim)).isEmpty();
            for (int k = 0; k < 40; k++) {
                assertThat(client.get("k" + k).map(v -> new String(v.value(), StandardCharsets.UTF_8)))
                        .contains("before " + k);
            }

            // status and the admin UI say so, through the one health rule
            await().atMost(BOUND).until(() -> status(cluster.seeds()).exit() == ExitCodes.UNAVAILABLE);
            Status s = status(cluster.seeds());
            assertThat(s.health()).isEqualTo("degraded");
            assertThat(s.problems()).contains("refusing writes: " + victim).contains("free-disk limit");
            CommandLine cli = new CommandLine(new Main());
            AdminUiCommand command = (AdminUiCommand) cli.parseArgs("--seeds", cluster.seeds(), "admin-ui", "--port", "0",
                    "--token", "disk-limit-test-token-0123456789").subcommand().commandSpec().userObject();
            try (AdminUiServer ui = command.start()) {
                await().atMost(BOUND).until(() -> "degraded".equals(uiHealth(ui)));
            }

            // space again: ready, and the cluster heals without it (its replicas went elsewhere)
            full.setMinFreeDisk(1L << 20);
            await().atMost(BOUND).until(() -> readyz(full).statusCode() == 200);
            await().atMost(BOUND).until(() -> status(cluster.seeds()).exit() == ExitCodes.OK);
        }
    }

    @Test
    void whenAChainCannotWriteWithoutTheNodeItsWritesAreRefusedAtOnceWithTheReason() throws Exception {
        try (EmbeddedCluster cluster = EmbeddedCluster.builder().nodes(3).partitions(4).dataDir(tmp).build().start();
             ChainringClient client = ChainringClient.builder().seeds(cluster.seeds()).timeout(Duration.ofSeconds(10)).build()) {
            cluster.awaitFullChains(BOUND);
            client.put("k", "v1");
            long huge = tmp.toFile().getUsableSpace() + (1L << 40);
            // one full node of three leaves the chains (2 members still write); a second cannot leave
            cluster.datanode("n1").setMinFreeDisk(huge);
            await().atMost(BOUND).until(() -> cluster.ring().orElseThrow().partitionsOf(NodeId.of("n1")).isEmpty());
            client.put("k", "v2");
            cluster.datanode("n2").setMinFreeDisk(huge);
            await().atMost(BOUND).until(() -> status(cluster.seeds()).problems().contains("take no writes"));

            long start = System.nanoTime();
            ChainringException refused = catchThrowableOfType(
                    () -> client.put("k", "v3"), ChainringException.class);
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            log.info("write refused after {} ms: {}", tookMs, refused.getMessage());
            assertThat(refused.code()).isEqualTo(ErrorCode.UNAVAILABLE);
            assertThat(refused.mayHaveBeenApplied()).isFalse();
            assertThat(refused.getMessage()).contains("refuses").contains("free-disk limit");
            // reads go on, and see the last acknowledged write
            assertThat(client.get("k").map(v -> new String(v.value(), StandardCharsets.UTF_8))).contains("v2");
        }
    }

    private record Status(int exit, String health, String problems) {
    }

    private static Status status(String seeds) throws Exception {
        StringWriter out = new StringWriter();
        int exit = Main.run(new String[] {"--seeds", seeds, "status", "--json"}, new PrintWriter(out, true),
                new PrintWriter(new StringWriter(), true));
        JsonNode o = JSON.readTree(out.toString());
        return new Status(exit, o.get("health").asText(), o.get("problems").toString());
    }

    private static HttpResponse<String> readyz(Datanode node) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + node.metricsPort().orElseThrow() + "/readyz"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String uiHealth(AdminUiServer ui) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(ui.url() + "api/overview"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body()).get("health").asText();
    }
}
