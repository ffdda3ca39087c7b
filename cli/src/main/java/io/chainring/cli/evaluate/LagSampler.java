package io.chainring.cli.evaluate;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the replication lag the datanodes report on their Prometheus endpoints while a run
 * goes on ({@code chainring_datanode_replication_lag_lsns} and
 * {@code chainring_datanode_replication_lag_seconds}), every 250 ms, and keeps the peak: the
 * evaluation shows the lag as an operator would see it, not as the workload infers it.
 */
final class LagSampler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LagSampler.class);
    static final String LAG_LSNS = "chainring_datanode_replication_lag_lsns";
    static final String LAG_SECONDS = "chainring_datanode_replication_lag_seconds";

    /** The highest lag seen. */
    record Peak(long lagLsns, double lagMillis) {
    }

    private final List<String> urls;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long maxLsns;
    private volatile double maxMillis;

    LagSampler(Collection<String> urls) {
        this.urls = List.copyOf(urls);
        this.thread = new Thread(this::loop, "eval-lag-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (running) {
            for (String url : urls) {
                sample(url);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void sample(String url) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(1)).build(),
                    HttpResponse.BodyHandlers.ofString());
            for (String line : r.body().split("\n")) {
                if (line.startsWith(LAG_LSNS)) {
                    maxLsns = Math.max(maxLsns, (long) value(line));
                } else if (line.startsWith(LAG_SECONDS)) {
                    maxMillis = Math.max(maxMillis, value(line) * 1000);
                }
            }
        } catch (IOException e) {
            // a node that is down or cut off has no metrics for now: the others still count
            log.trace("metrics of {}: {}", url, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private static double value(String line) {
        String v = line.substring(line.lastIndexOf(' ') + 1);
        try {
            double d = Double.parseDouble(v);
            return Double.isNaN(d) ? 0 : d;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    Peak peak() {
        return new Peak(maxLsns, maxMillis);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(5_000);
    }
}
