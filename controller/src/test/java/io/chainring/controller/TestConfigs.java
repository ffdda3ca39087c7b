package io.chainring.controller;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** Controller configs with short timings, and fresh cluster names so tests share a ZooKeeper. */
public final class TestConfigs {
    private static final AtomicInteger CLUSTERS = new AtomicInteger();

    private TestConfigs() {
    }

    public static String freshCluster() {
        return "test-" + CLUSTERS.incrementAndGet();
    }

    public static ControllerConfig.Builder fast(String zkConnect, String cluster) {
        return ControllerConfig.builder(zkConnect)
                .cluster(cluster)
                .tick(Duration.ofMillis(100))
                .settle(Duration.ofMillis(200))
                .sessionTimeout(Duration.ofSeconds(10))
                .connectTimeout(Duration.ofSeconds(10));
    }
}
