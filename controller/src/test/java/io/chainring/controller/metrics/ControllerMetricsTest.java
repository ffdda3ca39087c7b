package io.chainring.controller.metrics;

import io.chainring.metadata.ThrottleStore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.chainring.controller.Controller;
import io.chainring.controller.ControllerConfig;
import io.chainring.controller.TestConfigs;
import io.chainring.ring.plan.BalancedPlanner;
import io.chainring.testing.ZooKeeperServerExtension;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The controller's /metrics, /healthz and /readyz over HTTP, against a real ZooKeeper. */
@Tag("cluster")
class ControllerMetricsTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    @RegisterExtension
    static final ZooKeeperServerExtension zooKeeper = new ZooKeeperServerExtension();

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesLeadershipAndClusterGaugesWhileRunning() throws Exception {
        ControllerConfig config = TestConfigs.fast(zooKeeper.connectString(), TestConfigs.freshCluster()).metricsPort(0).build();
        int port;
        try (Controller c = new Controller(config, new BalancedPlanner()).start()) {
            port = c.metricsPort().orElseThrow();
            await().atMost(Duration.ofSeconds(10)).until(c::isLeader);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(get(port, "/metrics").body()).contains("chainring_controller_leader 1.0"));
            System.gc(); // gauges must not read through references the collector may clear
            System.gc();
            String text = get(port, "/metrics").body();
            assertThat(text).contains("chainring_controller_leader 1.0")
                    .contains("chainring_controller_nodes_registered 0.0")
                    .contains("chainring_controller_nodes_live 0.0")
                    .contains("chainring_controller_ring_epoch NaN") // no ring before any datanode registered
                    .contains("chainring_controller_migrations_running 0.0")
                    .contains("chainring_controller_plan_moves_planned 0.0")
                    .contains("chainring_controller_migration_copied_bytes 0.0")
                    .contains("chainring_controller_migration_throttle_bytes_per_second " + (double) ThrottleStore.DEFAULT_BYTES_PER_SECOND)
                    .contains("jvm_threads_live_threads");
            assertThat(get(port, "/healthz").statusCode()).isEqualTo(200);
            assertThat(get(port, "/readyz").statusCode()).isEqualTo(200);
        }
        assertThatThrownBy(() -> get(port, "/healthz")).isInstanceOf(ConnectException.class);
    }

    @Test
    void offByDefaultAndValidated() throws Exception {
        ControllerConfig config = TestConfigs.fast(zooKeeper.connectString(), TestConfigs.freshCluster()).build();
        assertThat(config.metricsPort()).isEqualTo(-1);
        try (Controller c = new Controller(config, new BalancedPlanner()).start()) {
            assertThat(c.metricsPort()).isEmpty();
        }
        assertThatThrownBy(() -> TestConfigs.fast("zk:1", "c").metricsPort(-2).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("metrics port");
    }
}
