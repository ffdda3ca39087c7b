package io.chainring.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainring.cli.evaluate.ServerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code chainring demo} as a user runs it, on ports other than the defaults (issue 17): its
 * "Try:" hint names the seeds, and the metrics endpoints sit on the ports {@code
 * --metrics-port-base} promises (the controller's on the base, datanode n<k>'s on base + k), so a
 * scraper can be pointed at them before the demo starts.
 */
class DemoProcessIT {
    private static final Duration READY = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    private ServerProcess demo;

    @AfterEach
    void stop() throws InterruptedException {
        if (demo != null) {
            demo.stop();
        }
    }

    @Test
    void demoOnOtherPortsNamesItsSeedsAndServesMetricsOnThePromisedPorts() throws Exception {
        int firstPort = Ports.freeRange(2);
        int metricsBase = Ports.freeRange(3);
        demo = new ServerProcess("demo", Path.of("target", "it-logs", "demo"), List.of("demo", "--nodes", "2",
                "--data-dir", dir.resolve("demo-data").toString(), "--ui-port", "-1",
                "--zk-port", String.valueOf(Ports.free()), "--controller-port", String.valueOf(Ports.free()),
                "--first-port", String.valueOf(firstPort), "--metrics-port-base", String.valueOf(metricsBase)));
        demo.start().awaitReady(READY);

        String seeds = "127.0.0.1:" + firstPort + ",127.0.0.1:" + (firstPort + 1);
        String out = Files.readString(demo.log(), StandardCharsets.UTF_8);
        assertThat(out).contains("Try: ./chainring --seeds " + seeds + " put hello world");
        String controllerMetrics = "http://127.0.0.1:" + metricsBase + "/metrics";
        String n1Metrics = "http://127.0.0.1:" + (metricsBase + 1) + "/metrics";
        String n2Metrics = "http://127.0.0.1:" + (metricsBase + 2) + "/metrics";
        assertThat(out).contains("metrics: controller " + controllerMetrics + ", n1 " + n1Metrics + ", n2 " + n2Metrics);

        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        for (String url : List.of(controllerMetrics, n1Metrics, n2Metrics)) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(url).isEqualTo(200);
            assertThat(r.body()).as(url).contains("chainring_");
        }
    }
}
