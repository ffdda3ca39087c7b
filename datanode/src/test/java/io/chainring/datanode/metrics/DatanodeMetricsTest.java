package io.chainring.datanode.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainring.datanode.replication.ReplicaStatus;
import io.chainring.datanode.replication.Role;
import io.chainring.datanode.storage.StorageConfig;
import io.chainring.datanode.storage.StorageEngine;
import io.chainring.ring.HostPort;
import io.chainring.ring.NodeId;
import io.chainring.ring.NodeInfo;
import io.chainring.ring.NodeState;
import io.chainring.ring.Ring;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A datanode's metrics endpoint over HTTP, with a real JE environment behind the gauges. */
class DatanodeMetricsTest {
    private static final NodeId N1 = NodeId.of("n1");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    private StorageEngine storage;
    private final AtomicBoolean serving = new AtomicBoolean(true);
    private final AtomicReference<Optional<Ring>> ring = new AtomicReference<>(Optional.empty());
    private final AtomicReference<List<ReplicaStatus>> replicas = new AtomicReference<>(List.of());
    private DatanodeMetrics metrics;

    @BeforeEach
    void start() {
        storage = StorageEngine.open(StorageConfig.defaults(dir));
        storage.partition(0);
        metrics = new DatanodeMetrics(N1, storage, serving::get, ring::get, replicas::get, new DatanodeMetrics.CatchUpMeters() {
            @Override
            public long throttleBytesPerSecond() {
                return 20L << 20;
            }

            @Override
            public long catchUpBytesTotal() {
                return 12_345;
            }
        }, false);
        metrics.serve("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        metrics.close();
        storage.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metrics.port().orElseThrow() + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Ring ringWith(NodeState state) {
        return Ring.empty("c", 4, 1).withNodes(List.of(new NodeInfo(N1, new HostPort("127.0.0.1", 1), "default", state)));
    }

    @Test
    void gaugesReadTheNodeAndItsStorage() throws Exception {
        ring.set(Optional.of(ringWith(NodeState.ACTIVE)));
        String text = get("/metrics").body();
        assertThat(text).contains("chainring_datanode_serving 1.0")
                .contains("chainring_datanode_ring_epoch " + (double) ring.get().orElseThrow().epoch())
                .contains("chainring_datanode_keys 0.0")
                .contains("chainring_datanode_je_cache_hit_ratio ")
                .contains("chainring_datanode_je_cache_bytes ")
                .contains("chainring_datanode_disk_bytes ");
        double disk = Double.parseDouble(text.lines().filter(l -> l.startsWith("chainring_datanode_disk_bytes "))
                .findFirst().orElseThrow().split(" ")[1]);
        assertThat(disk).isPositive();
        assertThat(metrics.registry().find("chainring.datanode.je.cache.hit.ratio").gauge().value()).isBetween(0.0, 1.0);
    }

    @Test
    void replicationGaugesSumAndMaxOverTheReplicas() throws Exception {
        assertThat(get("/metrics").body()).contains("chainring_datanode_inflight_writes 0.0")
                .contains("chainring_datanode_replication_lag_lsns 0.0")
                .contains("chainring_datanode_replication_lag_seconds 0.0");
        replicas.set(List.of(
                new ReplicaStatus(0, Role.HEAD, 0, 10, 120, 100, 120, 20, 1500, true, 0),
                new ReplicaStatus(1, Role.MIDDLE, 1, 10, 50, 47, 50, 3, 200, true, 0),
                new ReplicaStatus(2, Role.LEARNER, 3, 0, 10, 0, 10, 0, 0, false, 0)));
        String text = get("/metrics").body();
        assertThat(text).contains("chainring_datanode_inflight_writes 23.0")
                .contains("chainring_datanode_replication_lag_lsns 20.0")
                .contains("chainring_datanode_replication_lag_seconds 1.5")
                .contains("chainring_datanode_learner_partitions 1.0");
    }

    @Test
    void perPartitionLagIsExportedWithAPartitionLabel() throws Exception {
        replicas.set(List.of(
                new ReplicaStatus(0, Role.HEAD, 0, 10, 120, 100, 120, 20, 1500, true, 0),
                new ReplicaStatus(1, Role.TAIL, 2, 10, 50, 50, 50, 0, 0, true, 0)));
        // refreshed every second, off the scrape path
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String text = get("/metrics").body();
        while (!text.contains("chainring_datanode_partition_lag_lsns{partition=\"1\"}") && System.nanoTime() < deadline) {
            Thread.sleep(100);
            text = get("/metrics").body();
        }
        assertThat(text).contains("chainring_datanode_partition_lag_lsns{partition=\"0\"} 20.0")
                .contains("chainring_datanode_partition_lag_seconds{partition=\"0\"} 1.5")
                .contains("chainring_datanode_partition_lag_lsns{partition=\"1\"} 0.0")
                .contains("chainring_datanode_partition_lag_seconds{partition=\"1\"} 0.0");
    }

    @Test
    void catchUpThrottleAndBytesAreExported() throws Exception {
        assertThat(get("/metrics").body()).contains("chainring_datanode_catchup_throttle_bytes_per_second " + (double) (20L << 20))
                .contains("chainring_datanode_catchup_bytes_total 12345.0");
    }

    @Test
    void readyOnlyWhileServingAndNotDraining() throws Exception {
        ring.set(Optional.of(ringWith(NodeState.ACTIVE)));
        assertThat(get("/readyz").statusCode()).isEqualTo(200);

        serving.set(false);
        HttpResponse<String> notServing = get("/readyz");
        assertThat(notServing.statusCode()).isEqualTo(503);
        assertThat(notServing.body()).contains("not serving");
        assertThat(get("/healthz").statusCode()).as("alive all the same").isEqualTo(200);

        serving.set(true);
        ring.set(Optional.of(ringWith(NodeState.DECOMMISSIONING)));
        HttpResponse<String> draining = get("/readyz");
        assertThat(draining.statusCode()).isEqualTo(503);
        assertThat(draining.body()).contains("draining").contains("DECOMMISSIONING");
    }

    @Test
    void servesOnce() {
        assertThatThrownBy(() -> metrics.serve("127.0.0.1", 0)).isInstanceOf(IllegalStateException.class);
    }
}
