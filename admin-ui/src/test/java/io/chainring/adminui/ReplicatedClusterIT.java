package io.chainring.adminui;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainring.client.ChainringClient;
import io.chainring.controller.Controller;
import io.chainring.controller.ControllerConfig;
import io.chainring.datanode.Datanode;
import io.chainring.ring.NodeId;
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
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A real embedded cluster with R = 3 (writes replicate) and its metrics endpoints on: the
 * datanodes' and the controllers' /metrics, /healthz and /readyz over HTTP (plus a second,
 * standby controller), and the admin UI's health view when a datanode stops and the controller
 * repairs the chains without it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("cluster")
class ReplicatedClusterIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static UiFixture f;

    @BeforeAll
    static void start() throws Exception {
        f = UiFixture.start(false, true, 3);
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

    private static double sumOver(String series) throws Exception {
        double sum = 0;
        for (Datanode n : f.cluster.datanodes()) {
            sum += value(get(n.metricsPort().orElseThrow(), "/metrics").body(), series);
        }
        return sum;
    }

    @Test
    @Order(1)
    void datanodesCountRequestsByOpAndResultAndReportTheirState() throws Exception {
        String putOk = "chainring_datanode_requests_total{op=\"put\",result=\"ok\"}";
        double putsBefore = sumOver(putOk);
        try (ChainringClient client = ChainringClient.builder().seeds(f.cluster.seeds()).build()) {
            for (int i = 0; i < 200; i++) {
                client.put("metrics-key-" + i, "v");
                client.get("metrics-key-" + i);
            }
        }
        assertThat(sumOver(putOk) - putsBefore).as("every put counted once, at its head").isEqualTo(200.0);
        assertThat(sumOver("chainring_datanode_replication_requests_total{op=\"replicate\",result=\"ok\"}"))
                .as("heads and middles stream to their successors").isPositive();
        // with ALL acks the tail committed every write; the commit reaches the upstream nodes with the next acks
        f.await("no write left in flight", Duration.ofSeconds(20), () -> {
            try {
                return sumOver("chainring_datanode_inflight_writes") == 0.0;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(sumOver("chainring_datanode_requests_total{op=\"get\",result=\"ok\"}")).isGreaterThanOrEqualTo(200.0);

        Datanode n1 = f.cluster.datanode("n1");
        int port = n1.metricsPort().orElseThrow();
        String text = get(port, "/metrics").body();
        assertThat(value(text, "chainring_datanode_request_seconds_count{op=\"put\"}"))
                .isEqualTo(value(text, putOk));
        assertThat(text).contains("chainring_datanode_request_seconds_bucket{op=\"put\",le=\"0.001\"}");
        assertThat(value(text, "chainring_datanode_ring_epoch")).isEqualTo((double) n1.ring().orElseThrow().epoch());
        assertThat(value(text, "chainring_datanode_serving")).isEqualTo(1.0);
        assertThat(value(text, "chainring_datanode_partitions"))
                .isEqualTo((double) n1.ring().orElseThrow().partitionsOf(NodeId.of("n1")).size());
        assertThat(value(text, "chainring_datanode_disk_bytes")).isPositive();
        assertThat(value(text, "chainring_datanode_je_cache_hit_ratio")).isBetween(0.0, 1.0);
        assertThat(value(text, "chainring_datanode_keys")).isPositive();
        assertThat(text).contains("chainring_datanode_replication_lag_seconds ").contains("jvm_memory_used_bytes")
                .doesNotContain("metrics-key-");
        assertThat(get(port, "/healthz").statusCode()).isEqualTo(200);
        assertThat(get(port, "/readyz").statusCode()).isEqualTo(200);
    }

    @Test
    @Order(1)
    void theLeaderAndAStandbyControllerReportTheCluster() throws Exception {
        long epoch = f.cluster.datanode("n1").ring().orElseThrow().epoch();
        int leaderPort = f.cluster.controller().metricsPort().orElseThrow();
        // leadership may blink under a loaded machine (a suspended ZooKeeper connection); it comes back
        f.await("the embedded controller to report leading", Duration.ofSeconds(20), () -> {
            try {
                return value(get(leaderPort, "/metrics").body(), "chainring_controller_leader") == 1.0;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(value(get(leaderPort, "/metrics").body(), "chainring_controller_ring_epoch")).isEqualTo((double) epoch);

        ControllerConfig config = ControllerConfig.builder(f.cluster.zkConnect()).cluster(f.cluster.cluster())
                .metricsPort(0).build();
        try (Controller standby = new Controller(config, new BalancedPlanner()).start()) {
            int port = standby.metricsPort().orElseThrow();
            String text = get(port, "/metrics").body();
            assertThat(value(text, "chainring_controller_leader")).isEqualTo(0.0);
            assertThat(value(text, "chainring_controller_ring_epoch")).isEqualTo((double) epoch);
            assertThat(value(text, "chainring_controller_nodes_registered")).isEqualTo(3.0);
            assertThat(value(text, "chainring_controller_nodes_live")).isEqualTo(3.0);
            assertThat(get(port, "/readyz").statusCode()).as("a standby is ready: it stands by").isEqualTo(200);
        }
    }

    @Test
    @Order(2)
    void aStoppedDatanodeShowsAsDegradedThenUnderReplicatedChains() throws Exception {
        Datanode n3 = f.cluster.datanode("n3");
        int port = n3.metricsPort().orElseThrow();
        assertThat(get(port, "/readyz").statusCode()).isEqualTo(200);
        f.cluster.stopDatanode("n3");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> get(port, "/healthz"))
                .isInstanceOf(java.net.ConnectException.class);

        // the controller drops n3 from every chain; with no spare node the chains stay at two of three
        f.await("chains repaired without n3", Duration.ofSeconds(30), () -> {
            var s = f.ui.poller().snapshot();
            return s.hasData() && s.ring().partitions().stream().allMatch(p -> p.chain().size() == 2 && !p.chain().contains("n3"));
        });
        f.ui.poller().pollOnce();
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(f.url("/api/overview"))).build(),
                HttpResponse.BodyHandlers.ofString());
        var o = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body());
        assertThat(o.get("health").asText()).isEqualTo("degraded");
        assertThat(o.get("nodesDown").asInt()).isEqualTo(1);
        assertThat(o.get("partitionsUnderReplicated").asInt()).isEqualTo(UiFixture.PARTITIONS);
        assertThat(o.get("partitionsUnavailable").asInt()).isZero();
        assertThat(o.get("problems").toString()).contains("down: n3").contains("with fewer than 3 replicas");
        assertThat(f.ui.events().newestFirst(50)).anySatisfy(e -> {
            assertThat(e.kind()).isEqualTo(io.chainring.adminui.cluster.ClusterEvent.Kind.RING_CHANGE);
            assertThat(e.summary()).contains("chains changed");
        });
    }
}
