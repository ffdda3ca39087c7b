package io.chainring.adminui;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainring.client.ChainringClient;
import io.chainring.controller.Controller;
import io.chainring.controller.ControllerConfig;
import io.chainring.datanode.Datanode;
import io.chainring.ring.plan.BalancedPlanner;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The datanode's and the controller's /metrics, /healthz and /readyz over HTTP, in a real embedded
 * cluster: a datanode restarted with its metrics port on, and a second (standby) controller.
 */
class MetricsEndpointsIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static UiFixture f;
    private static Datanode n3;

    @BeforeAll
    static void start() throws Exception {
        f = UiFixture.start(false);
        n3 = f.restartOnNewPort("n3", 0);
        f.await("n3 serving again", Duration.ofSeconds(30), n3::isServing);
    }

    @AfterAll
    static void stop() {
        if (f != null) {
            f.close();
        }
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static double value(String text, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
        assertThat(m.find()).as("series %s in%n%s", series, text).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void datanodeCountsRequestsByOpAndResultAndReportsItsState() throws Exception {
        int port = n3.metricsPort().orElseThrow();
        String before = get(port, "/metrics").body();
        double putsBefore = value(before, "chainring_datanode_requests_total{op=\"put\",result=\"ok\"}");
        int n3Partitions;
        try (ChainringClient client = ChainringClient.builder().seeds(f.cluster.seeds() + ",127.0.0.1:" + n3.port()).build()) {
            for (int i = 0; i < 200; i++) {
                client.put("metrics-key-" + i, "v");
                client.get("metrics-key-" + i);
            }
            // the chains n3 is in (R = 1: about a third of the partitions)
            n3Partitions = n3.ring().orElseThrow().partitionsOf(io.chainring.ring.NodeId.of("n3")).size();
        }
        String text = get(port, "/metrics").body();
        double puts = value(text, "chainring_datanode_requests_total{op=\"put\",result=\"ok\"}") - putsBefore;
        assertThat(n3Partitions).isPositive();
        assertThat(puts).as("puts n3 served").isBetween(1.0, 200.0);
        assertThat(value(text, "chainring_datanode_requests_total{op=\"get\",result=\"ok\"}")).isPositive();
        assertThat(value(text, "chainring_datanode_request_seconds_count{op=\"put\"}")).isGreaterThanOrEqualTo(puts);
        assertThat(text).contains("chainring_datanode_request_seconds_bucket{op=\"put\",le=\"0.001\"}");
        assertThat(value(text, "chainring_datanode_ring_epoch")).isEqualTo((double) n3.ring().orElseThrow().epoch());
        assertThat(value(text, "chainring_datanode_serving")).isEqualTo(1.0);
        assertThat(value(text, "chainring_datanode_partitions")).isEqualTo((double) n3Partitions);
        assertThat(value(text, "chainring_datanode_disk_bytes")).isPositive();
        assertThat(value(text, "chainring_datanode_je_cache_hit_ratio")).isBetween(0.0, 1.0);
        assertThat(value(text, "chainring_datanode_keys")).isPositive();
        assertThat(text).contains("chainring_datanode_inflight_writes ").contains("chainring_datanode_replication_lag_seconds ")
                .contains("jvm_memory_used_bytes").doesNotContain("metrics-key-");
        assertThat(get(port, "/healthz").statusCode()).isEqualTo(200);
        assertThat(get(port, "/readyz").statusCode()).isEqualTo(200);
    }

    @Test
    void aStandbyControllerReportsTheClusterAndThatItDoesNotLead() throws Exception {
        ControllerConfig config = ControllerConfig.builder(f.cluster.zkConnect()).cluster(f.cluster.cluster())
                .metricsPort(0).build();
        try (Controller standby = new Controller(config, new BalancedPlanner()).start()) {
            int port = standby.metricsPort().orElseThrow();
            String text = get(port, "/metrics").body();
            assertThat(value(text, "chainring_controller_leader")).isEqualTo(0.0);
            assertThat(value(text, "chainring_controller_ring_epoch")).isEqualTo((double) n3.ring().orElseThrow().epoch());
            assertThat(value(text, "chainring_controller_nodes_registered")).isEqualTo(3.0);
            assertThat(value(text, "chainring_controller_nodes_live")).isEqualTo(3.0);
            assertThat(get(port, "/readyz").statusCode()).as("a standby is ready: it stands by").isEqualTo(200);
        }
    }
}
