package io.chainring.controller.metrics;

import io.chainring.controller.state.ClusterSnapshot;
import io.chainring.metadata.VersionedRing;
import io.chainring.observability.MetricsServer;
import io.chainring.observability.ProcessMetrics;
import io.chainring.observability.Readiness;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A controller's meters and its {@code /metrics}, {@code /healthz}, {@code /readyz} endpoint:
 * {@code chainring_controller_leader} (1 while this controller leads and may act),
 * {@code chainring_controller_ring_epoch}, {@code chainring_controller_nodes_registered},
 * {@code chainring_controller_nodes_live}. Cluster state is read from ZooKeeper at most once a
 * second, on scrape, so followers report it too. Ready while running with a ZooKeeper connection
 * (a follower is ready: it stands by).
 */
public final class ControllerMetrics implements AutoCloseable {
    private static final String PREFIX = "chainring.controller";

    private final ProcessMetrics metrics = ProcessMetrics.withJvmMetrics();
    private final StateCache state;
    private final BooleanSupplier ready;
    // held here: Micrometer gauges keep only weak references to what they read
    private final BooleanSupplier leader;
    private final MetricsServer server;

    private ControllerMetrics(Supplier<ClusterSnapshot> read, BooleanSupplier leader, BooleanSupplier ready, String name,
                              String host, int port) {
        this.state = new StateCache(read);
        this.ready = ready;
        this.leader = leader;
        MeterRegistry r = metrics.registry();
        Gauge.builder(PREFIX + ".leader", this, m -> m.leader.getAsBoolean() ? 1 : 0)
                .description("1 while this controller leads and may write the ring").register(r);
        Gauge.builder(PREFIX + ".ring.epoch", state, s -> s.get().flatMap(ClusterSnapshot::ring)
                        .map(VersionedRing::ring).map(x -> (double) x.epoch()).orElse(Double.NaN))
                .description("Epoch of the ring in ZooKeeper").register(r);
        Gauge.builder(PREFIX + ".nodes.registered", state, s -> s.get().map(x -> (double) x.registered().size()).orElse(Double.NaN))
                .description("Datanodes registered under nodes/").register(r);
        Gauge.builder(PREFIX + ".nodes.live", state, s -> s.get().map(x -> (double) x.live().size()).orElse(Double.NaN))
                .description("Datanodes with a live ZooKeeper session").register(r);
        this.server = MetricsServer.start(name, host, port, metrics, () -> this.ready.getAsBoolean()
                ? Readiness.Status.READY
                : Readiness.Status.notReady("not running or not connected to ZooKeeper"));
    }

    /**
     * Registers the meters and serves them on {@code host:port} (0 = a free port).
     *
     * @param read   reads the cluster state from ZooKeeper
     * @param leader whether this controller leads now
     * @param ready  whether it runs with a ZooKeeper connection
     */
    public static ControllerMetrics start(String name, String host, int port, Supplier<ClusterSnapshot> read,
                                          BooleanSupplier leader, BooleanSupplier ready) {
        Objects.requireNonNull(read, "read");
        Objects.requireNonNull(leader, "leader");
        Objects.requireNonNull(ready, "ready");
        return new ControllerMetrics(read, leader, ready, name, host, port);
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
        metrics.close();
    }

    /** One ZooKeeper read per second at most, however many gauges a scrape reads; a failed read reads as NaN. */
    private static final class StateCache {
        private final Supplier<ClusterSnapshot> read;
        private long readAt;
        private Optional<ClusterSnapshot> last = Optional.empty();

        StateCache(Supplier<ClusterSnapshot> read) {
            this.read = read;
        }

        synchronized Optional<ClusterSnapshot> get() {
            long now = System.nanoTime();
            if (readAt == 0 || now - readAt > 1_000_000_000L) {
                try {
                    last = Optional.of(read.get());
                } catch (RuntimeException e) {
                    last = Optional.empty();
                }
                readAt = now;
            }
            return last;
        }
    }
}
