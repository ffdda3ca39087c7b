package io.chainring.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MetricsServerTest {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicBoolean ready = new AtomicBoolean(true);
    private ProcessMetrics metrics;
    private MetricsServer server;

    @BeforeEach
    void start() {
        metrics = ProcessMetrics.withJvmMetrics();
        server = MetricsServer.start("test", "127.0.0.1", 0, metrics, Readiness.when(ready::get, "draining"));
    }

    @AfterEach
    void stop() {
        server.close();
        metrics.close();
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(Duration.ofSeconds(5))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return http.send(req, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesPrometheusTextWithChainringNamesAndJvmMeters() throws Exception {
        Counter.builder("chainring.test.things").tag("kind", "a").register(metrics.registry()).increment(3);
        Gauge.builder("chainring.test.disk", () -> 42).baseUnit("bytes").register(metrics.registry());

        HttpResponse<String> r = send("GET", "/metrics");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue(MetricsServer.PROMETHEUS_CONTENT_TYPE);
        assertThat(r.body()).contains("chainring_test_things_total{kind=\"a\"} 3.0")
                .contains("chainring_test_disk_bytes 42.0")
                .contains("jvm_memory_used_bytes");
    }

    @Test
    void healthIsAliveAndReadinessFollowsTheCheck() throws Exception {
        assertThat(send("GET", "/healthz").statusCode()).isEqualTo(200);
        assertThat(send("GET", "/readyz").statusCode()).isEqualTo(200);

        ready.set(false);
        HttpResponse<String> notReady = send("GET", "/readyz");
        assertThat(notReady.statusCode()).isEqualTo(503);
        assertThat(notReady.body()).contains("not ready: draining");
        assertThat(send("GET", "/healthz").statusCode()).as("alive though not ready").isEqualTo(200);
    }

    @Test
    void refusesOtherMethodsAndPaths() throws Exception {
        HttpResponse<String> post = send("POST", "/metrics");
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
        assertThat(send("GET", "/nothing").statusCode()).isEqualTo(404);
        assertThat(send("GET", "/metrics/extra").statusCode()).isEqualTo(404);
        assertThat(send("HEAD", "/healthz").statusCode()).isEqualTo(200);
    }

    @Test
    void aFailingGaugeDoesNotBreakTheEndpoint() throws Exception {
        Gauge.builder("chainring.test.broken", () -> {
            throw new IllegalStateException("boom");
        }).register(metrics.registry());
        Counter.builder("chainring.test.fine").register(metrics.registry()).increment();

        HttpResponse<String> r = send("GET", "/metrics");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("chainring_test_fine_total 1.0");
    }

    @Test
    void aTakenPortFailsWithAClearMessage() {
        assertThatThrownBy(() -> MetricsServer.start("second", "127.0.0.1", server.port(), metrics, Readiness.always()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot bind the metrics endpoint of second to 127.0.0.1:" + server.port());
        assertThatThrownBy(() -> MetricsServer.start("bad", "127.0.0.1", 70000, metrics, Readiness.always()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0..65535");
    }

    @Test
    void closeReleasesThePort() throws Exception {
        String url = server.url();
        server.close();
        server.close(); // idempotent
        HttpRequest req = HttpRequest.newBuilder(URI.create(url + "/healthz")).timeout(Duration.ofSeconds(5)).build();
        assertThatThrownBy(() -> http.send(req, HttpResponse.BodyHandlers.ofString())).isInstanceOf(ConnectException.class);
    }
}
