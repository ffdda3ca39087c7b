package io.chainring.controller.metrics;

import io.chainring.controller.migration.RebalanceService;
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
    private final Cache<ClusterSnapshot> state;
    private final BooleanSupplier ready;
    // held here: Micrometer gauges keep only weak references to what they read
    private final BooleanSupplier leader;
    private final MetricsServer server;

    private final Cache<RebalanceService.View> migrations;

    private ControllerMetrics(Supplier<ClusterSnapshot> read, Supplier<RebalanceService.View> readMigrations,
                              BooleanSupplier leader, BooleanSupplier ready, String name, String host, int port) {
        this.state = new Cache<>(read);
        this.migrations = new Cache<>(readMigrations);
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
        Gauge.builder(PREFIX + ".migrations.running", migrations, m -> m.get().map(v -> (double) v.running().size())
                        .orElse(Double.NaN))
                .description("Partition moves running (not finished)").register(r);
        Gauge.builder(PREFIX + ".plan.moves.planned", migrations, m -> m.get().flatMap(RebalanceService.View::plan)
                        .map(p -> (double) p.movesPlanned()).orElse(0.0))
                .description("Moves of the current or last plan").register(r);
        Gauge.builder(PREFIX + ".plan.moves.done", migrations, m -> m.get().map(v -> (double) v.movesDone()).orElse(Double.NaN))
                .description("Moves of the current or last plan that finished").register(r);
        Gauge.builder(PREFIX + ".migration.copied.bytes", migrations, m -> m.get().map(ControllerMetrics::copiedBytes)
                        .orElse(Double.NaN))
                .description("Bytes copied by the current or last plan's moves (running and recent)")
                .baseUnit("bytes").register(r);
        Gauge.builder(PREFIX + ".migration.throttle", migrations, m -> m.get().map(v -> (double) v.throttleBytesPerSecond())
                        .orElse(Double.NaN))
                .description("Catch-up stream throttle per node, bytes per second (0 = unlimited)")
                .baseUnit("bytes_per_second").register(r);
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
        return start(name, host, port, read, () -> {
            throw new IllegalStateException("no rebalancing state");
        }, leader, ready);
    }

    /** @param readMigrations running and recent moves, the plan and the throttle */
    public static ControllerMetrics start(String name, String host, int port, Supplier<ClusterSnapshot> read,
                                          Supplier<RebalanceService.View> readMigrations,
                                          BooleanSupplier leader, BooleanSupplier ready) {
        Objects.requireNonNull(read, "read");
        Objects.requireNonNull(readMigrations, "readMigrations");
        Objects.requireNonNull(leader, "leader");
        Objects.requireNonNull(ready, "ready");
        return new ControllerMetrics(read, readMigrations, leader, ready, name, host, port);
    }

    private static double copiedBytes(RebalanceService.View v) {
        String plan = v.plan().map(p -> p.id()).orElse("");
        long sum = 0;
        for (var m : v.running()) {
            sum += m.planId().equals(plan) ? m.bytesCopied() : 0;
        }
        for (var m : v.recent()) {
            sum += m.planId().equals(plan) ? m.bytesCopied() : 0;
        }
        return sum;
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
    private static final class Cache<T> {
        private final Supplier<T> read;
        private long readAt;
        private Optional<T> last = Optional.empty();

        Cache(Supplier<T> read) {
            this.read = read;
        }

        synchronized Optional<T> get() {
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
