package io.chainring.datanode;

import io.chainring.datanode.replication.ReplicationConfig;
import io.chainring.datanode.replication.ReplicationFaults;
import io.chainring.datanode.server.RequestLimits;
import io.chainring.datanode.storage.Durability;
import io.chainring.datanode.storage.StorageConfig;
import io.chainring.metadata.ZkAuth;
import io.chainring.transport.ClusterSecret;
import io.chainring.ring.HostPort;
import io.chainring.ring.NodeId;
import io.chainring.ring.NodeInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a datanode process is started with. Build with {@link #builder(NodeId, Path, String)}.
 *
 * @param nodeId           stable identity; restarting with the same id and data dir brings the node back with its data
 * @param host             address to bind and to advertise to clients (must be reachable by them)
 * @param port             Thrift port; 0 picks a free one (see {@link Datanode#port()})
 * @param dataDir          JE environment directory
 * @param zone             failure zone, for placement
 * @param zkConnect        ZooKeeper connect string
 * @param cluster          cluster name: ZooKeeper root {@code /chainring/<cluster>}
 * @param durability       JE commit mode (DESIGN §6.2)
 * @param syncInterval     group fsync period under write_no_sync
 * @param maxKeyBytes      longest key accepted
 * @param maxValueBytes    longest value accepted
 * @param maxFrameBytes    largest Thrift frame read
 * @param zkSessionTimeout ZooKeeper session timeout: how long a partitioned node keeps its live znode
 * @param zkConnectTimeout how long start waits for the first ZooKeeper connection
 * @param replication      chain replication settings (batching, heartbeats, write timeout, test fault switches)
 * @param metricsPort      HTTP port of /metrics, /healthz and /readyz: 0 picks a free one, -1 (default) serves none
 * @param advertisedHost   the host registered in ZooKeeper for peers and clients to dial, when it differs from
 *                         {@code host} (e.g. a name that resolves to a proxy); null = {@code host}
 * @param zkAuth           ZooKeeper digest credentials; with them every znode the node creates is writable only by them
 * @param clusterSecret    the cluster members' secret: with it, internal services serve only connections that proved
 *                         it and the node proves it to its peers (DESIGN: Security); without, they are open
 * @param minFreeDiskBytes free space JE keeps on the data directory's volume ({@code --min-free-disk}, JE's
 *                         {@code FREE_DISK}, default 5 GiB): below it the node refuses writes, reports itself
 *                         not ready and is taken out of the chains that need writes (DESIGN: Disk limit)
 */
public record DatanodeConfig(NodeId nodeId, String host, int port, Path dataDir, String zone, String zkConnect,
                             String cluster, Durability durability, Duration syncInterval, int maxKeyBytes,
                             int maxValueBytes, int maxFrameBytes, Duration zkSessionTimeout, Duration zkConnectTimeout,
                             ReplicationConfig replication,
                             int metricsPort, String advertisedHost, Optional<ZkAuth> zkAuth,
                             Optional<ClusterSecret> clusterSecret, long minFreeDiskBytes) {
    public static final String DEFAULT_CLUSTER = "default";
    public static final String DEFAULT_HOST = "127.0.0.1";
    /**
     * How long ZooKeeper keeps a silent node's session, so how long a killed or frozen node stalls
     * the writes of its chains before the controller drops it (DESIGN "Failover": the trade-off
     * against dropping a node that only paused).
     */
    public static final Duration DEFAULT_ZK_SESSION_TIMEOUT = Duration.ofSeconds(2);

    public DatanodeConfig {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        if (host.equals("0.0.0.0") || host.equals("::")) {
            throw new IllegalArgumentException("host " + host + " is a wildcard; give the address clients should use");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range 0-65535: " + port);
        }
        Objects.requireNonNull(dataDir, "dataDir");
        zone = zone == null || zone.isBlank() ? NodeInfo.DEFAULT_ZONE : zone;
        Objects.requireNonNull(zkConnect, "zkConnect");
        if (zkConnect.isBlank()) {
            throw new IllegalArgumentException("zkConnect must not be blank");
        }
        cluster = cluster == null || cluster.isBlank() ? DEFAULT_CLUSTER : cluster;
        Objects.requireNonNull(durability, "durability");
        Objects.requireNonNull(syncInterval, "syncInterval");
        requirePositive(zkSessionTimeout, "zkSessionTimeout");
        requirePositive(zkConnectTimeout, "zkConnectTimeout");
        Objects.requireNonNull(replication, "replication");
        // validated together (frame must carry one maximal entry)
        new RequestLimits(maxKeyBytes, maxValueBytes, maxFrameBytes, RequestLimits.DEFAULT_MAX_SCAN_ENTRIES,
                Math.max(RequestLimits.DEFAULT_MAX_RESPONSE_BYTES, maxKeyBytes + maxValueBytes + 1024));
        new StorageConfig(dataDir, durability, syncInterval, 0, 0, minFreeDiskBytes);
        advertisedHost = advertisedHost == null || advertisedHost.isBlank() ? host : advertisedHost;
        if (metricsPort < -1 || metricsPort > 65535) {
            throw new IllegalArgumentException("metrics port must be -1 (off), 0 (a free port) or 1..65535: " + metricsPort);
        }
        Objects.requireNonNull(zkAuth, "zkAuth");
        Objects.requireNonNull(clusterSecret, "clusterSecret");
    }

    public static Builder builder(NodeId nodeId, Path dataDir, String zkConnect) {
        return new Builder(nodeId, dataDir, zkConnect);
    }

    /** The request limits these settings imply. */
    public RequestLimits requestLimits() {
        return RequestLimits.defaults().withKeyValueLimits(maxKeyBytes, maxValueBytes).withMaxFrameBytes(maxFrameBytes);
    }

    public StorageConfig storageConfig() {
        return StorageConfig.defaults(dataDir).withDurability(durability).withSyncInterval(syncInterval)
                .withDiskLimits(0, minFreeDiskBytes);
    }

    /** The address registered in ZooKeeper once the port is bound. */
    public HostPort advertisedAddress(int boundPort) {
        return new HostPort(advertisedHost, boundPort);
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }

    /** Builder with the documented defaults; {@link #build()} validates. */
    public static final class Builder {
        private final NodeId nodeId;
        private final Path dataDir;
        private final String zkConnect;
        private String host = DEFAULT_HOST;
        private int port;
        private String zone = NodeInfo.DEFAULT_ZONE;
        private String cluster = DEFAULT_CLUSTER;
        private Durability durability = Durability.WRITE_NO_SYNC;
        private Duration syncInterval = StorageConfig.DEFAULT_SYNC_INTERVAL;
        private int maxKeyBytes = RequestLimits.DEFAULT_MAX_KEY_BYTES;
        private int maxValueBytes = RequestLimits.DEFAULT_MAX_VALUE_BYTES;
        /** 0 = derived: the default, or larger when the key and value limits need it. */
        private int maxFrameBytes;
        /** 2 s: failover within about 3 s (DESIGN "Failover"); was 10 s. */
        private Duration zkSessionTimeout = DEFAULT_ZK_SESSION_TIMEOUT;
        private Duration zkConnectTimeout = Duration.ofSeconds(30);
        private int metricsPort = -1;
        private String advertisedHost;
        private ReplicationConfig replication = ReplicationConfig.defaults();
        private Optional<ZkAuth> zkAuth = Optional.empty();
        private Optional<ClusterSecret> clusterSecret = Optional.empty();
        private long minFreeDiskBytes = StorageConfig.DEFAULT_FREE_DISK_BYTES;

        private Builder(NodeId nodeId, Path dataDir, String zkConnect) {
            this.nodeId = nodeId;
            this.dataDir = dataDir;
            this.zkConnect = zkConnect;
        }

        public Builder host(String value) {
            this.host = value;
            return this;
        }

        public Builder port(int value) {
            this.port = value;
            return this;
        }

        public Builder zone(String value) {
            this.zone = value;
            return this;
        }

        public Builder cluster(String value) {
            this.cluster = value;
            return this;
        }

        public Builder durability(Durability value) {
            this.durability = value;
            return this;
        }

        public Builder syncInterval(Duration value) {
            this.syncInterval = value;
            return this;
        }

        public Builder maxKeyBytes(int value) {
            this.maxKeyBytes = value;
            return this;
        }

        public Builder maxValueBytes(int value) {
            this.maxValueBytes = value;
            return this;
        }

        /** Largest frame read; by default 16 MiB + 64 KiB, or more if one maximal key and value need it. */
        public Builder maxFrameBytes(int value) {
            this.maxFrameBytes = value;
            return this;
        }

        public Builder zkSessionTimeout(Duration value) {
            this.zkSessionTimeout = value;
            return this;
        }

        public Builder zkConnectTimeout(Duration value) {
            this.zkConnectTimeout = value;
            return this;
        }

        /** All chain replication settings at once. */
        public Builder replication(ReplicationConfig value) {
            this.replication = value;
            return this;
        }

        /** How long a client write waits at the head for its ack level (default 4 s). */
        public Builder writeTimeout(Duration value) {
            this.replication = replication.withWriteTimeout(value);
            return this;
        }

        /**
         * How long the data of a partition replica the node lost its place for is kept before it
         * is deleted (default 30 s); the deletion is cancelled if the node gets the partition back.
         */
        public Builder dropGrace(Duration value) {
            this.replication = replication.withDropGrace(value);
            return this;
        }

        /** Test-only fault switches for the replication protocol (e.g. pause applying the stream). */
        public Builder faults(ReplicationFaults value) {
            this.replication = replication.withFaults(value);
            return this;
        }

        /** HTTP port of /metrics, /healthz and /readyz: 0 picks a free one, -1 (default) serves none. */
        public Builder metricsPort(int value) {
            this.metricsPort = value;
            return this;
        }

        /** The host registered for peers and clients to dial; by default the bound {@code host}. */
        public Builder advertisedHost(String value) {
            this.advertisedHost = value;
            return this;
        }

        /** ZooKeeper digest credentials (none by default: open ACLs). */
        public Builder zkAuth(Optional<ZkAuth> value) {
            this.zkAuth = Objects.requireNonNull(value, "zkAuth");
            return this;
        }

        public Builder clusterSecret(Optional<ClusterSecret> value) {
            this.clusterSecret = Objects.requireNonNull(value, "clusterSecret");
            return this;
        }

        /**
         * Free space to keep on the data directory's volume (default 5 GiB, JE's own): below it the
         * node refuses writes and reports itself not ready for them (DESIGN: Disk limit).
         */
        public Builder minFreeDisk(long bytes) {
            this.minFreeDiskBytes = bytes;
            return this;
        }

        public DatanodeConfig build() {
            int frame = maxFrameBytes > 0 ? maxFrameBytes
                    : (int) Math.min(Integer.MAX_VALUE, Math.max(RequestLimits.DEFAULT_MAX_FRAME_BYTES, (long) maxKeyBytes + maxValueBytes + 64 * 1024));
            return new DatanodeConfig(nodeId, host, port, dataDir, zone, zkConnect, cluster, durability, syncInterval,
                    maxKeyBytes, maxValueBytes, frame, zkSessionTimeout, zkConnectTimeout, replication, metricsPort,
                    advertisedHost, zkAuth, clusterSecret, minFreeDiskBytes);
        }
    }
}
