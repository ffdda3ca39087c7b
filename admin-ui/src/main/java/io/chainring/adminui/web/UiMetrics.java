package io.chainring.adminui.web;

import io.chainring.adminui.cluster.ClusterPoller;
import io.chainring.adminui.cluster.ClusterSnapshot;
import io.chainring.client.ClusterHealth;
import io.chainring.client.ClusterHealth.PartitionHealth;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.ToDoubleFunction;

/**
 * The admin UI's own meters: HTTP requests by route (the route pattern, never the raw path) and
 * status, polls of the cluster by result, and what the last good poll saw.
 *
 * <ul>
 *   <li>{@code chainring_adminui_http_requests_total{method, route, status}}</li>
 *   <li>{@code chainring_adminui_http_request_seconds{route}} (histogram)</li>
 *   <li>{@code chainring_adminui_polls_total{result="ok|failed"}}</li>
 *   <li>{@code chainring_adminui_ring_epoch}, {@code chainring_adminui_nodes{live="true|false"}},
 *       {@code chainring_adminui_partitions{health="ok|under_replicated|degraded|unavailable"}},
 *       {@code chainring_adminui_sessions},
 *       {@code chainring_adminui_migrations_running} (moves in progress, as the last poll read them)</li>
 * </ul>
 */
public final class UiMetrics {
    private static final Duration[] BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(25),
            Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofSeconds(10)};

    private final MeterRegistry registry;

    public UiMetrics(MeterRegistry registry, ClusterPoller poller, Security security) {
        this.registry = registry;
        FunctionCounter.builder("chainring.adminui.polls", poller, ClusterPoller::goodPolls).tag("result", "ok")
                .description("Polls of the cluster, by result").register(registry);
        FunctionCounter.builder("chainring.adminui.polls", poller, ClusterPoller::failedPolls).tag("result", "failed")
                .description("Polls of the cluster, by result").register(registry);
        gauge("chainring.adminui.ring.epoch", "Ring epoch the last good poll saw", poller,
                p -> p.snapshot().hasData() ? p.snapshot().ring().epoch() : Double.NaN);
        for (boolean live : new boolean[]{true, false}) {
            Gauge.builder("chainring.adminui.nodes", poller, p -> countNodes(p.snapshot(), live))
                    .description("Registered datanodes, by liveness").tag("live", String.valueOf(live)).register(registry);
        }
        for (PartitionHealth h : PartitionHealth.values()) {
            Gauge.builder("chainring.adminui.partitions", poller, p -> countPartitions(p.snapshot(), h))
                    .description("Partitions, by health").tag("health", h.label()).register(registry);
        }
        gauge("chainring.adminui.sessions", "Logged-in admin sessions", security, Security::sessionCount);
        gauge("chainring.adminui.migrations.running", "Partition moves in progress, as the last poll read them", poller,
                p -> p.migrations() == null ? Double.NaN : p.migrations().running().size());
    }

    private <T> void gauge(String name, String description, T obj, ToDoubleFunction<T> f) {
        Gauge.builder(name, obj, f).description(description).register(registry);
    }

    private static double countNodes(ClusterSnapshot s, boolean live) {
        return s.hasData() ? s.status().nodes().stream().filter(n -> n.live() == live).count() : Double.NaN;
    }

    private static double countPartitions(ClusterSnapshot s, PartitionHealth h) {
        if (!s.hasData()) {
            return Double.NaN;
        }
        return ClusterHealth.of(s.status(), s.ring()).partitions().get(h);
    }

    /** Javalin's request logger hook: called once per request with its duration. */
    public void record(Context ctx, Float millis) {
        String route = route(ctx);
        Counter.builder("chainring.adminui.http.requests").description("HTTP requests, by route and status")
                .tag("method", ctx.method().name()).tag("route", route).tag("status", String.valueOf(ctx.statusCode()))
                .register(registry).increment();
        Timer.builder("chainring.adminui.http.request").description("HTTP request latency, by route")
                .tag("route", route).serviceLevelObjectives(BUCKETS).register(registry)
                .record(Duration.ofNanos((long) (millis * 1_000_000L)));
    }

    /** The matched route pattern; static files and unknown paths share one label each, so paths cannot blow up the series. */
    private static String route(Context ctx) {
        try {
            var endpoint = ctx.endpoints().matchedHttpEndpoint();
            if (endpoint != null) {
                return endpoint.path;
            }
        } catch (RuntimeException e) {
            // no endpoint matched: fall through
        }
        return ctx.path().startsWith("/api/") ? "unmatched" : "static";
    }
}
