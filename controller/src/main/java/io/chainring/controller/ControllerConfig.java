package io.chainring.controller;

import io.chainring.controller.leader.ChainRepair;
import io.chainring.metadata.ClusterConfig;
import io.chainring.metadata.ZkAuth;
import io.chainring.metadata.ZkPaths;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a controller process is started with. Validated on construction, so a bad flag
 * fails before anything is started, with a message that names the setting.
 *
 * @param zkConnect      ZooKeeper connect string, e.g. {@code 127.0.0.1:2181}
 * @param cluster        cluster name; its metadata lives under {@code /chainring/<cluster>}
 * @param host           address the admin service binds to and advertises
 * @param port           admin port; 0 picks a free one
 * @param partitions     partition count Q for a new cluster; when given for an existing cluster it
 *                       must agree with the cluster's config
 * @param replication    replication factor R, likewise (default {@value ClusterShape#DEFAULT_REPLICATION})
 * @param minChainForWrites shortest chain that still takes writes, likewise (default
 *                       {@code Ring.defaultMinChainForWrites(R)}: 2 when R ≥ 3, else 1)
 * @param autoJoin       whether the first ring is formed automatically from live registered nodes
 * @param minNodes       how many live registered nodes the first ring waits for
 * @param settle         how long no registration may change before the first ring is formed, so
 *                       nodes starting together land in one ring
 * @param tick           period of the leader's re-check of cluster state (watches also trigger it)
 * @param sessionTimeout ZooKeeper session timeout
 * @param connectTimeout how long start() waits for the first ZooKeeper connection
 * @param maxCatchUpsPerNode how many partitions one node may be catching up at once (learners), so
 *                       a returning or replacement node is not flooded
 * @param statsTimeout   connect and read timeout of the leader's {@code node-admin stats()} polls
 * @param metricsPort    HTTP port of /metrics, /healthz and /readyz: 0 picks a free one, -1 (default) serves none
 * @param rebalance      admin token, auto-add of late nodes, moves per node
 * @param zkAuth         ZooKeeper digest credentials; with them every znode the controller creates is writable only by them
 */
public record ControllerConfig(String zkConnect, String cluster, String host, int port,
                               Optional<Integer> partitions, Optional<Integer> replication,
                               Optional<Integer> minChainForWrites,
                               boolean autoJoin, int minNodes, Duration settle, Duration tick,
                               Duration sessionTimeout, Duration connectTimeout,
                               int maxCatchUpsPerNode, Duration statsTimeout, int metricsPort,
                               RebalanceSettings rebalance, Optional<ZkAuth> zkAuth) {
    public static final String DEFAULT_CLUSTER = "default";
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_MIN_NODES = 1;
    public static final Duration DEFAULT_SETTLE = Duration.ofSeconds(1);
    public static final Duration DEFAULT_TICK = Duration.ofSeconds(1);
    public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_CATCH_UPS_PER_NODE = ChainRepair.DEFAULT_MAX_CATCH_UPS_PER_NODE;
    public static final Duration DEFAULT_STATS_TIMEOUT = Duration.ofSeconds(1);

    /** With the default rebalancing settings (the form before {@code rebalance} existed). */
    public ControllerConfig(String zkConnect, String cluster, String host, int port, Optional<Integer> partitions,
                            Optional<Integer> replication, Optional<Integer> minChainForWrites, boolean autoJoin,
                            int minNodes, Duration settle, Duration tick, Duration sessionTimeout, Duration connectTimeout,
                            int maxCatchUpsPerNode, Duration statsTimeout, int metricsPort) {
        this(zkConnect, cluster, host, port, partitions, replication, minChainForWrites, autoJoin, minNodes, settle, tick,
                sessionTimeout, connectTimeout, maxCatchUpsPerNode, statsTimeout, metricsPort, RebalanceSettings.defaults(),
                Optional.empty());
    }

    /** Without a metrics endpoint (the form before {@code metricsPort} existed). */
    public ControllerConfig(String zkConnect, String cluster, String host, int port, Optional<Integer> partitions,
                            Optional<Integer> replication, Optional<Integer> minChainForWrites, boolean autoJoin,
                            int minNodes, Duration settle, Duration tick, Duration sessionTimeout, Duration connectTimeout,
                            int maxCatchUpsPerNode, Duration statsTimeout) {
        this(zkConnect, cluster, host, port, partitions, replication, minChainForWrites, autoJoin, minNodes, settle, tick,
                sessionTimeout, connectTimeout, maxCatchUpsPerNode, statsTimeout, -1);
    }

    public ControllerConfig {
        Objects.requireNonNull(rebalance, "rebalance");
        Objects.requireNonNull(zkAuth, "zkAuth");
        if (metricsPort < -1 || metricsPort > 65535) {
            throw new IllegalArgumentException("metrics port must be -1 (off), 0 (a free port) or 1..65535: " + metricsPort);
        }
        if (zkConnect == null || zkConnect.isBlank()) {
            throw new IllegalArgumentException("zk-connect is required, e.g. 127.0.0.1:2181");
        }
        Objects.requireNonNull(cluster, "cluster");
        new ZkPaths(cluster); // validates the name with a clear message
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must not be empty");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535 (0 picks a free port): " + port);
        }
        Objects.requireNonNull(partitions, "partitions");
        Objects.requireNonNull(replication, "replication");
        partitions.ifPresent(q -> {
            if (q < 1 || q > ClusterConfig.MAX_PARTITIONS) {
                throw new IllegalArgumentException("partitions must be 1.." + ClusterConfig.MAX_PARTITIONS + ": " + q);
            }
        });
        replication.ifPresent(r -> {
            if (r < 1 || r > ClusterConfig.MAX_REPLICATION) {
                throw new IllegalArgumentException("replication must be 1.." + ClusterConfig.MAX_REPLICATION + ": " + r);
            }
        });
        Objects.requireNonNull(minChainForWrites, "minChainForWrites");
        minChainForWrites.ifPresent(m -> {
            int r = replication.orElse(ClusterConfig.MAX_REPLICATION);
            if (m < 1 || m > r) {
                throw new IllegalArgumentException("min-chain-for-writes must be 1.." + r
                        + (replication.isPresent() ? " (the replication factor)" : "") + ": " + m);
            }
        });
        if (maxCatchUpsPerNode < 1) {
            throw new IllegalArgumentException("max catch-ups per node must be at least 1: " + maxCatchUpsPerNode);
        }
        requirePositive("stats timeout", statsTimeout);
        if (minNodes < 1) {
            throw new IllegalArgumentException("min-nodes must be at least 1: " + minNodes);
        }
        requireNonNegative("settle", settle);
        requirePositive("tick", tick);
        requirePositive("session timeout", sessionTimeout);
        requirePositive("connect timeout", connectTimeout);
        if (sessionTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("session timeout too long: " + sessionTimeout);
        }
    }

    public static Builder builder(String zkConnect) {
        return new Builder(zkConnect);
    }

    private static void requireNonNegative(String what, Duration d) {
        Objects.requireNonNull(d, what);
        if (d.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative: " + d);
        }
    }

    private static void requirePositive(String what, Duration d) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive: " + d);
        }
    }

    /** Builds a config from the defaults; {@link #build()} validates. */
    public static final class Builder {
        private final String zkConnect;
        private String cluster = DEFAULT_CLUSTER;
        private String host = DEFAULT_HOST;
        private int port;
        private Optional<Integer> partitions = Optional.empty();
        private Optional<Integer> replication = Optional.empty();
        private Optional<Integer> minChainForWrites = Optional.empty();
        private boolean autoJoin = true;
        private int minNodes = DEFAULT_MIN_NODES;
        private Duration settle = DEFAULT_SETTLE;
        private Duration tick = DEFAULT_TICK;
        private Duration sessionTimeout = DEFAULT_SESSION_TIMEOUT;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private int metricsPort = -1;
        private int maxCatchUpsPerNode = DEFAULT_MAX_CATCH_UPS_PER_NODE;
        private Duration statsTimeout = DEFAULT_STATS_TIMEOUT;
        private Optional<String> adminToken = Optional.empty();
        private Optional<ZkAuth> zkAuth = Optional.empty();
        private boolean autoAdd;
        private int maxMovesPerNode = io.chainring.controller.migration.MigrationExecutor.DEFAULT_MAX_MOVES_PER_NODE;

        private Builder(String zkConnect) {
            this.zkConnect = zkConnect;
        }

        public Builder cluster(String v) {
            cluster = v;
            return this;
        }

        public Builder host(String v) {
            host = v;
            return this;
        }

        public Builder port(int v) {
            port = v;
            return this;
        }

        public Builder partitions(int v) {
            partitions = Optional.of(v);
            return this;
        }

        public Builder replication(int v) {
            replication = Optional.of(v);
            return this;
        }

        public Builder minChainForWrites(int v) {
            minChainForWrites = Optional.of(v);
            return this;
        }

        public Builder maxCatchUpsPerNode(int v) {
            maxCatchUpsPerNode = v;
            return this;
        }

        public Builder statsTimeout(Duration v) {
            statsTimeout = v;
            return this;
        }

        public Builder autoJoin(boolean v) {
            autoJoin = v;
            return this;
        }

        public Builder minNodes(int v) {
            minNodes = v;
            return this;
        }

        public Builder settle(Duration v) {
            settle = v;
            return this;
        }

        public Builder tick(Duration v) {
            tick = v;
            return this;
        }

        public Builder sessionTimeout(Duration v) {
            sessionTimeout = v;
            return this;
        }

        public Builder connectTimeout(Duration v) {
            connectTimeout = v;
            return this;
        }

        /** HTTP port of /metrics, /healthz and /readyz: 0 picks a free one, -1 (default) serves none. */
        public Builder metricsPort(int v) {
            metricsPort = v;
            return this;
        }

        /** The token state-changing admin calls must carry (at least 12 characters); none = changes refused. */
        public Builder adminToken(String v) {
            adminToken = Optional.ofNullable(v).filter(t -> !t.isEmpty());
            return this;
        }

        /** Whether NEW nodes that register after the first ring join by a plan of the controller's own. */
        public Builder autoAdd(boolean v) {
            autoAdd = v;
            return this;
        }

        public Builder maxMovesPerNode(int v) {
            maxMovesPerNode = v;
            return this;
        }

        /** ZooKeeper digest credentials (none by default: open ACLs). */
        public Builder zkAuth(Optional<ZkAuth> v) {
            this.zkAuth = Objects.requireNonNull(v, "zkAuth");
            return this;
        }

        public ControllerConfig build() {
            return new ControllerConfig(zkConnect, cluster, host, port, partitions, replication, minChainForWrites,
                    autoJoin, minNodes, settle, tick, sessionTimeout, connectTimeout, maxCatchUpsPerNode, statsTimeout,
                    metricsPort, new RebalanceSettings(adminToken, autoAdd, maxMovesPerNode), zkAuth);
        }
    }
}
