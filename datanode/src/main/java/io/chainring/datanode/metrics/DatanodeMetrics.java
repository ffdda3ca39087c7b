package io.chainring.datanode.metrics;

import io.chainring.datanode.replication.ReplicaStatus;
import io.chainring.datanode.replication.Role;
import io.chainring.datanode.storage.PartitionStore;
import io.chainring.datanode.storage.StorageEngine;
import io.chainring.datanode.storage.StorageStats;
import io.chainring.observability.MetricsServer;
import io.chainring.observability.ProcessMetrics;
import io.chainring.observability.Readiness;
import io.chainring.observability.ServiceMetrics;
import io.chainring.ring.NodeId;
import io.chainring.ring.NodeInfo;
import io.chainring.ring.NodeState;
import io.chainring.ring.Ring;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A datanode's meters and its {@code /metrics}, {@code /healthz}, {@code /readyz} endpoint.
 *
 * <ul>
 *   <li>{@code chainring_datanode_requests_total{op, result}} and
 *       {@code chainring_datanode_request_seconds{op}} (histogram), for every Thrift service
 *       wrapped with {@link #instrument}: op is the method ({@code get}, {@code put},
 *       {@code compare_and_set}, ...), result {@code ok} or the error ({@code stale_routing},
 *       {@code not_serving}, ...); node-to-node calls wrapped with {@link #instrumentReplication} as
 *       {@code chainring_datanode_replication_requests_total{op, result}} and
 *       {@code chainring_datanode_replication_request_seconds{op}}</li>
 *   <li>{@code chainring_datanode_ring_epoch}, {@code chainring_datanode_serving} (1/0),
 *       {@code chainring_datanode_partitions} (chains this node is in),
 *       {@code chainring_datanode_keys} (live keys held)</li>
 *   <li>{@code chainring_datanode_disk_bytes}, {@code chainring_datanode_je_cache_bytes},
 *       {@code chainring_datanode_je_cache_hit_ratio}</li>
 *   <li>{@code chainring_datanode_inflight_writes}: writes this node applied that the tail has not
 *       yet committed; {@code chainring_datanode_replication_lag_lsns}: over the chains this node is
 *       in, the most LSNs it holds beyond what is committed (0 when the tail keeps up);
 *       {@code chainring_datanode_replication_lag_seconds}: age of its oldest uncommitted write;
 *       {@code chainring_datanode_learner_partitions}: partitions it is still catching up on</li>
 *   <li>per partition this node holds, labelled {@code partition}:
 *       {@code chainring_datanode_partition_lag_lsns} (LSNs this replica holds beyond the committed
 *       point: at the head, how far the tail is behind it) and
 *       {@code chainring_datanode_partition_lag_seconds} (age of its oldest uncommitted write);
 *       refreshed every second; {@code max by (partition)} over the nodes is the head's view</li>
 *   <li>{@code chainring_datanode_catchup_bytes_total}: key+value bytes received by catch-up passes;
 *       {@code chainring_datanode_catchup_throttle_bytes_per_second}: the throttle in force (0 = unlimited)</li>
 * </ul>
 * Ready means serving (connected to ZooKeeper, holding a current ring, storage healthy), not
 * draining (not DECOMMISSIONING or REMOVED in the ring) and not refusing writes (at the free-disk
 * limit: {@code chainring_datanode_writes_refused} is 1 meanwhile).
 */
public final class DatanodeMetrics implements AutoCloseable {
    private static final String PREFIX = "chainring.datanode";

    private final NodeId self;
    private final ProcessMetrics metrics;
    private final BooleanSupplier serving;
    private final Supplier<Optional<Ring>> ring;
    private final StatsCache stats;
    private final Supplier<List<ReplicaStatus>> replicas;
    private final RecentLatency clientLatency = new RecentLatency();
    /** Per partition held, its replication state as of the last refresh (the per-partition lag gauges read it). */
    private final Map<Integer, ReplicaStatus> byPartition = new ConcurrentHashMap<>();
    private final Set<Integer> partitionGauges = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService partitionRefresh;
    /** The last second in quarters: the adaptive catch-up throttle's signal (DESIGN §7). */
    private final RecentLatency lastSecond = RecentLatency.lastSecond();
    private volatile MetricsServer server;
    /** Why the node refuses writes now (the disk guard), if it does. */
    private volatile Supplier<Optional<String>> writeRefusal = Optional::empty;

    /**
     * @param serving whether the node answers requests now
     * @param ring    the newest ring the node knows
     * @param replicas the replication state of each partition replica (empty before replication starts)
     */
    public DatanodeMetrics(NodeId self, StorageEngine storage, BooleanSupplier serving, Supplier<Optional<Ring>> ring,
                           Supplier<List<ReplicaStatus>> replicas, boolean jvmMeters) {
        this(self, storage, serving, ring, replicas, CatchUpMeters.NONE, jvmMeters);
    }

    /** What the catch-up meters read (the node's replication). */
    public interface CatchUpMeters {
        CatchUpMeters NONE = new CatchUpMeters() {
            @Override
            public long throttleBytesPerSecond() {
                return 0;
            }

            @Override
            public long catchUpBytesTotal() {
                return 0;
            }
        };

        /** The throttle in force, bytes/s; 0 = unlimited. */
        long throttleBytesPerSecond();

        /** Bytes received by catch-up passes since the start. */
        long catchUpBytesTotal();
    }

    /**
     * @param catchUp the catch-up throttle and traffic, for
     *                {@code chainring_datanode_catchup_throttle_bytes_per_second} and
     *                {@code chainring_datanode_catchup_bytes_total}
     */
    public DatanodeMetrics(NodeId self, StorageEngine storage, BooleanSupplier serving, Supplier<Optional<Ring>> ring,
                           Supplier<List<ReplicaStatus>> replicas, CatchUpMeters catchUp, boolean jvmMeters) {
        this.self = Objects.requireNonNull(self, "self");
        this.serving = Objects.requireNonNull(serving, "serving");
        this.ring = Objects.requireNonNull(ring, "ring");
        this.replicas = Objects.requireNonNull(replicas, "replicas");
        this.metrics = jvmMeters ? ProcessMetrics.withJvmMetrics() : ProcessMetrics.bare();
        this.stats = new StatsCache(Objects.requireNonNull(storage, "storage"));
        MeterRegistry r = metrics.registry();
        Gauge.builder(PREFIX + ".ring.epoch", this, m -> m.ring.get().map(Ring::epoch).map(Long::doubleValue).orElse(Double.NaN))
                .description("Epoch of the newest ring this node knows").register(r);
        Gauge.builder(PREFIX + ".serving", this, m -> m.serving.getAsBoolean() ? 1 : 0)
                .description("1 while the node answers requests").register(r);
        Gauge.builder(PREFIX + ".writes.refused", this, m -> m.writeRefusal.get().isPresent() ? 1 : 0)
                .description("1 while the node refuses writes (at its free-disk limit); it is then not ready").register(r);
        Gauge.builder(PREFIX + ".partitions", this, m -> m.ring.get().map(x -> x.partitionsOf(m.self).size()).orElse(0))
                .description("Partitions whose chain includes this node").register(r);
        Gauge.builder(PREFIX + ".keys", storage, DatanodeMetrics::keys)
                .description("Live keys in the partition replicas this node holds").register(r);
        Gauge.builder(PREFIX + ".disk", stats, s -> s.get().map(x -> (double) x.diskBytes()).orElse(Double.NaN))
                .baseUnit("bytes").description("Bytes of JE log files on disk").register(r);
        Gauge.builder(PREFIX + ".je.cache", stats, s -> s.get().map(x -> (double) x.cacheBytes()).orElse(Double.NaN))
                .baseUnit("bytes").description("Bytes held in the JE cache").register(r);
        Gauge.builder(PREFIX + ".je.cache.hit.ratio", stats, s -> s.get().map(StorageStats::cacheHitRatio).orElse(Double.NaN))
                .description("Share of JE B-tree fetches served from the cache").register(r);
        Gauge.builder(PREFIX + ".inflight.writes", this, m -> m.replicas().stream().mapToLong(ReplicaStatus::inFlight).sum())
                .description("Writes applied here that the tail has not committed yet").register(r);
        Gauge.builder(PREFIX + ".replication.lag.lsns", this, m -> m.replicas().stream()
                        .filter(x -> x.role() != Role.NONE)
                        .mapToLong(x -> Math.max(0, x.lastLsn() - x.committedLsn())).max().orElse(0))
                .description("Most LSNs this node holds beyond the committed point, over its chains").register(r);
        Gauge.builder(PREFIX + ".replication.lag", this, m -> m.replicas().stream()
                        .filter(x -> x.inFlight() > 0).mapToLong(ReplicaStatus::oldestInFlightMillis).max().orElse(0) / 1000.0)
                .baseUnit("seconds").description("Age of the oldest write applied here but not yet committed").register(r);
        Gauge.builder(PREFIX + ".learner.partitions", this, m -> m.replicas().stream()
                        .filter(x -> x.role() == Role.LEARNER).count())
                .description("Partitions this node is catching up on (learner)").register(r);
        partitionRefresh = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread t = new Thread(task, "datanode-" + self + "-partition-metrics");
            t.setDaemon(true);
            return t;
        });
        // gauges are registered off the scrape path, as partitions appear
        partitionRefresh.scheduleWithFixedDelay(this::refreshPartitions, 0, 1, TimeUnit.SECONDS);
        Objects.requireNonNull(catchUp, "catchUp");
        Gauge.builder(PREFIX + ".catchup.throttle.bytes.per.second", catchUp, c -> (double) c.throttleBytesPerSecond())
                .description("Catch-up (snapshot) stream throttle of this node, bytes per second; 0 = unlimited").register(r);
        FunctionCounter.builder(PREFIX + ".catchup.bytes", catchUp, c -> (double) c.catchUpBytesTotal())
                .description("Key and value bytes received by catch-up passes").register(r);
    }

    private void refreshPartitions() {
        List<ReplicaStatus> now = replicas();
        Set<Integer> held = ConcurrentHashMap.newKeySet();
        for (ReplicaStatus x : now) {
            held.add(x.partition());
            byPartition.put(x.partition(), x);
            if (partitionGauges.add(x.partition())) {
                registerPartition(x.partition());
            }
        }
        byPartition.keySet().retainAll(held);
    }

    private void registerPartition(int partition) {
        MeterRegistry r = metrics.registry();
        String tag = String.valueOf(partition);
        Gauge.builder(PREFIX + ".partition.lag.lsns", this, m -> m.partitionLag(partition, false)).tag("partition", tag)
                .description("LSNs this replica holds beyond the committed point (at the head: how far the tail is behind)")
                .register(r);
        Gauge.builder(PREFIX + ".partition.lag", this, m -> m.partitionLag(partition, true)).tag("partition", tag)
                .baseUnit("seconds").description("Age of this replica's oldest write not yet committed").register(r);
    }

    private double partitionLag(int partition, boolean seconds) {
        ReplicaStatus x = byPartition.get(partition);
        if (x == null || x.role() == Role.NONE) {
            return 0;
        }
        return seconds ? (x.inFlight() > 0 ? x.oldestInFlightMillis() / 1000.0 : 0) : Math.max(0, x.lastLsn() - x.committedLsn());
    }

    private List<ReplicaStatus> replicas() {
        try {
            return replicas.get();
        } catch (RuntimeException e) {
            return List.of(); // closing or not started: nothing to report
        }
    }

    /**
     * Wraps the client (kv) handler so its calls are counted and timed, in the registry and in
     * {@link #clientLatency()} (node-admin stats).
     */
    public <T> T instrument(Class<T> iface, T handler) {
        T counted = ServiceMetrics.instrument(iface, handler, metrics.registry(), PREFIX);
        return iface.cast(Proxy.newProxyInstance(iface.getClassLoader(), new Class<?>[]{iface}, (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return invoke(method, counted, args);
            }
            long start = System.nanoTime();
            try {
                return invoke(method, counted, args);
            } finally {
                long nanos = System.nanoTime() - start;
                clientLatency.record(nanos);
                lastSecond.record(nanos);
            }
        }));
    }

    /** Like {@link #instrument} for an asynchronous service: counted and timed when each call is answered. */
    public <T> T instrumentAsync(Class<T> asyncIface, T handler, Class<?> blockingIface) {
        return ServiceMetrics.instrumentAsync(asyncIface, handler, blockingIface, metrics.registry(), PREFIX, clientLatency::record);
    }

    /** Client requests answered and their recent latency. */
    public RecentLatency clientLatency() {
        return clientLatency;
    }

    /** Client latency over about the last second. */
    public RecentLatency lastSecondLatency() {
        return lastSecond;
    }

    private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** Wraps the node-to-node (replication) handler, counted apart from client requests. */
    public <T> T instrumentReplication(Class<T> iface, T handler) {
        return ServiceMetrics.instrument(iface, handler, metrics.registry(), PREFIX + ".replication");
    }

    /** Serves the endpoint on {@code host:port} (0 = a free port). */
    public void serve(String host, int port) {
        if (server != null) {
            throw new IllegalStateException("metrics endpoint of datanode " + self + " already serving");
        }
        server = MetricsServer.start("datanode " + self, host, port, metrics, this::readiness);
    }

    /** The endpoint's port, if it serves. */
    public Optional<Integer> port() {
        MetricsServer s = server;
        return s == null ? Optional.empty() : Optional.of(s.port());
    }

    public MeterRegistry registry() {
        return metrics.registry();
    }

    /** Where readiness and {@code chainring_datanode_writes_refused} learn whether the node refuses writes. */
    public void writeRefusal(Supplier<Optional<String>> source) {
        this.writeRefusal = Objects.requireNonNull(source, "source");
    }

    private Readiness.Status readiness() {
        if (!serving.getAsBoolean()) {
            return Readiness.Status.notReady("not serving (starting, stopping, ZooKeeper disconnected, no current ring, "
                    + "or storage failed)");
        }
        Optional<NodeState> state = ring.get().flatMap(r -> r.node(self)).map(NodeInfo::state);
        if (state.isPresent() && (state.get() == NodeState.DECOMMISSIONING || state.get() == NodeState.REMOVED)) {
            return Readiness.Status.notReady("draining: the ring marks this node " + state.get());
        }
        Optional<String> refusal = writeRefusal.get();
        if (refusal.isPresent()) {
            return Readiness.Status.notReady("not ready for writes: " + refusal.get());
        }
        return Readiness.Status.READY;
    }

    private static double keys(StorageEngine storage) {
        long n = 0;
        for (PartitionStore p : storage.openPartitions().values()) {
            n += p.keyCount();
        }
        return n;
    }

    @Override
    public void close() {
        partitionRefresh.shutdownNow();
        MetricsServer s = server;
        if (s != null) {
            s.close();
        }
        metrics.close();
    }

    /** JE statistics are read at most once a second, however many gauges a scrape reads. */
    private static final class StatsCache {
        private final StorageEngine storage;
        private long readAt;
        private Optional<StorageStats> last = Optional.empty();

        StatsCache(StorageEngine storage) {
            this.storage = storage;
        }

        synchronized Optional<StorageStats> get() {
            long now = System.nanoTime();
            if (last.isEmpty() || now - readAt > 1_000_000_000L) {
                try {
                    last = Optional.of(storage.stats());
                } catch (RuntimeException e) {
                    last = Optional.empty(); // a closed or failed environment: the gauges read NaN
                }
                readAt = now;
            }
            return last;
        }
    }
}
